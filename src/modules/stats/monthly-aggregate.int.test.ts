import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema/accounts.ts';
import { entities } from '../../db/schema/entities.ts';
import { regions } from '../../db/schema/regions.ts';
import { type MonthlyStatus, monthlyStatistics } from '../../db/schema/stats.ts';
import type { App } from '../../http/app.ts';
import { formatFen, parseMoneyText } from '../../indicators/exact.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import type { AggregateRows, AggregateSeries, MonthlyAggregates } from './monthly-aggregate.schemas.ts';
import { lastCompleteMonth } from './monthly-aggregate.service.ts';

const code = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const E01 = '140827-E01';
const E02 = '140827-E02';
const OTHER_ETOWN = '140826-E01';
/** 总产值, 网络零售额, 其中跨境 (yuan), 订单数, 从业人员, 电商从业人员. */
type Figures = [string, string, string, number, number, number];

const fen = (yuan: string) => parseMoneyText(yuan) as bigint;
const sumYuan = (values: string[]) => formatFen(values.reduce((sum, value) => sum + fen(value), 0n));
const cell = (series: AggregateSeries | undefined, month: string) =>
  series?.months.find((entry) => entry.month === month);

describe.each(testBackends)('monthly aggregates (统计汇总) on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const ids = new Map<string, string>();
  const cookies = new Map<string, string>();
  const get = (username: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies.get(username) ?? '' } });
  const aggregates = async (username: string, query: string) => {
    const response = await get(username, `/api/stats/aggregates?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as MonthlyAggregates;
  };
  const child = (data: MonthlyAggregates, code: string) => data.children.find((entry) => entry.code === code);

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    const { db } = context.database;
    for (const username of [
      'county.yuanqu',
      'county.other',
      'province.admin',
      'enterprise.demo',
      'auditor',
    ]) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
    await db
      .insert(regions)
      .values({ code: E02, name: '汇总测试二号e镇', level: 'etown', parentCode: '140827' });
    const entity = async (key: string, etownCode: string, first17: string) => {
      const [row] = await db
        .insert(entities)
        .values({ name: `汇总测试${key}公司`, creditCode: code(first17), etownCode })
        .returning({ id: entities.id });
      ids.set(key, row?.id as string);
    };
    await entity('甲', E01, '91140827MA0AGG001');
    await entity('乙', E01, '91140827MA0AGG002');
    await entity('丙', E01, '91140827MA0AGG003');
    await entity('丁', E02, '91140827MA0AGG004');
    await entity('戊', OTHER_ETOWN, '91140826MA0AGG005');
    const [account] = await db.select().from(users).where(eq(users.username, 'enterprise.demo'));
    ids.set('演示', account?.entityId as string);

    const row = async (
      key: string,
      etownCode: string,
      month: string,
      figures: Figures,
      status: MonthlyStatus = 'approved',
    ) => {
      const [output, retail, crossBorder, orders, employees, ecommerceEmployees] = figures;
      await db.insert(monthlyStatistics).values({
        entityId: ids.get(key) as string,
        etownCode,
        month,
        outputFen: fen(output),
        onlineRetailFen: fen(retail),
        crossBorderFen: fen(crossBorder),
        orders,
        employees,
        ecommerceEmployees,
        status,
        source: status === 'approved' ? 'import' : 'report',
        reviewedAt: status === 'approved' ? new Date('2023-07-05T02:00:00Z') : null,
      });
    };
    await row('甲', E01, '2022-06', ['1000.00', '400.00', '0', 10, 5, 1]);
    await row('甲', E01, '2023-05', ['2000.00', '500.00', '10.00', 20, 6, 2]);
    await row('甲', E01, '2023-06', ['1500.00', '600.00', '20.01', 30, 6, 2]);
    await row('乙', E01, '2023-06', ['700.25', '100.10', '0', 5, 3, 1]);
    await row('演示', E01, '2023-06', ['99.75', '49.90', '0', 7, 2, 1]);
    // Not approved: never counted.
    await row('丙', E01, '2023-06', ['5000.00', '5000.00', '0', 1, 1, 1], 'submitted');
    await row('丙', E01, '2023-05', ['3000.00', '3000.00', '0', 1, 1, 1], 'draft');
    await row('丙', E01, '2023-04', ['3000.00', '3000.00', '0', 1, 1, 1], 'returned');
    await row('丁', E02, '2023-06', ['300.00', '50.00', '0', 3, 4, 1]);
    await row('戊', OTHER_ETOWN, '2023-06', ['98765432109.87', '12345678901.23', '0.01', 100, 50, 10]);
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('sums each level to the fen, with MoM and YoY from the months before the range', async () => {
    const county = await aggregates('county.yuanqu', 'regionCode=140827&fromMonth=2023-01&toMonth=2023-06');
    expect(county.months).toEqual(['2023-01', '2023-02', '2023-03', '2023-04', '2023-05', '2023-06']);
    expect(county.childLevel).toBe('etown');
    expect(county.children.map((entry) => [entry.code, entry.level])).toEqual([
      [E01, 'etown'],
      [E02, 'etown'],
    ]);
    expect(child(county, E02)?.name).toBe('汇总测试二号e镇');
    expect(cell(county.series, '2023-06')).toEqual({
      month: '2023-06',
      rows: 4,
      outputYuan: '2600.00',
      onlineRetailYuan: '800.00',
      crossBorderYuan: '20.01',
      orders: 45,
      employees: 15,
      ecommerceEmployees: 5,
      outputMomPct: '30.00',
      outputYoyPct: '160.00',
      onlineRetailMomPct: '60.00',
      onlineRetailYoyPct: '100.00',
    });
    // May has figures, but none in April or May last year: nothing to compare.
    expect(cell(county.series, '2023-05')).toMatchObject({ outputMomPct: null, outputYoyPct: null, rows: 1 });
    expect(cell(county.series, '2023-01')).toMatchObject({ rows: 0, outputYuan: '0.00', outputMomPct: null });
    expect(county.series.total).toMatchObject({ rows: 5, outputYuan: '4600.00', outputYoyPct: '360.00' });
    expect(cell(child(county, E01), '2023-06')).toMatchObject({ rows: 3, outputYuan: '2300.00', orders: 42 });
    expect(cell(child(county, E02), '2023-06')).toMatchObject({
      rows: 1,
      outputYuan: '300.00',
      outputMomPct: null,
    });

    const province = await aggregates('province.admin', 'fromMonth=2023-06&toMonth=2023-06');
    expect(province.region.code).toBe('14');
    expect(province.childLevel).toBe('city');
    const june = (series: AggregateSeries) => cell(series, '2023-06') as NonNullable<ReturnType<typeof cell>>;
    expect(june(province.series).outputYuan).toBe('98765434709.87');
    expect(june(province.series).onlineRetailYuan).toBe('12345679701.23');
    expect(june(province.series).crossBorderYuan).toBe('20.02');
    expect(sumYuan(province.children.map((city) => june(city).outputYuan))).toBe(
      june(province.series).outputYuan,
    );
    const city = await aggregates('province.admin', 'regionCode=1408&fromMonth=2023-06&toMonth=2023-06');
    expect(june(city.series)).toEqual(june(province.series));
    expect(sumYuan(city.children.map((entry) => june(entry).outputYuan))).toBe('98765434709.87');
    expect(june(child(city, '140826') as AggregateSeries).outputYuan).toBe('98765432109.87');
  });

  it('an e-town lists its entities; an enterprise sees only its own', async () => {
    const etown = await aggregates('county.yuanqu', `regionCode=${E01}&fromMonth=2023-05&toMonth=2023-06`);
    expect(etown.childLevel).toBe('entity');
    expect(cell(etown.series, '2023-06')?.outputYuan).toBe('2300.00');
    expect(cell(child(etown, ids.get('甲') as string), '2023-06')).toMatchObject({
      outputYuan: '1500.00',
      outputMomPct: '-25.00',
      outputYoyPct: '50.00',
    });
    // 丙 is registered and active, but nothing of it is approved.
    expect(child(etown, ids.get('丙') as string)?.total).toMatchObject({ rows: 0, outputYuan: '0.00' });
    expect(child(etown, ids.get('丙') as string)?.creditCode).toBe(code('91140827MA0AGG003'));

    const own = await aggregates('enterprise.demo', 'fromMonth=2023-05&toMonth=2023-06');
    expect(own.region.code).toBe(E01);
    expect(own.children.map((entry) => entry.code)).toEqual([ids.get('演示')]);
    expect(cell(own.series, '2023-06')).toMatchObject({ rows: 1, outputYuan: '99.75' });
    const ownRows = (
      await get('enterprise.demo', '/api/stats/aggregates/rows?month=2023-06')
    ).json() as AggregateRows;
    expect(ownRows.items.map((item) => item.entity.id)).toEqual([ids.get('演示')]);
  });

  it('the drill-down lists the approved rows behind a cell, paged, and its totals are the aggregate', async () => {
    const county = await aggregates('county.yuanqu', 'regionCode=140827&fromMonth=2023-06&toMonth=2023-06');
    const aggregate = cell(county.series, '2023-06');
    const pages: AggregateRows[] = [];
    for (const page of [1, 2]) {
      const response = await get(
        'county.yuanqu',
        `/api/stats/aggregates/rows?regionCode=140827&month=2023-06&page=${page}&pageSize=3`,
      );
      expect(response.statusCode, response.body).toBe(200);
      pages.push(response.json());
    }
    const [first, second] = pages as [AggregateRows, AggregateRows];
    expect(first.total).toBe(4);
    expect(first.items).toHaveLength(3);
    expect(second.items).toHaveLength(1);
    const items = [...first.items, ...second.items];
    expect(items.map((item) => item.entity.name)).not.toContain('汇总测试丙公司');
    const {
      month: _month,
      outputMomPct,
      outputYoyPct,
      onlineRetailMomPct,
      onlineRetailYoyPct,
      ...measures
    } = aggregate as NonNullable<typeof aggregate>;
    expect(first.totals).toEqual(measures);
    expect(sumYuan(items.map((item) => item.outputYuan))).toBe(first.totals.outputYuan);
    expect(sumYuan(items.map((item) => item.onlineRetailYuan))).toBe(first.totals.onlineRetailYuan);
    expect(items.reduce((sum, item) => sum + item.orders, 0)).toBe(first.totals.orders);
    expect(items.find((item) => item.entity.name === '汇总测试甲公司')).toMatchObject({
      etown: { code: E01 },
      source: 'import',
      reviewedAt: '2023-07-05T02:00:00.000Z',
    });

    const one = (
      await get(
        'county.yuanqu',
        `/api/stats/aggregates/rows?regionCode=${E01}&month=2023-06&entityId=${ids.get('甲')}`,
      )
    ).json() as AggregateRows;
    expect(one).toMatchObject({
      total: 1,
      entity: { name: '汇总测试甲公司' },
      totals: { outputYuan: '1500.00' },
    });
    const range = await aggregates('county.yuanqu', 'regionCode=140827&fromMonth=2023-01&toMonth=2023-06');
    const behindRange = (
      await get(
        'county.yuanqu',
        '/api/stats/aggregates/rows?regionCode=140827&fromMonth=2023-01&toMonth=2023-06',
      )
    ).json() as AggregateRows;
    const { outputYoyPct: _yoy, onlineRetailYoyPct: _retailYoy, ...rangeMeasures } = range.series.total;
    expect(behindRange).toMatchObject({ fromMonth: '2023-01', toMonth: '2023-06', totals: rangeMeasures });
    const outside = await get(
      'county.yuanqu',
      `/api/stats/aggregates/rows?regionCode=140827&month=2023-06&entityId=${ids.get('戊')}`,
    );
    expect(outside.statusCode).toBe(404);
  });

  it('defaults to the last twelve complete months and refuses a range over 36 months', async () => {
    const recent = await aggregates('county.yuanqu', '');
    expect(recent.region.code).toBe('140827');
    expect(recent.months).toHaveLength(12);
    expect(recent.toMonth).toBe(lastCompleteMonth());

    const long = await get('county.yuanqu', '/api/stats/aggregates?fromMonth=2020-01&toMonth=2023-06');
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({
      code: 'month_range_too_long',
      message: '月份范围最多 36 个月，所选 2020-01 至 2023-06 共 42 个月，请缩小范围',
      details: [{ path: 'toMonth' }],
    });
    const reversed = await get('county.yuanqu', '/api/stats/aggregates?fromMonth=2023-06&toMonth=2023-01');
    expect(reversed.json().error.code).toBe('month_range_reversed');
    expect((await get('county.yuanqu', '/api/stats/aggregates?fromMonth=2023-13')).statusCode).toBe(400);
  });

  it('another county’s region does not exist for the caller; an auditor may not read statistics', async () => {
    for (const url of [
      '/api/stats/aggregates?regionCode=140827',
      '/api/stats/aggregates.xlsx?regionCode=140827',
      '/api/stats/aggregates/rows?regionCode=140827&month=2023-06',
    ]) {
      expect((await get('county.other', url)).statusCode, url).toBe(404);
    }
    const other = await aggregates('county.other', 'fromMonth=2023-06&toMonth=2023-06');
    expect(cell(other.series, '2023-06')?.outputYuan).toBe('98765432109.87');
    expect((await get('auditor', '/api/stats/aggregates')).statusCode).toBe(403);
    expect((await get('auditor', '/api/stats/aggregates/rows?month=2023-06')).statusCode).toBe(403);
  });

  it('the workbook carries the same figures as numbers, titled with the region and range', async () => {
    const url = 'regionCode=140827&fromMonth=2023-01&toMonth=2023-06';
    const county = await aggregates('county.yuanqu', url);
    const response = await get('county.yuanqu', `/api/stats/aggregates.xlsx?${url}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(`统计汇总-${county.region.name}-2023-01至2023-06.xlsx`)}`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('汇总') as ExcelJS.Worksheet;
    const title = String(summary.getCell(1, 1).value);
    expect(title).toContain(county.region.name);
    expect(title).toContain('2023-01 至 2023-06');
    expect(title).toContain('仅含已审核数据');
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(summary.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape' });
    const rowOf = (sheet: ExcelJS.Worksheet, code: string, month: string) => {
      let found: unknown[] | undefined;
      sheet.eachRow((row) => {
        const values = Array.from((row.values as unknown[]).slice(1), (value) => value ?? null);
        if (values[1] === code && values[3] === month) found = values;
      });
      return found;
    };
    expect(rowOf(summary, '140827', '2023-06')?.slice(4)).toEqual([
      2600, 30, 160, 800, 60, 100, 20.01, 45, 15, 5, 4,
    ]);
    expect(rowOf(summary, E02, '2023-06')?.slice(4, 7)).toEqual([300, null, null]);
    expect(rowOf(summary, '140827', '合计')?.slice(4, 7)).toEqual([4600, null, 360]);
    let moneyFormat = '';
    summary.eachRow((row) => {
      if (row.getCell(2).value === '140827' && row.getCell(4).value === '2023-06')
        moneyFormat = row.getCell(5).numFmt;
    });
    expect(moneyFormat).toBe('#,##0.00');

    const detail = workbook.getWorksheet('明细') as ExcelJS.Worksheet;
    const lines: unknown[][] = [];
    detail.eachRow((row, number) => {
      if (number > 3) lines.push(Array.from((row.values as unknown[]).slice(1), (value) => value ?? null));
    });
    const totalLine = lines.pop();
    expect(lines).toHaveLength(county.series.total.rows);
    expect(lines.map((line) => line[2])).not.toContain('汇总测试丙公司');
    expect(lines[0]?.slice(10)).toEqual(['批量导入', '2023-07-05 10:00']);
    expect(totalLine?.slice(0, 1)).toEqual(['合计']);
    expect(totalLine?.[4]).toBe(4600);
    expect(sumYuan(lines.map((line) => (line[4] as number).toFixed(2)))).toBe(county.series.total.outputYuan);
  });
});
