import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema/jobs.ts';
import type { App } from '../../http/app.ts';
import { buildLedgerJson } from '../../indicators/ledger-factory.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { sweepInterruptedJobs, waitForJobs } from '../jobs/jobs.service.ts';
import { exportLedger } from './ledger-export.ts';

const ETOWN = '140827-E01';
type Job = {
  id: string;
  status: string;
  stage: string;
  progress: { done: number; total: number };
  summary: {
    counts?: Record<string, number>;
    problemCount?: number;
    problems?: { sheet: string }[];
    refusedCount?: number;
    refused?: unknown[];
  } | null;
  error: { code: string; message: string } | null;
  file: { name: string } | null;
};

describe.each(testBackends)('ledger files over HTTP and background import jobs on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  const get = (username: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies.get(username) ?? '' } });
  const upload = (username: string, etown: string, fileName: string, bytes: Buffer) =>
    app.inject({
      method: 'POST',
      url: `/api/etowns/${etown}/ledger/import?fileName=${encodeURIComponent(fileName)}`,
      headers: { cookie: cookies.get(username) ?? '', 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const finished = async (username: string, id: string): Promise<Job> => {
    await waitForJobs(context);
    return (await get(username, `/api/jobs/${id}`)).json();
  };

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['county.yuanqu', 'county.other', 'city.yuncheng', 'auditor', 'etown.gaotao']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('downloads the template and the e-town ledger as XLSX and JSON; other counties get 404', async () => {
    const template = await get('county.yuanqu', '/api/ledger/template.xlsx');
    expect(template.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toContain('填表说明');

    const json = await get('county.yuanqu', `/api/etowns/${ETOWN}/ledger.json?year=2025`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-disposition']).toContain(encodeURIComponent('台账-皋陶乡村e镇-2025.json'));
    expect(json.json()).toEqual(await exportLedger(context.database.db, ETOWN, 2025));
    const xlsx = await get('county.yuanqu', `/api/etowns/${ETOWN}/ledger.xlsx?year=2025`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect((await get('city.yuncheng', `/api/etowns/${ETOWN}/ledger?year=2025`)).json().etown.code).toBe(
      ETOWN,
    );

    for (const url of [
      `/api/etowns/${ETOWN}/ledger?year=2025`,
      `/api/etowns/${ETOWN}/ledger.xlsx?year=2025`,
    ]) {
      expect((await get('county.other', url)).statusCode).toBe(404);
    }
    expect((await get('auditor', `/api/etowns/${ETOWN}/ledger?year=2025`)).statusCode).toBe(403);
    expect((await get('county.yuanqu', `/api/etowns/${ETOWN}/ledger.csv?year=2025`)).statusCode).toBe(400);
  });

  it('imports an upload in the background: the e-town’s own lists are written, other roles’ records refused with a receipt', async () => {
    const year = Number(shanghaiToday().slice(0, 4));
    const platform = await exportLedger(context.database.db, ETOWN, year);
    const file = structuredClone(platform);
    const [first] = file.entities;
    if (!first) throw new Error('the demo lists entities');
    // The evaluated party tries to make an entity a 龙头 (#4) and to leave out a figure it dislikes.
    first.tags = first.tags.includes('leading')
      ? first.tags.filter((tag) => tag !== 'leading')
      : [...first.tags, 'leading'];
    file.monthlyStats = file.monthlyStats.slice(1);
    file.supplyChains = [...file.supplyChains, { name: '运营主体登记的供应链' }];
    const started = await upload('etown.gaotao', ETOWN, '皋陶台账.json', Buffer.from(JSON.stringify(file)));
    expect(started.statusCode).toBe(202);
    const job = started.json() as Job;
    expect(job.status).toBe('running');

    const done = await finished('etown.gaotao', job.id);
    expect(done.status).toBe('succeeded');
    expect(done.progress.done).toBe(done.progress.total);
    expect(done.summary?.counts?.entities).toBe(file.entities.length);
    expect(done.summary?.refusedCount).toBe(2);
    expect(done.summary?.refused).toEqual([
      expect.objectContaining({
        list: 'entities',
        path: 'entities[0]',
        action: 'change',
        reason: expect.stringContaining('台账导入不能修改'),
      }),
      expect.objectContaining({
        list: 'monthlyStats',
        path: '',
        action: 'remove',
        reason: expect.stringContaining('经审核的月度统计'),
      }),
    ]);
    expect(done.file?.name).toBe('导入回执-皋陶台账.xlsx');
    const receipt = await get('etown.gaotao', `/api/jobs/${job.id}/file`);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(receipt.rawPayload as unknown as ArrayBuffer);
    const sheet = read.getWorksheet('导入回执');
    expect(sheet?.getRow(4).values).toEqual(expect.arrayContaining([1, '市场主体 第 1 条', '修改']));
    expect(String(sheet?.getRow(5).getCell(5).value)).toContain('经审核的月度统计');

    const after = await exportLedger(context.database.db, ETOWN, year);
    expect(after.entities).toEqual(platform.entities);
    expect(after.monthlyStats).toEqual(platform.monthlyStats);
    expect(after.supplyChains.map((row) => row.name)).toContain('运营主体登记的供应链');

    const list = (await get('etown.gaotao', '/api/jobs')).json() as { items: Job[] };
    expect(list.items[0]?.id).toBe(job.id);
    expect((await get('county.other', `/api/jobs/${job.id}`)).statusCode).toBe(404);
    expect(((await get('county.other', '/api/jobs')).json() as { items: Job[] }).items).toEqual([]);

    // The platform's own export asks for nothing refused: no receipt.
    const again = (
      await upload('etown.gaotao', ETOWN, '原样.json', Buffer.from(JSON.stringify(after)))
    ).json() as Job;
    const clean = await finished('etown.gaotao', again.id);
    expect(clean.summary?.refused).toEqual([]);
    expect(clean.file).toBeNull();
  });

  it('a bad file changes nothing and leaves an error receipt with sheet, row and column', async () => {
    const before = await exportLedger(context.database.db, ETOWN, 2024);
    const good = await get('county.yuanqu', `/api/etowns/${ETOWN}/ledger.xlsx?year=2024`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(good.rawPayload as unknown as ArrayBuffer);
    const entitiesSheet = workbook.getWorksheet('市场主体');
    if (!entitiesSheet) throw new Error('no 市场主体 sheet');
    entitiesSheet.getCell('C2').value = '也许';
    const bad = Buffer.from(await workbook.xlsx.writeBuffer());

    const job = (await upload('county.yuanqu', ETOWN, '改坏的台账.xlsx', bad)).json() as Job;
    const done = await finished('county.yuanqu', job.id);
    expect(done.status).toBe('failed');
    expect(done.error?.code).toBe('ledger_rejected');
    expect(done.summary?.problems?.[0]?.sheet).toBe('市场主体');
    expect(done.file?.name).toBe('错误回执-改坏的台账.xlsx');

    const receipt = await get('county.yuanqu', `/api/jobs/${job.id}/file`);
    expect(receipt.statusCode).toBe(200);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(receipt.rawPayload as unknown as ArrayBuffer);
    const sheet = read.getWorksheet('错误回执');
    expect(sheet?.getRow(4).values).toEqual(expect.arrayContaining(['市场主体', 2, 'C']));
    expect(await exportLedger(context.database.db, ETOWN, 2024)).toEqual(before);
    expect((await get('county.other', `/api/jobs/${job.id}/file`)).statusCode).toBe(404);
  });

  it('refuses wrong files at once, and imports only for the writer roles in scope', async () => {
    const ledger = Buffer.from(JSON.stringify(buildLedgerJson()));
    const xls = await upload('county.yuanqu', ETOWN, 'old.xls', ledger);
    expect(xls.statusCode).toBe(400);
    expect(xls.json().error.message).toContain('.xlsx');
    expect((await upload('county.other', ETOWN, 'a.json', ledger)).statusCode).toBe(404);
    expect((await upload('city.yuncheng', ETOWN, 'a.json', ledger)).statusCode).toBe(403);
    const mismatch = (
      await upload('county.yuanqu', '140827-E01', 'x.json', Buffer.from('{"format":1'))
    ).json();
    const failed = await finished('county.yuanqu', mismatch.id);
    expect(failed.error?.message).toContain('台账有 1 处问题');
  });

  it('reports a job whose server died as interrupted, and sweeps it at start-up', async () => {
    const [owner] = await context.database.query<{ id: string }>(
      `select id from users where username = 'county.yuanqu'`,
    );
    const [row] = await context.database.db
      .insert(jobs)
      .values({
        kind: 'ledger.import',
        title: '导入台账：中断的任务',
        ownerId: owner?.id as string,
        heartbeatAt: new Date(Date.now() - 120_000),
      })
      .returning();
    const seen = (await get('county.yuanqu', `/api/jobs/${row?.id}`)).json() as Job;
    expect(seen.status).toBe('failed');
    expect(seen.error?.code).toBe('job_interrupted');
    expect(await sweepInterruptedJobs(context)).toBe(1);
    const [stored] = await context.database.db
      .select()
      .from(jobs)
      .where(eq(jobs.id, row?.id as string));
    expect(stored?.status).toBe('failed');
  });
});
