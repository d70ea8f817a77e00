import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';

const ETOWN = '140827-E01';
const YEAR = 2025;
const statusLabels = { met: '达标', unmet: '未达标', pending: '待定' } as const;

type Scorecard = {
  etown: { code: string; name: string };
  summary: { met: number; unmet: number; pending: number };
  trend: { asOf: string; summary: { met: number; unmet: number; pending: number } };
  indicators: {
    no: number;
    category: string;
    standard: string;
    status: keyof typeof statusLabels;
    values: string[];
    facts: Record<string, unknown>;
    reasons: string[];
    previousStatus: string | null;
  }[];
  addOns: { catalog: { title: string }; indicators: unknown[] }[];
};
type Overview = {
  indicators: { no: number }[];
  etowns: { code: string; city: { code: string }; tier: string; statuses: string[] }[];
  totals: { no: number; met: number; unmet: number; pending: number }[];
};

describe.each(testBackends)('scorecard, overview and Annex-2 export on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  const get = (username: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies.get(username) ?? '' } });

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['province.admin', 'city.yuncheng', 'county.yuanqu', 'county.other', 'auditor']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('shows the 28 indicators in Annex-2 order with targets, values, trend and the county add-ons', async () => {
    const response = await get('county.yuanqu', `/api/etowns/${ETOWN}/scorecard?year=${YEAR}`);
    expect(response.statusCode).toBe(200);
    const scorecard: Scorecard = response.json();
    expect(scorecard.etown.code).toBe(ETOWN);
    expect(scorecard.indicators.map((indicator) => indicator.no)).toEqual(
      Array.from({ length: 28 }, (_, index) => index + 1),
    );
    expect(scorecard.indicators[1]?.standard).toBe('主导产业数量 1—3 个。');
    expect(scorecard.indicators[0]?.category).toBe('一、科学谋划布局');
    const { met, unmet, pending } = scorecard.summary;
    expect(met + unmet + pending).toBe(28);
    expect(scorecard.trend.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const indicator of scorecard.indicators) {
      expect(['met', 'unmet', 'pending']).toContain(indicator.previousStatus);
    }
    expect(scorecard.indicators.some((indicator) => indicator.values.length > 0)).toBe(true);
    // Yuanqu's own targets come separately, outside the 28.
    expect(scorecard.addOns).toHaveLength(1);
    expect(scorecard.addOns[0]?.indicators.length).toBeGreaterThan(0);
  });

  it('judges the current year as running: like-for-like growth and no part-year 未达标 on the demo', async () => {
    const thisYear = Number(shanghaiToday().slice(0, 4));
    const response = await get('county.yuanqu', `/api/etowns/${ETOWN}/scorecard?year=${thisYear}`);
    const scorecard = response.json() as Scorecard & {
      running: { asOf: string; throughMonth: number } | null;
    };
    expect(scorecard.running?.asOf).toBe(shanghaiToday());
    const byNo = new Map(scorecard.indicators.map((indicator) => [indicator.no, indicator]));
    // The figures, registrations, events and documents of the year can still be reached before it ends.
    for (const no of [1, 10, 14, 19, 21, 23, 25, 26, 27])
      expect(byNo.get(no)?.status, `#${no}`).not.toBe('unmet');
    const through = scorecard.running?.throughMonth ?? 0;
    if (through > 0) {
      const months = through === 1 ? '1月' : `1—${through}月`;
      expect(byNo.get(26)?.facts.comparedMonths).toBe(months);
      expect(byNo.get(26)?.values.join('')).toContain(`${thisYear}年${months}网络零售额同比增长率`);
    }
    const overview = (await get('county.yuanqu', `/api/evaluations/overview?year=${thisYear}`)).json();
    expect(overview.running).toBe(true);
    expect(overview.etowns.find((etown: { code: string }) => etown.code === ETOWN)?.statuses).toEqual(
      scorecard.indicators.map((indicator) => indicator.status),
    );
    const closed = (await get('county.yuanqu', `/api/etowns/${ETOWN}/scorecard?year=${YEAR}`)).json();
    expect(closed.running).toBeNull();
  });

  it('answers 404 for an e-town outside the scope and 403 for a role without access', async () => {
    expect((await get('county.other', `/api/etowns/${ETOWN}/scorecard?year=${YEAR}`)).statusCode).toBe(404);
    expect((await get('county.other', `/api/etowns/${ETOWN}/annex2.xlsx?year=${YEAR}`)).statusCode).toBe(404);
    expect((await get('auditor', `/api/etowns/${ETOWN}/scorecard?year=${YEAR}`)).statusCode).toBe(403);
    expect((await get('auditor', `/api/evaluations/overview?year=${YEAR}`)).statusCode).toBe(403);
    expect((await get('county.yuanqu', `/api/etowns/${ETOWN}/scorecard`)).statusCode).toBe(400);
  });

  it('drills down to the rows the engine counted for one indicator, in scope only', async () => {
    const scorecard: Scorecard = (
      await get('county.yuanqu', `/api/etowns/${ETOWN}/scorecard?year=${YEAR}`)
    ).json();
    const url = (no: number, extra = '') =>
      `/api/etowns/${ETOWN}/scorecard/indicators/${no}?year=${YEAR}${extra}`;
    const output = await get('county.yuanqu', url(23));
    expect(output.statusCode).toBe(200);
    const drilldown = output.json();
    expect(drilldown.indicator).toEqual({ no: 23, title: '年总产值' });
    const monthly = drilldown.sections.find((section: { kind: string }) => section.kind === 'monthly');
    expect(monthly.months).toHaveLength(12);
    const facts = scorecard.indicators.find((indicator) => indicator.no === 23)?.facts ?? {};
    expect(monthly.currentTotal.replaceAll(',', '')).toBe(facts.outputYuan);

    // Every count the drawer lists is the scorecard's count.
    for (const [no, fact] of [
      [4, 'count'],
      [27, 'count'],
    ] as const) {
      const section = (await get('county.yuanqu', url(no))).json().sections[0];
      const counted = scorecard.indicators.find((indicator) => indicator.no === no)?.facts[fact];
      expect(section.rows.length, `#${no}`).toBe(counted);
    }
    const addOn = await get('county.yuanqu', url(1, '&catalog=yuanqu-140827'));
    expect(addOn.statusCode).toBe(200);
    expect(addOn.json().catalog.title).toBe(scorecard.addOns[0]?.catalog.title);

    expect((await get('county.other', url(23))).statusCode).toBe(404);
    expect((await get('county.yuanqu', url(29))).statusCode).toBe(404);
    expect((await get('county.yuanqu', url(1, '&catalog=nowhere'))).statusCode).toBe(404);
    expect((await get('auditor', url(23))).statusCode).toBe(403);
    expect((await get('county.yuanqu', `/api/etowns/${ETOWN}/scorecard/indicators/23`)).statusCode).toBe(400);
  });

  it('lists every e-town in scope × 28 statuses with per-indicator totals, filtered by city and tier', async () => {
    const province: Overview = (await get('province.admin', `/api/evaluations/overview?year=${YEAR}`)).json();
    const codes = province.etowns.map((etown) => etown.code);
    expect(codes).toContain(ETOWN);
    expect(province.indicators).toHaveLength(28);
    for (const etown of province.etowns) expect(etown.statuses).toHaveLength(28);
    expect(province.totals).toHaveLength(28);
    for (const total of province.totals) {
      expect(total.met + total.unmet + total.pending).toBe(province.etowns.length);
    }
    const scorecard: Scorecard = (
      await get('province.admin', `/api/etowns/${ETOWN}/scorecard?year=${YEAR}`)
    ).json();
    expect(province.etowns.find((etown) => etown.code === ETOWN)?.statuses).toEqual(
      scorecard.indicators.map((indicator) => indicator.status),
    );

    const own: Overview = (await get('county.other', `/api/evaluations/overview?year=${YEAR}`)).json();
    expect(own.etowns.map((etown) => etown.code).filter((code) => code === ETOWN)).toEqual([]);
    for (const etown of own.etowns) expect(etown.code.startsWith('140826')).toBe(true);

    const city: Overview = (await get('city.yuncheng', `/api/evaluations/overview?year=${YEAR}`)).json();
    for (const etown of city.etowns) expect(etown.city.code).toBe('1408');
    expect(city.etowns.map((etown) => etown.code)).toContain(ETOWN);

    const elsewhere: Overview = (
      await get('province.admin', `/api/evaluations/overview?year=${YEAR}&cityCode=1401`)
    ).json();
    expect(elsewhere.etowns).toEqual([]);
    const tier = province.etowns.find((etown) => etown.code === ETOWN)?.tier as string;
    const sameTier: Overview = (
      await get('province.admin', `/api/evaluations/overview?year=${YEAR}&cityCode=1408&tier=${tier}`)
    ).json();
    expect(sameTier.etowns.map((etown) => etown.code)).toContain(ETOWN);
    for (const etown of sameTier.etowns) expect(etown.tier).toBe(tier);
    const otherTier = tier === 'key_support' ? 'pilot_demo' : 'key_support';
    const noneOfThem: Overview = (
      await get('province.admin', `/api/evaluations/overview?year=${YEAR}&tier=${otherTier}`)
    ).json();
    expect(noneOfThem.etowns.map((etown) => etown.code)).not.toContain(ETOWN);
  });

  it('exports the Annex-2 table with the 28 rows, their statuses and a UTF-8 file name', async () => {
    const scorecard: Scorecard = (
      await get('county.yuanqu', `/api/etowns/${ETOWN}/scorecard?year=${YEAR}`)
    ).json();
    const response = await get('county.yuanqu', `/api/etowns/${ETOWN}/annex2.xlsx?year=${YEAR}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(`${scorecard.etown.name}${YEAR}年建设约束性指标完成情况.xlsx`)}`,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.getCell('A1').value).toBe(`${scorecard.etown.name} ${YEAR} 年建设约束性指标完成情况`);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '项目',
      '序号',
      '建设内容',
      '建设标准',
      '属性',
      '当前值',
      '状态',
    ]);
    const numbers: unknown[] = [];
    const statuses: unknown[] = [];
    for (let row = 3; row < 3 + 28; row += 1) {
      numbers.push(sheet.getCell(row, 2).value);
      statuses.push(sheet.getCell(row, 7).value);
    }
    expect(numbers).toEqual(Array.from({ length: 28 }, (_, index) => index + 1));
    expect(statuses).toEqual(scorecard.indicators.map((indicator) => statusLabels[indicator.status]));
    // 项目 is merged over its indicators, as in the seed: 2 and 3 share 二、培育乡村 e 镇主导产业.
    expect(sheet.getCell('A4').isMerged).toBe(true);
    expect(sheet.getCell('A5').master.address).toBe('A4');
  });
});
