import { describe, expect, test } from 'vitest';
import { creditCodeCheckCharacter } from '../src/lib/credit-code.ts';
import { browserSession, loginThroughUi, screenshot } from './helpers.ts';

const etown = '140827-E01';
const newEntityFirst17 = '91140827MA0E2E027';
const newEntityCode = `${newEntityFirst17}${creditCodeCheckCharacter(newEntityFirst17)}`;

describe('monthly statistics: the enterprise reports, the county approves, the scorecard follows', () => {
  const session = browserSession({ openPage: false });

  const signIn = async (username: string) => {
    await session.openPage();
    await loginThroughUi(session.page, username);
  };

  const fill = async (values: Record<string, string>) => {
    for (const [field, value] of Object.entries(values)) {
      await session.page
        .locator(`[data-testid="field-${field}"] input, input[data-testid="field-${field}"]`)
        .fill(value);
    }
  };

  const scorecardValues = async (no: number) => {
    await session.page.goto(`/etowns/${etown}/scorecard?year=2026`);
    const row = session.page.getByTestId(`scorecard-row-${no}`);
    await row.waitFor();
    return (await row.textContent()) ?? '';
  };

  /** "2026年1—11月总产值 12,345,678.9 元" (the months so far of a running year) → fen, exactly. */
  const yuanFen = (text: string, label: string) => {
    const match = new RegExp(`2026年(?:1—\\d{1,2}月|1月)?${label} ([\\d,]+)(?:\\.(\\d{1,2}))?`).exec(text);
    if (!match) throw new Error(`no ${label} in: ${text}`);
    return BigInt((match[1] as string).replaceAll(',', '')) * 100n + BigInt((match[2] ?? '0').padEnd(2, '0'));
  };
  /** "新增法人单位 3 个" → 3. */
  const legalEntities = (text: string) => {
    const match = /年新增法人单位\s*(\d+)/.exec(text);
    if (!match) throw new Error(`no 新增法人单位 in: ${text}`);
    return Number(match[1]);
  };
  let outputBefore = 0n;
  let retailBefore = 0n;
  let legalBefore = 0;

  test('the county notes the e-town’s output, online retail and new legal entities so far this year', async () => {
    await signIn('county.yuanqu');
    outputBefore = yuanFen(await scorecardValues(23), '总产值');
    retailBefore = yuanFen(await scorecardValues(26), '网络零售额');
    legalBefore = legalEntities(await scorecardValues(27));
  });

  test('the county registers a legal entity founded this year, and #27 counts it', async () => {
    await session.page.goto('/entities');
    await session.page.getByTestId('entity-create').click();
    const drawer = session.page.getByTestId('entity-form-drawer');
    await drawer.getByTestId('entity-credit-code').fill(newEntityCode);
    await drawer.getByTestId('entity-name').fill('垣曲县历山羊肚菌专业合作社');
    const registered = drawer.locator('.ant-form-item').filter({ hasText: '注册日期' }).locator('input');
    await registered.fill('2026-03-15');
    await registered.press('Enter');
    await session.page.getByTestId('entity-form-save').click();
    await session.page.waitForURL(/\/entities\/[0-9a-f-]{36}/);
    expect(legalEntities(await scorecardValues(27))).toBe(legalBefore + 1);
  });

  test('the enterprise reports September and submits it', async () => {
    await signIn('enterprise.demo');
    await session.page.getByTestId('menu-stats/monthly').click();
    await session.page.goto('/stats/monthly?month=2026-09');
    await session.page.getByTestId('monthly-form').waitFor();
    await fill({
      outputYuan: '2000000',
      onlineRetailYuan: '800000.50',
      crossBorderYuan: '0',
      orders: '350',
      employees: '24',
      ecommerceEmployees: '6',
    });
    await session.page.getByTestId('monthly-submit').click();
    await expect.poll(() => session.page.getByTestId('monthly-status').textContent()).toBe('待审核');
    await screenshot(session.page, 'monthly-01-enterprise-submitted');
  });

  test('an October far above September needs an explanation before it can be submitted', async () => {
    await session.page.goto('/stats/monthly?month=2026-10');
    await session.page.getByTestId('monthly-form').waitFor();
    await fill({ outputYuan: '9000000', onlineRetailYuan: '900000', crossBorderYuan: '0', orders: '400' });
    await fill({ employees: '25', ecommerceEmployees: '6' });
    await session.page.getByTestId('monthly-submit').click();
    await session.page.getByTestId('outlier-alert').waitFor();
    expect(await session.page.getByTestId('outlier-alert').textContent()).toContain(
      '总产值（元）较上月变化 350%',
    );
    await screenshot(session.page, 'monthly-02-outlier');
    await session.page.getByTestId('field-outlierExplanation').fill('十月食用菌集中上市，批发订单大增');
    await session.page.getByTestId('monthly-submit').click();
    await expect.poll(() => session.page.getByTestId('monthly-status').textContent()).toBe('待审核');
  });

  test('the county approves both months and the e-town’s #23 and #26 take the figures in', async () => {
    await signIn('county.yuanqu');
    for (const month of ['2026-09', '2026-10']) {
      await session.page.goto(`/stats/monthly?month=${month}`);
      const approve = session.page.locator('[data-testid^="approve-"]');
      await approve.first().waitFor();
      if (month === '2026-10') {
        expect(await session.page.getByTestId('monthly-reports').textContent()).toContain('异常波动');
        expect(await session.page.locator('.ant-pagination-total-text').textContent()).toMatch(/^共 \d+ 条$/);
        await screenshot(session.page, 'monthly-03-county-review');
        // The status filter asks the server for that status only; 全部 brings the whole month back.
        const filter = session.page.getByTestId('monthly-filter-status');
        await filter.getByText('已通过', { exact: true }).click();
        await expect.poll(() => approve.count()).toBe(0);
        expect(await session.page.getByTestId('monthly-report-table').textContent()).not.toContain('待审核');
        await filter.getByText('待审核', { exact: true }).click();
        await approve.first().waitFor();
        await screenshot(session.page, 'monthly-03b-filter-submitted');
        await filter.getByText('全部', { exact: true }).click();
        await approve.first().waitFor();
      }
      await approve.first().click();
      await expect
        .poll(() => session.page.getByTestId('monthly-report-table').textContent())
        .toContain('已通过');
    }
    expect(yuanFen(await scorecardValues(23), '总产值') - outputBefore).toBe(1_100_000_000n);
    expect(yuanFen(await scorecardValues(26), '网络零售额') - retailBefore).toBe(170_000_050n);
    await screenshot(session.page, 'monthly-04-scorecard');
    expect(session.pageErrors).toEqual([]);
  });

  test('the county imports a CSV of many months in the background; a bad file is refused with its rows', async () => {
    const header =
      '统一社会信用代码,月份,总产值（元）,网络零售额（元）,其中跨境（元）,订单数,从业人员,电商从业人员';
    // 91140827MA0QDBBA3F is an entity of the demo ledger (the worked example's first).
    const good = `${header}\n91140827MA0QDBBA3F,2026-08,1234567.89,234567.00,0,88,30,8\n`;
    const bad = `${header}\n91140827MA0QDBBA3F,2026-13,1,1,0,1,1,1\n91140827MA0QDBBA3F,2026-07,-5,1,0,1,1,1\n`;
    await session.page.goto('/stats/monthly?month=2026-08');
    const input = session.page.locator('[data-testid="stats-import"] input[type=file]');
    await input.setInputFiles({ name: '八月.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await session.page.getByTestId('stats-import-succeeded').waitFor({ timeout: 60_000 });
    expect(await session.page.getByTestId('stats-import-succeeded').textContent()).toContain('已导入 1 行');
    await input.setInputFiles({ name: '有错.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await session.page.getByTestId('stats-import-failed').waitFor({ timeout: 60_000 });
    const problems = (await session.page.getByTestId('stats-import-problems').textContent()) ?? '';
    expect(problems).toContain('第 2 行');
    expect(problems).toContain('第 3 行');
    await screenshot(session.page, 'monthly-05-import-refused');
  });
});
