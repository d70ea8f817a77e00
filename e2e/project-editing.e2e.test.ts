import type { Locator, Page } from 'playwright-core';
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
const daysAgo = (days: number) => {
  const value = new Date(`${today}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() - days);
  return value.toISOString().slice(0, 10);
};
// A real 8×6 PNG: the server types uploads by their bytes, the browser shows it.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAAYUlEQVR4nA3JoQEEMQwDwS/sigheLGwsbCxsnCJSRMr6DJ3fN6xBg4cMezjDHX5fWEHBIWGHE25eNKtR4ybNbk5z+4VZRsYmZptjrl8Uq1DhIsUuTnHrhVhCwiJiiyOu+ANKa0CxGPbvoAAAAABJRU5ErkJggg==',
  'base64',
);

const firstName = '皋陶食用菌冷链仓储中心';
const newName = '皋陶食用菌冷链仓储物流中心（一期）';

/** Picks an option and waits until its dropdown has gone, so the next select opens its own. */
async function choose(page: Page, select: Locator, text: string, search?: string) {
  await chooseOption(page, select, text, search ? { search } : {});
  await page.locator('.ant-select-item-option:visible').first().waitFor({ state: 'hidden' });
}

/**
 * Types a date into an antd DatePicker (its test id sits on the input), replacing what it shows, as a
 * person would, and checks the picker took it: on a loaded machine a key can land before the picker opens.
 */
async function typeDate(page: Page, input: Locator, date: string) {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await input.click();
    await page.locator('.ant-picker-dropdown:visible').first().waitFor();
    await input.press('ControlOrMeta+A');
    await input.pressSequentially(date);
    await input.press('Enter');
    for (let wait = 0; wait < 10; wait += 1) {
      if ((await input.inputValue()) === date) return;
      await page.waitForTimeout(100);
    }
  }
  throw new Error(`the date picker did not take ${date}`);
}

/** Waits until an animated overlay stops moving, so a click lands where it aims on a loaded machine. */
async function settled(page: Page, overlay: Locator) {
  await overlay.waitFor();
  let last = '';
  for (let check = 0; check < 50; check += 1) {
    const box = JSON.stringify(await overlay.boundingBox());
    if (box === last) return;
    last = box;
    await page.waitForTimeout(100);
  }
}

/**
 * "截至2026-12-07总投资 12,345,678.9 元" (a running year counts to today; a closed one says "截至2026年底") on
 * the scorecard → fen, read exactly from the text.
 */
function investmentFen(text: string): bigint {
  const match = new RegExp(
    `截至(?:${year}年底|${year}-\\d{2}-\\d{2})总投资\\s*([\\d,]+)(?:\\.(\\d{1,2}))?`,
  ).exec(text);
  if (!match) throw new Error(`no 总投资 in: ${text}`);
  return BigInt((match[1] as string).replaceAll(',', '')) * 100n + BigInt((match[2] ?? '0').padEnd(2, '0'));
}

describe('a county clerk creates, corrects and tidies up a construction project', () => {
  const session = browserSession();
  let projectPath = '';
  let investmentBefore = 0n;

  const toast = (text: string) =>
    session.page.locator('.ant-message-notice').filter({ hasText: text }).first();
  const overview = () => session.page.getByTestId('project-overview');
  const overviewItem = (label: string) =>
    overview()
      .locator('.ant-descriptions-item')
      .filter({ hasText: label })
      .locator('.ant-descriptions-item-content');
  const milestone = (name: string) => session.page.getByTestId('milestone-item').filter({ hasText: name });
  /** Clicks what opens a form modal and returns the modal once it has zoomed in. */
  const openDialog = async (opener: Locator, testId: string) => {
    await opener.click();
    const dialog = session.page.getByTestId(testId);
    await settled(session.page, dialog.locator('.ant-modal'));
    return dialog;
  };
  /** Answers the open Popconfirm, which asks `question`, with its OK button. */
  const confirm = async (question: string) => {
    const popover = session.page.locator('.ant-popconfirm:visible');
    await settled(session.page, popover);
    await expect.poll(() => popover.locator('.ant-popconfirm-title').textContent()).toBe(question);
    await popover.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    await popover.waitFor({ state: 'hidden' });
  };
  /** The e-town's scorecard row for indicator 25 (total investment), as the county sees it. */
  const scorecardInvestment = async () => {
    await session.page.goto(`/etowns/${ETOWN}/scorecard?year=${year}`);
    const row = session.page.getByTestId('scorecard-row-25');
    await row.waitFor();
    return investmentFen((await row.textContent()) ?? '');
  };

  test('registers a project, picking its owner from the e-town’s market entities', async () => {
    await loginThroughUi(session.page, 'county.yuanqu', demoPassword);
    investmentBefore = await scorecardInvestment();

    await session.page.getByTestId('menu-projects').click();
    await session.page.getByTestId('project-table').waitFor();
    const form = await openDialog(session.page.getByTestId('project-create'), 'project-form');
    if (!((await form.getByTestId('project-etown').textContent()) ?? '').includes('皋陶')) {
      await choose(session.page, form.getByTestId('project-etown'), '皋陶');
    }
    await form.getByTestId('project-name').fill(firstName);
    await choose(session.page, form.getByTestId('project-owner'), '山西垣曲六宝电子商务有限公司', '六宝');
    await typeDate(session.page, form.getByTestId('project-planned-start'), `${year}-03-01`);
    await typeDate(session.page, form.getByTestId('project-planned-end'), `${year}-02-01`);
    await session.page.getByTestId('project-form-ok').click();
    await expect
      .poll(() => form.locator('.ant-form-item-explain-error').allTextContents())
      .toContain('计划完工日期不能早于计划开工日期');
    await typeDate(session.page, form.getByTestId('project-planned-end'), `${year}-10-31`);
    await form.getByTestId('project-description').fill('建设冷库 2000 立方米及分拣车间');
    await screenshot(session.page, 'project-editing-01-create-form');
    await session.page.getByTestId('project-form-ok').click();

    await session.page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    projectPath = new URL(session.page.url()).pathname;
    await toast(`已登记项目“${firstName}”`).waitFor();
    await expect.poll(() => overviewItem('项目业主').textContent()).toContain('山西垣曲六宝电子商务有限公司');
    expect(await overviewItem('计划工期').textContent()).toBe(`${year}-03-01 至 ${year}-10-31`);

    // Two investments, so one can be deleted later.
    for (const [source, amount] of [
      ['省级财政', '2000000'],
      ['社会资本', '350000.50'],
    ] as const) {
      const investment = await openDialog(session.page.getByTestId('investment-add'), 'investment-form');
      await choose(session.page, investment.getByTestId('investment-source'), source);
      await investment.getByTestId('investment-amount').fill(amount);
      await typeDate(session.page, investment.getByTestId('investment-date'), today);
      await session.page.getByTestId('investment-form-ok').click();
      await investment.waitFor({ state: 'hidden' });
    }
    await expect
      .poll(() => session.page.getByTestId('project-total-investment').textContent())
      .toContain('2,350,000.50');
  });

  test('corrects the name, owner and planned dates; starts work on a chosen day', async () => {
    const form = await openDialog(session.page.getByTestId('project-edit'), 'project-edit-form');
    expect(await form.getByTestId('project-name').inputValue()).toBe(firstName);
    expect(await form.getByTestId('project-owner').textContent()).toContain('山西垣曲六宝电子商务有限公司');
    await form.getByTestId('project-name').fill(newName);
    // The owner list is searched on the server, by name or credit code.
    await form.getByTestId('project-owner').click();
    await session.page.keyboard.type('合作社');
    const options = session.page.locator('.ant-select-item-option:visible');
    await expect
      .poll(async () => {
        const texts = await options.allTextContents();
        return texts.length > 0 && texts.every((text) => text.includes('合作社'));
      })
      .toBe(true);
    await screenshot(session.page, 'project-editing-02-owner-search');
    await choose(session.page, form.getByTestId('project-owner'), '垣曲县历山猴头菇种植专业合作社');
    await typeDate(session.page, form.getByTestId('project-planned-start'), `${year}-04-15`);
    await typeDate(session.page, form.getByTestId('project-planned-end'), `${year}-12-20`);
    await screenshot(session.page, 'project-editing-02-edit-form');
    await session.page.getByTestId('project-edit-form-ok').click();
    await toast('已保存项目信息').waitFor();
    await form.waitFor({ state: 'hidden' });

    await expect.poll(() => session.page.getByTestId('page-title').textContent()).toBe(newName);
    expect(await overviewItem('项目业主').textContent()).toContain('垣曲县历山猴头菇种植专业合作社');
    expect(await overviewItem('计划工期').textContent()).toBe(`${year}-04-15 至 ${year}-12-20`);
    expect(await overviewItem('建设内容').textContent()).toBe('建设冷库 2000 立方米及分拣车间');

    const started = daysAgo(20);
    const status = await openDialog(session.page.getByTestId('project-status-in_progress'), 'status-form');
    await typeDate(session.page, status.getByTestId('status-date'), started);
    await screenshot(session.page, 'project-editing-03-start-work');
    await session.page.getByTestId('status-form-ok').click();
    await toast('已开工').waitFor();
    await expect.poll(() => overviewItem('实际工期').textContent()).toBe(`${started} 至 今`);

    // The e-town's project ledger and the scorecard's investment rows carry the new name.
    await session.page.getByTestId('menu-projects').click();
    const row = session.page.getByTestId('project-table').locator('tr', { hasText: newName });
    await row.waitFor();
    expect(await row.textContent()).toContain('垣曲县历山猴头菇种植专业合作社');
    // The list is paged on the server: the total is the server's count.
    expect(await session.page.locator('.ant-pagination-total-text').textContent()).toMatch(/^共 \d+ 个项目$/);
    await screenshot(session.page, 'project-editing-04-list');
    expect(await row.textContent()).toContain(`${year}-04-15 至 ${year}-12-20`);
    expect(
      await session.page.getByTestId('project-table').getByText(firstName, { exact: true }).count(),
    ).toBe(0);

    await session.page.goto(`/etowns/${ETOWN}/scorecard?year=${year}`);
    await session.page.getByTestId('drill-25').click();
    const drawer = session.page.locator('.ant-drawer-open [data-testid="drilldown-drawer"]');
    await drawer.getByText(newName).first().waitFor();
    expect(await drawer.getByText(firstName, { exact: true }).count()).toBe(0);
    await session.page.locator('.ant-drawer-open .ant-drawer-close').click();
    await session.page.locator('.ant-drawer-open').waitFor({ state: 'detached' });
  });

  test('adds, corrects, completes on a chosen day and deletes milestones', async () => {
    await session.page.goto(projectPath);
    await session.page.getByTestId('project-milestones').waitFor();
    for (const [name, planned] of [
      ['主体完工', daysAgo(10)],
      ['设备安装', `${year}-12-01`],
    ] as const) {
      const form = await openDialog(session.page.getByTestId('milestone-add'), 'milestone-form');
      await form.getByTestId('milestone-name').fill(name);
      await typeDate(session.page, form.getByTestId('milestone-planned'), planned);
      await session.page.getByTestId('milestone-form-ok').click();
      await toast(`已添加里程碑“${name}”`).waitFor();
      await form.waitFor({ state: 'hidden' });
    }

    const form = await openDialog(milestone('主体完工').getByTestId('milestone-edit'), 'milestone-form');
    expect(await form.getByTestId('milestone-name').inputValue()).toBe('主体完工');
    await form.getByTestId('milestone-name').fill('主体结构封顶');
    await typeDate(session.page, form.getByTestId('milestone-planned'), daysAgo(12));
    await session.page.getByTestId('milestone-form-ok').click();
    await toast('已修改里程碑“主体结构封顶”').waitFor();
    await form.waitFor({ state: 'hidden' });
    await milestone('主体结构封顶').waitFor();
    expect(await milestone('主体结构封顶').textContent()).toContain(`计划 ${daysAgo(12)} · 实际 未完成`);
    expect(await milestone('主体结构封顶').textContent()).toContain('已延期');
    expect(await session.page.getByTestId('milestone-item').filter({ hasText: '主体完工' }).count()).toBe(0);

    const done = await openDialog(
      milestone('主体结构封顶').getByTestId('milestone-done'),
      'milestone-done-form',
    );
    await typeDate(session.page, done.getByTestId('milestone-done-date'), daysAgo(3));
    await screenshot(session.page, 'project-editing-05-milestone-done');
    await session.page.getByTestId('milestone-done-form-ok').click();
    await toast(`里程碑“主体结构封顶”已于 ${daysAgo(3)} 完成`).waitFor();
    await expect
      .poll(() => milestone('主体结构封顶').textContent())
      .toContain(`计划 ${daysAgo(12)} · 实际 ${daysAgo(3)}`);
    expect(await milestone('主体结构封顶').textContent()).toContain('延期完成');
    expect(await milestone('主体结构封顶').getByTestId('milestone-done').count()).toBe(0);

    await milestone('设备安装').getByTestId('milestone-delete').click();
    await confirm('删除里程碑“设备安装”？');
    await toast('已删除里程碑“设备安装”').waitFor();
    await expect.poll(() => milestone('设备安装').count()).toBe(0);
    expect(await session.page.getByTestId('milestone-item').count()).toBe(1);
  });

  test('deletes a photo and an investment; the scorecard follows; the project goes once it has no money', async () => {
    const reports = session.page.getByTestId('project-reports');
    await reports
      .locator('.ant-card-extra input[type=file]')
      .setInputFiles({ name: '冷库基坑.png', mimeType: 'image/png', buffer: PNG });
    await toast('已上传 冷库基坑.png').waitFor();
    await reports.getByTestId('project-photo').first().waitFor();
    await screenshot(session.page, 'project-editing-06-detail');
    await reports.getByRole('button', { name: '删除照片 冷库基坑.png' }).click();
    await confirm('删除这张照片？');
    await toast('已删除照片 冷库基坑.png').waitFor();
    await expect.poll(() => reports.getByTestId('project-photo').count()).toBe(0);

    // While it has investments the project cannot be deleted.
    expect(await session.page.getByTestId('project-delete').isDisabled()).toBe(true);
    const investments = session.page.getByTestId('project-investments');
    await investments.locator('tr', { hasText: '350,000.50' }).getByTestId('investment-delete').click();
    await confirm('删除这笔投资？');
    await toast('已删除投资记录（350,000.50 元）').waitFor();
    await expect
      .poll(() => session.page.getByTestId('project-total-investment').textContent())
      .toContain('2,000,000.00');
    expect(await investments.locator('tr', { hasText: '350,000.50' }).count()).toBe(0);
    expect(await investments.getByText('社会资本').count()).toBe(0);
    await screenshot(session.page, 'project-editing-07-after-deletes');

    expect((await scorecardInvestment()) - investmentBefore).toBe(200_000_000n);

    // A city reviewer reads the project but sees no way to change it.
    const { page: cityPage, errors: cityErrors } = await newPage(session.browser, session.server.baseUrl);
    await loginThroughUi(cityPage, 'city.yuncheng', demoPassword);
    await cityPage.goto(projectPath);
    await cityPage.getByTestId('project-overview').waitFor();
    await cityPage.getByTestId('milestone-item').first().waitFor();
    for (const testId of [
      'project-edit',
      'project-delete',
      'milestone-add',
      'milestone-edit',
      'milestone-delete',
      'investment-delete',
    ]) {
      expect(await cityPage.getByTestId(testId).count(), testId).toBe(0);
    }
    expect(cityErrors).toEqual([]);
    await cityPage.context().close();

    await session.page.goto(projectPath);
    await session.page
      .getByTestId('project-investments')
      .locator('tr', { hasText: '2,000,000.00' })
      .waitFor();
    await session.page.getByTestId('investment-delete').click();
    await confirm('删除这笔投资？');
    await toast('已删除投资记录（2,000,000.00 元）').waitFor();
    await expect.poll(() => session.page.getByTestId('project-delete').isDisabled()).toBe(false);
    await session.page.getByTestId('project-delete').click();
    await confirm(`删除项目“${newName}”？`);
    await toast(`已删除项目“${newName}”`).waitFor();
    await session.page.waitForURL(/\/projects$/);
    await session.page.getByTestId('project-table').waitFor();
    await expect.poll(() => session.page.getByTestId('project-table').getByText(newName).count()).toBe(0);
    expect((await session.page.request.get(`/api${projectPath}`)).status()).toBe(404);
    expect(await scorecardInvestment()).toBe(investmentBefore);
    expect(session.pageErrors).toEqual([]);
  });
});
