import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  browserSession,
  chooseOption,
  demoPassword,
  loginThroughUi,
  newPage,
  screenshot,
} from './helpers.ts';

const ETOWN = '140827-E01';
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const year = today.slice(0, 4);
const yesterday = (() => {
  const value = new Date(`${today}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() - 1);
  return value.toISOString().slice(0, 10);
})();

type Indicator = { no: number; status: string; facts: Record<string, unknown> };

/** Picks an option and waits until its dropdown has gone, so the next select opens its own. */
async function choose(page: Page, select: ReturnType<Page['getByTestId']>, text: string) {
  await chooseOption(page, select, text);
  await page.locator('.ant-select-item-option:visible').first().waitFor({ state: 'hidden' });
}

/** Types a date into an antd DatePicker, as a person would. */
async function typeDate(page: Page, picker: ReturnType<Page['getByTestId']>, date: string) {
  await picker.click();
  await page.keyboard.type(date);
  await page.keyboard.press('Enter');
}

describe('county records a project, its investment and a facility; a finding is rectified and closed', () => {
  const session = browserSession();

  const scorecard = async (): Promise<Map<number, Indicator>> => {
    const response = await session.page.request.get(`/api/etowns/${ETOWN}/scorecard?year=${year}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { indicators: Indicator[] };
    return new Map(body.indicators.map((indicator) => [indicator.no, indicator]));
  };

  test('adds a project with an investment and a facility; #25 and #16 follow', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    const before = await scorecard();

    await session.page.getByTestId('menu-projects').click();
    await session.page.getByTestId('project-table').waitFor();
    await session.page.getByTestId('project-create').click();
    const form = session.page.getByTestId('project-form');
    await session.page.getByTestId('project-form-ok').click();
    await expect
      .poll(() => form.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('请填写项目名称');
    if (!((await form.getByTestId('project-etown').textContent()) ?? '').includes('皋陶')) {
      await choose(session.page, form.getByTestId('project-etown'), '皋陶');
    }
    await form.getByTestId('project-name').fill('皋陶电商直播基地二期');
    await session.page.getByTestId('project-form-ok').click();
    await session.page.waitForURL(/\/projects\/[0-9a-f-]{36}/);

    await session.page.getByTestId('investment-add').click();
    const investment = session.page.getByTestId('investment-form');
    await choose(session.page, investment.getByTestId('investment-source'), '省级财政');
    await investment.getByTestId('investment-amount').fill('12.345');
    await session.page.getByTestId('investment-form-ok').click();
    await expect
      .poll(() => investment.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('金额须为不超过两位小数的数字，如 1500000.00');
    await investment.getByTestId('investment-amount').fill('2500000');
    await typeDate(session.page, investment.getByTestId('investment-date'), today);
    await session.page.getByTestId('investment-form-ok').click();
    await expect
      .poll(() => session.page.getByTestId('project-total-investment').textContent())
      .toContain('2,500,000.00');
    await session.page.getByTestId('report-add').click();
    const report = session.page.getByTestId('report-form');
    await typeDate(session.page, report.getByTestId('report-date'), today);
    await report.getByTestId('report-progress').fill('30');
    await report.getByTestId('report-summary').fill('直播间装修完成，设备进场调试');
    await session.page.getByTestId('report-form-ok').click();
    await session.page.getByTestId('project-reports').getByText('直播间装修完成').waitFor();
    await screenshot(session.page, 'projects-01-detail');

    await session.page.getByTestId('menu-projects').click();
    await session.page.getByTestId('project-section-nav').getByText('设施').click();
    await session.page.getByTestId('facility-table').waitFor();
    await session.page.getByTestId('facility-create').click();
    const facility = session.page.getByTestId('facility-form');
    if (!((await facility.getByTestId('facility-etown').textContent()) ?? '').includes('皋陶')) {
      await choose(session.page, facility.getByTestId('facility-etown'), '皋陶');
    }
    await choose(session.page, facility.getByTestId('facility-kind'), '电商产品展示体验中心');
    await facility.getByTestId('facility-name').fill('皋陶直播选品展厅');
    await facility.getByTestId('facility-area').fill('80');
    await choose(session.page, facility.getByTestId('facility-features'), '产品陈列展示');
    await choose(session.page, facility.getByTestId('facility-project'), '皋陶电商直播基地二期');
    await session.page.getByTestId('facility-form-ok').click();
    const row = session.page.getByTestId('facility-table').locator('tr', { hasText: '皋陶直播选品展厅' });
    await row.getByTestId('plan-check-16').waitFor();
    expect(await row.getByTestId('plan-check-16').textContent()).toContain('不符合');
    await screenshot(session.page, 'projects-02-facilities');

    const after = await scorecard();
    const yuan = (indicator: Indicator | undefined) => Number(indicator?.facts.investmentYuan);
    expect(yuan(after.get(25)) - yuan(before.get(25))).toBeCloseTo(2_500_000, 2);
    expect(after.get(16)?.facts.showrooms).toBe((before.get(16)?.facts.showrooms as number) + 1);

    await row.getByRole('link', { name: '皋陶直播选品展厅' }).click();
    await session.page
      .getByTestId('facility-plan-checks')
      .getByText('建筑面积 80 平方米，少于 100 平方米')
      .waitFor();
    await screenshot(session.page, 'projects-03-facility-detail');
  });

  test('an inspection finding is overdue, rectified by the e-town and closed by the county', async () => {
    await session.page.getByTestId('menu-supervision').click();
    await session.page.getByRole('tab', { name: '检查记录' }).click();
    await session.page.getByTestId('inspection-create').click();
    const form = session.page.getByTestId('inspection-form');
    if (!((await form.getByTestId('inspection-etown').textContent()) ?? '').includes('皋陶')) {
      await choose(session.page, form.getByTestId('inspection-etown'), '皋陶');
    }
    await choose(session.page, form.getByTestId('inspection-kind'), '现场检查');
    await typeDate(session.page, form.getByTestId('inspection-date'), yesterday);
    await form.getByTestId('inspection-inspectors').fill('县工科局检查组');
    await form.getByTestId('inspection-summary').fill('现场核查服务中心运营');
    await form.getByTestId('finding-add').click();
    await form.getByTestId('finding-description').fill('直播间设备台账不全');
    await form.getByTestId('finding-owner').fill('皋陶e镇运营主体');
    await typeDate(session.page, form.getByTestId('finding-deadline'), yesterday);
    await session.page.getByTestId('inspection-form-ok').click();
    await session.page.getByTestId('inspection-table').getByText('县工科局检查组').waitFor();

    await session.page.getByRole('tab', { name: '问题清单' }).click();
    const row = session.page.getByTestId('finding-table').locator('tr', { hasText: '直播间设备台账不全' });
    await row.getByTestId('finding-overdue').waitFor();
    await screenshot(session.page, 'projects-04-findings-overdue');

    const { page: etownPage, errors: etownErrors } = await newPage(session.browser, session.server.baseUrl);
    await loginThroughUi(etownPage, 'etown.gaotao', demoPassword);
    await etownPage.getByTestId('menu-supervision').click();
    const etownRow = etownPage.getByTestId('finding-table').locator('tr', { hasText: '直播间设备台账不全' });
    expect(await etownRow.getByTestId('finding-close').count()).toBe(0);
    await etownRow.getByTestId('finding-rectify').click();
    // A click while the modal still zooms in can be lost: let it open first.
    await etownPage.getByTestId('finding-action-form-ok').waitFor();
    await etownPage.waitForTimeout(500);
    await etownPage.getByTestId('finding-action-form-ok').click();
    await expect
      .poll(() =>
        etownPage
          .getByTestId('finding-action-form')
          .locator('.ant-form-item-explain-error')
          .allTextContents(),
      )
      .toContain('请填写整改情况');
    await etownPage.getByTestId('finding-note').fill('已补齐设备台账并建立月度盘点制度');
    await etownPage.getByTestId('finding-action-form-ok').click();
    await etownRow.getByText('已整改待销号').waitFor();
    await screenshot(etownPage, 'projects-05-rectified');
    expect(etownErrors).toEqual([]);
    await etownPage.context().close();

    await session.page.reload();
    await row.getByTestId('finding-close').click();
    await session.page.getByTestId('finding-note').fill('经复查整改到位，同意销号');
    await session.page.getByTestId('finding-action-form-ok').click();
    await row.getByText('已销号').waitFor();
    expect(await row.getByTestId('finding-overdue').count()).toBe(0);
    await screenshot(session.page, 'projects-06-closed');
    expect(session.pageErrors).toEqual([]);
  });
});
