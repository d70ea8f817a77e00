import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../access/scope.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { entities } from '../../db/schema/entities.ts';
import { monthlyStatistics } from '../../db/schema/stats.ts';
import { ensureReferenceRegions, seedDemo } from '../../db/seed/seed.ts';
import { type App, buildApp } from '../../http/app.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import { createTestContext, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { waitForJobs } from '../jobs/jobs.service.ts';
import { importMonthlyStatistics } from './monthly-import.ts';
import { monthlyImportColumns } from './monthly-import-rows.ts';

const code = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const A = code('91140827MA0TQA000');
const B = code('91140827MA0TQB000');
const C = code('91140827MA0TQC000');
const OTHER_COUNTY = code('91140826MA0TQD000');
const HEADER = monthlyImportColumns.map((column) => column.header).join(',');
const csv = (...rows: string[]) => Buffer.from(`\uFEFF${HEADER}\r\n${rows.join('\r\n')}\r\n`, 'utf8');

type Job = {
  id: string;
  status: string;
  progress: { done: number; total: number };
  summary: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  file: { name: string } | null;
};

describe.each(testBackends)('bulk import of monthly statistics on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  const get = (username: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies.get(username) ?? '' } });
  const upload = (username: string, fileName: string, bytes: Buffer) =>
    app.inject({
      method: 'POST',
      url: `/api/stats/monthly/import?fileName=${encodeURIComponent(fileName)}`,
      headers: { cookie: cookies.get(username) ?? '', 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const finished = async (username: string, id: string): Promise<Job> => {
    await waitForJobs(context);
    return (await get(username, `/api/jobs/${id}`)).json();
  };
  const importFile = async (username: string, fileName: string, bytes: Buffer): Promise<Job> => {
    const response = await upload(username, fileName, bytes);
    expect(response.statusCode, response.body).toBe(202);
    return finished(username, response.json().id);
  };
  const rowsOf = (creditCode: string) =>
    context.database.db
      .select({
        month: monthlyStatistics.month,
        outputFen: monthlyStatistics.outputFen,
        onlineRetailFen: monthlyStatistics.onlineRetailFen,
        crossBorderFen: monthlyStatistics.crossBorderFen,
        orders: monthlyStatistics.orders,
        employees: monthlyStatistics.employees,
        ecommerceEmployees: monthlyStatistics.ecommerceEmployees,
        status: monthlyStatistics.status,
        source: monthlyStatistics.source,
        etownCode: monthlyStatistics.etownCode,
      })
      .from(monthlyStatistics)
      .innerJoin(entities, eq(entities.id, monthlyStatistics.entityId))
      .where(eq(entities.creditCode, creditCode))
      .orderBy(monthlyStatistics.month);
  const countRows = async () =>
    (
      await context.database.query<{ count: string }>(
        'select count(*)::text as count from monthly_statistics',
      )
    )[0]?.count;

  beforeAll(async () => {
    context = await createTestContext(backend);
    await ensureReferenceRegions(context);
    await seedDemo(context, context.config);
    app = await buildApp(context);
    await app.ready();
    await context.database.db.insert(entities).values([
      { creditCode: A, name: '导入测试甲公司', etownCode: '140827-E01' },
      { creditCode: B, name: '导入测试乙公司', etownCode: '140827-E01' },
      { creditCode: C, name: '导入测试丙合作社', etownCode: '140827-E01' },
      { creditCode: OTHER_COUNTY, name: '绛县导入测试公司', etownCode: '140826-E01' },
    ]);
    for (const username of ['county.yuanqu', 'county.other', 'etown.gaotao']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await context?.close();
  });

  it('offers the XLSX template with 填表说明 and the CSV template with a BOM', async () => {
    const xlsx = await get('etown.gaotao', '/api/stats/monthly/template.xlsx');
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['月度统计', '填表说明']);
    expect(
      ((workbook.getWorksheet('月度统计') as ExcelJS.Worksheet).getRow(1).values as unknown[]).slice(1),
    ).toEqual(monthlyImportColumns.map((column) => column.header));
    const template = await get('county.yuanqu', '/api/stats/monthly/template.csv');
    expect(template.headers['content-type']).toContain('text/csv');
    expect(template.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(template.rawPayload.toString('utf8').slice(1)).toBe(`${HEADER}\r\n`);
  });

  it('imports a CSV in the background: exact fen, approved, warnings in a receipt, one audit record', async () => {
    const job = await importFile(
      'county.yuanqu',
      '垣曲县2025年1-2月.csv',
      csv(
        `${A},2025-01,1000.5,300.25,10,12,5,2`,
        `${A},2025-02,"1,200.00",1300,0,0,6,1`,
        `${B},2025/1,0.07,0,,,,`,
      ),
    );
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.summary).toMatchObject({
      rows: 3,
      inserted: 3,
      replaced: 0,
      months: ['2025-01', '2025-02'],
      etownCount: 1,
      warningCount: 1,
    });
    expect(job.file?.name).toBe('导入提示-垣曲县2025年1-2月.xlsx');
    expect(job.progress.done).toBe(3);
    expect(await rowsOf(A)).toEqual([
      {
        month: '2025-01',
        outputFen: 100050n,
        onlineRetailFen: 30025n,
        crossBorderFen: 1000n,
        orders: 12,
        employees: 5,
        ecommerceEmployees: 2,
        status: 'approved',
        source: 'import',
        etownCode: '140827-E01',
      },
      {
        month: '2025-02',
        outputFen: 120000n,
        onlineRetailFen: 130000n,
        crossBorderFen: 0n,
        orders: 0,
        employees: 6,
        ecommerceEmployees: 1,
        status: 'approved',
        source: 'import',
        etownCode: '140827-E01',
      },
    ]);
    expect(await rowsOf(B)).toMatchObject([
      { month: '2025-01', outputFen: 7n, crossBorderFen: 0n, orders: 0 },
    ]);
    const audits = await context.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'stats.monthly.import'));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      username: 'county.yuanqu',
      diff: expect.objectContaining({ rows: 3, inserted: 3, replaced: 0 }),
    });
  });

  it('imports an XLSX (typed numbers, a month Excel turned into a date) and replaces months already there', async () => {
    const [entity] = await context.database.db
      .select({ id: entities.id })
      .from(entities)
      .where(eq(entities.creditCode, C));
    await context.database.db.insert(monthlyStatistics).values({
      etownCode: '140827-E01',
      entityId: entity?.id as string,
      month: '2025-03',
      outputFen: 1n,
      onlineRetailFen: 1n,
      status: 'submitted',
      source: 'report',
      outlierExplanation: '旧的说明',
    });
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('月度统计');
    sheet.addRow(monthlyImportColumns.map((column) => column.header));
    sheet.addRow([C, new Date(Date.UTC(2025, 2, 1)), 5000, 4000.5, 0, 100, 10, 3]);
    sheet.addRow([C, '2025-04', '6000', 4500, 10, 120, 10, 3]);
    sheet.addRow([A, '2025-01', 999, 99, 0, 1, 1, 1]);
    workbook.addWorksheet('填表说明').addRow(['说明文字，不是数据']);
    const job = await importFile(
      'county.yuanqu',
      '丙合作社.xlsx',
      Buffer.from(await workbook.xlsx.writeBuffer()),
    );
    expect(job.error).toBeNull();
    expect(job.summary).toMatchObject({
      rows: 3,
      inserted: 1,
      replaced: 2,
      months: ['2025-01', '2025-03', '2025-04'],
    });
    expect(await rowsOf(C)).toMatchObject([
      {
        month: '2025-03',
        outputFen: 500000n,
        onlineRetailFen: 400050n,
        status: 'approved',
        source: 'import',
      },
      { month: '2025-04', outputFen: 600000n, onlineRetailFen: 450000n, crossBorderFen: 1000n },
    ]);
    const [replaced] = await context.database.db
      .select({ explanation: monthlyStatistics.outlierExplanation })
      .from(monthlyStatistics)
      .where(
        and(eq(monthlyStatistics.entityId, entity?.id as string), eq(monthlyStatistics.month, '2025-03')),
      );
    expect(replaced?.explanation).toBeNull();
    expect((await rowsOf(A))[0]).toMatchObject({ month: '2025-01', outputFen: 99900n });
  });

  it('a bad file writes nothing, not even its good rows, and leaves a receipt with row, column and reason', async () => {
    const before = await countRows();
    const job = await importFile(
      'county.yuanqu',
      '有错的文件.csv',
      csv(
        `${B},2025-05,100,50,0,1,1,1`,
        `${B},2025-13,100,50,0,1,1,1`,
        `${B},2025-06,-3,50.123,0,1.5,1,1`,
        `${B},2025-05,100,50,0,1,1,1`,
      ),
    );
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({
      code: 'monthly_import_rejected',
      message: '文件有 5 处问题，未导入任何数据',
    });
    expect(job.summary?.problems).toEqual([
      expect.objectContaining({ row: 3, column: 'B', code: 'invalid_month' }),
      expect.objectContaining({ row: 4, column: 'C', code: 'negative_money' }),
      expect.objectContaining({ row: 4, column: 'D', code: 'too_many_decimals' }),
      expect.objectContaining({ row: 4, column: 'F', code: 'not_whole_number' }),
      expect.objectContaining({ row: 5, column: null, code: 'duplicate_row' }),
    ]);
    expect(await countRows()).toBe(before);
    expect(job.file?.name).toBe('错误回执-有错的文件.xlsx');
    const receipt = await get('county.yuanqu', `/api/jobs/${job.id}/file`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(receipt.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('错误回执') as ExcelJS.Worksheet;
    expect(sheet.getCell('A2').value).toContain('共 5 处问题');
    expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual([
      '序号',
      '行',
      '列',
      '字段',
      '问题',
      '代码',
    ]);
    expect((sheet.getRow(4).values as unknown[]).slice(1)).toEqual([
      1,
      3,
      'B',
      '月份',
      expect.stringContaining('2025-13'),
      'invalid_month',
    ]);
    expect((await get('county.other', `/api/jobs/${job.id}/file`)).statusCode).toBe(404);
  });

  it('refuses entities outside the county alike whether or not they exist elsewhere', async () => {
    const before = await countRows();
    const own = await importFile('county.yuanqu', '越界.csv', csv(`${OTHER_COUNTY},2025-01,1,1,0,0,0,0`));
    const unknown = code('91140827MA0NQPE00');
    const other = await importFile(
      'county.other',
      '越界.csv',
      csv(`${A},2025-01,1,1,0,0,0,0`, `${unknown},2025-01,1,1,0,0,0,0`),
    );
    expect(own.summary?.problems).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'A',
        code: 'entity_out_of_scope',
        message: `市场主体 ${OTHER_COUNTY} 不在您的管辖范围内（未登记的市场主体请先登记）`,
      }),
    ]);
    expect(
      ((other.summary as { problems: unknown }).problems as { code: string; message: string }[]).map((p) =>
        p.message.replace(/\d\w+/, 'X'),
      ),
    ).toEqual([
      '市场主体 X 不在您的管辖范围内（未登记的市场主体请先登记）',
      '市场主体 X 不在您的管辖范围内（未登记的市场主体请先登记）',
    ]);
    expect(await countRows()).toBe(before);
  });

  it('refuses files it cannot take at once, and roles that may not import', async () => {
    expect((await upload('county.yuanqu', '数据.xls', csv())).statusCode).toBe(400);
    expect((await upload('county.yuanqu', '数据.csv', Buffer.alloc(0))).statusCode).toBe(400);
    expect((await upload('etown.gaotao', '数据.csv', csv(`${A},2025-01,1,1,0,0,0,0`))).statusCode).toBe(403);
    const header = await importFile(
      'county.yuanqu',
      '缺列.csv',
      Buffer.from('统一社会信用代码,月份\r\nx,y\r\n'),
    );
    expect(header.summary?.problemCount).toBe(6);
    const broken = await importFile('county.yuanqu', '坏文件.xlsx', Buffer.from('not a zip'));
    expect(broken.summary?.problems).toEqual([expect.objectContaining({ code: 'unreadable_xlsx' })]);
  });

  it('is all or nothing: a failure after the rows went in rolls every one of them back', async () => {
    const before = await countRows();
    // 25 years of months (2000-2024), alternating between two entities.
    const rows = Array.from({ length: 300 }, (_, index) => {
      const month = `${2000 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
      return `${index % 2 === 0 ? B : C},${month},${index},0,0,0,0,0`;
    });
    const filePath = path.join(tmpdir(), `ezhen-all-or-nothing-${backend}.csv`);
    await writeFile(filePath, csv(...rows));
    const actor: Actor = {
      userId: '00000000-0000-4000-8000-000000000001',
      username: 'county.yuanqu',
      displayName: '测试',
      role: 'county_operator',
      scope: { kind: 'region', code: '140827' },
      ip: '127.0.0.1',
      mustChangePassword: false,
      totpEnrollmentRequired: false,
    };
    // The audit record, written last in the transaction, cannot store a NUL character: the upsert has
    // already written every row when it fails.
    await expect(
      importMonthlyStatistics(context, actor, { path: filePath, fileName: 'bad\u0000name.csv' }),
    ).rejects.toThrow(/u0000|unicode|0x00/i);
    expect(await countRows()).toBe(before);
    const result = await importMonthlyStatistics(context, actor, { path: filePath, fileName: 'good.csv' });
    expect(result.summary.inserted).toBe(rows.length);
    expect(Number(await countRows())).toBe(Number(before) + rows.length);
    const [{ sum } = { sum: '' }] = await context.database.query<{ sum: string }>(
      `select sum(output_fen)::text as sum from monthly_statistics where month < '2025-01'`,
    );
    expect(sum).toBe(String(rows.reduce((total, _row, index) => total + index * 100, 0)));
  });
});
