import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { MonthlyAggregates } from '../src/modules/stats/monthly-aggregate.schemas.ts';
import { browserSession, demoPassword, loginThroughUi, screenshot, screenshotFolder } from './helpers.ts';

const COUNTY = '140827';
const ETOWN = '140827-E01';
/** "1,234,567.80" → fen, exactly. */
const fen = (text: string) => {
  const [yuan, cents = ''] = text.trim().replaceAll(',', '').split('.') as [string, string?];
  return BigInt(yuan) * 100n + BigInt(cents.padEnd(2, '0'));
};
const shanghaiMonth = (shift: number) => {
  const now = new Date(Date.now() + 8 * 3600_000);
  const index = now.getUTCFullYear() * 12 + now.getUTCMonth() + shift;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

describe('统计汇总: a county clerk reads approved figures, drills into them and exports them', () => {
  const session = browserSession({ openPage: false });
  let cookie = '';
  const lastMonth = shanghaiMonth(-1);
  const monthBefore = shanghaiMonth(-2);
  let before: MonthlyAggregates;

  const call = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${session.server.baseUrl}${url}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const countyAggregates = () =>
    call('GET', `/api/stats/aggregates?regionCode=${COUNTY}`) as Promise<MonthlyAggregates>;

  beforeAll(async () => {
    const login = await fetch(`${session.server.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'county.yuanqu', password: demoPassword }),
    });
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    before = await countyAggregates();
    // The demo enterprise has no figures of its own yet: the county approves last month for it and
    // leaves the month before as a draft, which must not count.
    const progress = await call('GET', `/api/stats/monthly/progress?month=${lastMonth}`);
    const demo = (progress.missing as { entityId: string; name: string }[]).find((entity) =>
      entity.name.includes('演示食用菌电商'),
    );
    if (!demo) throw new Error('the demo enterprise is not on the reminder list');
    const figures = {
      outputYuan: '2000000.50',
      onlineRetailYuan: '800000.25',
      crossBorderYuan: '0',
      orders: 350,
      employees: 24,
      ecommerceEmployees: 6,
    };
    const base = `/api/stats/monthly/${demo.entityId}`;
    await call('PUT', `${base}/${lastMonth}`, figures);
    await call('POST', `${base}/${lastMonth}/submit`);
    await call('POST', `${base}/${lastMonth}/review`, { approve: true });
    await call('PUT', `${base}/${monthBefore}`, { ...figures, outputYuan: '99999999' });
  });

  test('the county operator opens 统计汇总 and sees last month’s approved figures', async () => {
    const after = await countyAggregates();
    const cell = (data: MonthlyAggregates, month: string) =>
      data.series.months.find((entry) => entry.month === month);
    expect(
      fen(cell(after, lastMonth)?.outputYuan ?? '0') - fen(cell(before, lastMonth)?.outputYuan ?? '0'),
    ).toBe(200_000_050n);
    expect(cell(after, monthBefore)?.outputYuan).toBe(cell(before, monthBefore)?.outputYuan);

    await session.openPage();
    await loginThroughUi(session.page, 'county.yuanqu');
    await session.page.getByTestId('menu-stats/aggregates').click();
    await session.page.getByTestId('aggregates-children').waitFor();
    expect(await session.page.getByTestId('page-title').textContent()).toBe('统计汇总');
    // The period defaults to the latest month with approved figures: last month.
    expect(await session.page.getByTestId('aggregates-period').textContent()).toContain(lastMonth);
    const countyOutput = session.page.getByTestId(`output-${COUNTY}-${lastMonth}`);
    expect(fen((await countyOutput.textContent()) ?? '')).toBe(fen(cell(after, lastMonth)?.outputYuan ?? ''));
    const etownOutput = session.page.getByTestId(`output-${ETOWN}-${lastMonth}`);
    expect(fen((await etownOutput.textContent()) ?? '')).toBe(
      fen(after.children.find((child) => child.code === ETOWN)?.months.at(-1)?.outputYuan ?? ''),
    );
    await session.page.getByTestId('aggregates-chart').waitFor();
    await screenshot(session.page, 'aggregates-01-county');
  });

  test('a drill-down lists the rows behind the e-town’s month, and they add up to the figure', async () => {
    const figure = fen((await session.page.getByTestId(`output-${ETOWN}-${lastMonth}`).textContent()) ?? '');
    await session.page.getByTestId(`rows-${ETOWN}-${lastMonth}`).click();
    const drawer = session.page.getByTestId('aggregates-drawer');
    await drawer.getByTestId('drill-summary').waitFor();
    expect(await drawer.locator('.ant-drawer-title').textContent()).toContain(lastMonth);
    expect(await drawer.getByTestId('drill-rows').textContent()).toContain('演示食用菌电商');
    let sum = 0n;
    for (let pageNumber = 1; ; pageNumber += 1) {
      for (const text of await drawer.getByTestId('drill-output').allTextContents()) sum += fen(text);
      const next = drawer.locator('.ant-pagination-next');
      if ((await next.count()) === 0 || (await next.getAttribute('aria-disabled')) === 'true') break;
      await next.click();
      await expect
        .poll(() => drawer.locator('.ant-pagination-item-active').textContent())
        .toBe(String(pageNumber + 1));
    }
    expect(sum).toBe(figure);
    expect(fen((await drawer.getByTestId('drill-total-output').textContent()) ?? '')).toBe(figure);
    await screenshot(session.page, 'aggregates-02-drawer');
    // The drawer is fixed to the viewport: scroll to its totals row for a second picture.
    await drawer.getByTestId('drill-summary').scrollIntoViewIfNeeded();
    await session.page.screenshot({ path: path.join(screenshotFolder, 'aggregates-02b-drawer-totals.png') });
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  test('the export downloads a workbook with the same figures', async () => {
    const figure = fen((await session.page.getByTestId(`output-${COUNTY}-${lastMonth}`).textContent()) ?? '');
    const [download] = await Promise.all([
      session.page.waitForEvent('download'),
      session.page.getByTestId('aggregates-export').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^统计汇总-垣曲县-\d{4}-\d{2}至\d{4}-\d{2}\.xlsx$/);
    const file = path.join(tmpdir(), `aggregates-${Date.now()}.xlsx`);
    await download.saveAs(file);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('汇总');
    expect(String(summary?.getCell(1, 1).value)).toContain('仅含已审核数据');
    let exported: unknown;
    summary?.eachRow((row) => {
      if (row.getCell(2).value === COUNTY && row.getCell(4).value === lastMonth)
        exported = row.getCell(5).value;
    });
    expect(Math.round((exported as number) * 100)).toBe(Number(figure));
    expect(workbook.getWorksheet('明细')).toBeDefined();
  });

  test('the header’s region switcher narrows the page to an e-town, whose children are its entities', async () => {
    await session.page.goto(`/stats/aggregates?region=${ETOWN}`);
    await session.page.getByTestId('aggregates-children').waitFor();
    expect(await session.page.getByTestId('aggregates-subtitle').textContent()).toContain('皋陶乡村e镇');
    expect(await session.page.getByTestId('aggregates-children').textContent()).toContain('演示食用菌电商');
    await session.page.getByTestId('aggregates-view').getByText('各市场主体对比').click();
    await session.page.waitForTimeout(500);
    await screenshot(session.page, 'aggregates-03-etown-entities');
  });

  test('a range without approved figures says so and what to do', async () => {
    await session.page.goto(`/stats/aggregates?region=${COUNTY}&from=2021-01&to=2021-12`);
    await session.page.getByTestId('empty-state').waitFor();
    expect(await session.page.getByTestId('empty-state').textContent()).toContain(
      '所选范围内暂无已审核的月度数据',
    );
    await screenshot(session.page, 'aggregates-04-empty');
    expect(session.pageErrors).toEqual([]);
  });
});
