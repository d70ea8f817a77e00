import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../db/schema/jobs.ts';
import type { App } from '../../http/app.ts';
import { buildLedgerJson } from '../../indicators/ledger-factory.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { sweepInterruptedJobs, waitForJobs } from '../jobs/jobs.service.ts';
import { exportLedger } from './ledger-export.ts';

const ETOWN = '140827-E01';
type Job = {
  id: string;
  status: string;
  stage: string;
  progress: { done: number; total: number };
  summary: { counts?: Record<string, number>; problemCount?: number; problems?: { sheet: string }[] } | null;
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
    for (const username of ['county.yuanqu', 'county.other', 'city.yuncheng', 'auditor']) {
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

  it('imports an uploaded ledger in the background with progress; the job is its owner’s only', async () => {
    const ledger = buildLedgerJson();
    const started = await upload(
      'county.yuanqu',
      ETOWN,
      '皋陶台账.json',
      Buffer.from(JSON.stringify(ledger)),
    );
    expect(started.statusCode).toBe(202);
    const job = started.json() as Job;
    expect(job.status).toBe('running');

    const done = await finished('county.yuanqu', job.id);
    expect(done.status).toBe('succeeded');
    expect(done.progress.done).toBe(done.progress.total);
    expect(done.summary?.counts?.entities).toBe(ledger.entities.length);
    expect((await exportLedger(context.database.db, ETOWN, 2024)).monthlyStats).toHaveLength(
      ledger.monthlyStats.length,
    );

    const list = (await get('county.yuanqu', '/api/jobs')).json() as { items: Job[] };
    expect(list.items[0]?.id).toBe(job.id);
    expect((await get('county.other', `/api/jobs/${job.id}`)).statusCode).toBe(404);
    expect(((await get('county.other', '/api/jobs')).json() as { items: Job[] }).items).toEqual([]);
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
