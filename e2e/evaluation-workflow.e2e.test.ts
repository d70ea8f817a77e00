import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  launchBrowser,
  loginThroughUi,
  newPage,
  type RunningServer,
  screenshot,
  startServer,
} from './helpers.ts';

// 皋陶乡村e镇 of 垣曲县 (运城市), the e-town expert.demo is allowed to review.
const etown = '140827-E01';
const indicatorCount = 28;
// The smallest file the server recognises as a PDF by its content.
const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('the yearly evaluation, from self-evaluation to acceptance', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];
  let evaluationPath = '';

  /** Each role works in its own fresh browser context, signed in through the form. */
  const signInAs = async (username: string) => {
    if (page) await page.context().close();
    ({ page, errors: pageErrors } = await newPage(browser, server.baseUrl));
    await loginThroughUi(page, username);
  };
  const openEvaluation = async () => {
    await page.goto(evaluationPath);
    await page.getByTestId('evaluation-items').waitFor();
  };
  const statusText = () => page.getByTestId('evaluation-status').first().textContent();
  /** Types a value and leaves the field, waiting for the save it triggers. */
  const fillAndSave = async (testId: string, value: string, urlPart: string) => {
    const input = page.getByTestId(testId);
    await input.fill(value);
    await Promise.all([
      page.waitForResponse(
        (response) => response.url().includes(urlPart) && response.request().method() === 'PUT',
      ),
      input.press('Tab'),
    ]);
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(async () => {
      if (page && !page.isClosed()) await screenshot(page, `failed-${task.name.slice(0, 40)}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the county operator starts the self-evaluation, scores every indicator and submits', async () => {
    await signInAs('county.yuanqu');
    await page.getByTestId('menu-evaluations').click();
    await page.getByTestId('evaluation-table').waitFor();
    await page.getByTestId('start-etown').click();
    await page.locator('.ant-select-item-option', { hasText: '皋陶乡村e镇' }).click();
    await page.getByTestId('start-evaluation').click();
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}$/);
    evaluationPath = new URL(page.url()).pathname;
    await page.getByTestId('evaluation-items').waitFor();
    expect(await page.locator('[data-testid^="item-row-"]').count()).toBe(indicatorCount);
    expect(await page.locator('[data-testid^="indicator-status-"]').count()).toBe(indicatorCount);
    expect(await statusText()).toBe('自评中');

    // Submitting before scoring is refused with the count of what is missing.
    await page.getByTestId('submit-evaluation').click();
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('项指标未自评打分');

    for (let no = 1; no <= indicatorCount; no += 1) {
      await fillAndSave(`self-score-${no}`, '80', `/items/${no}`);
    }
    await fillAndSave('statement-1', '已按附件2口径统计，台账见附件。', '/items/1');

    // Evidence: a text file is refused by content type, a PDF is stored.
    const upload = page.locator('[data-testid="item-row-1"] input[type=file]');
    await upload.setInputFiles({
      name: '说明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('plain text'),
    });
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('证明材料仅支持');
    await upload.setInputFiles({ name: '台账说明.pdf', mimeType: 'application/pdf', buffer: pdfBytes });
    await page.getByTestId('item-row-1').getByText('台账说明.pdf').waitFor();
    await screenshot(page, 'evaluation-01-self-assessment');

    await page.getByTestId('submit-evaluation').click();
    await expect.poll(statusText).toBe('待市级审核');
    expect(pageErrors).toEqual([]);
  });

  test('the city reviewer returns one indicator with a reason', async () => {
    await signInAs('city.yuncheng');
    await expect.poll(() => page.getByTestId('notification-count').textContent()).not.toBe('');
    await openEvaluation();
    await page.getByTestId('return-item-3').click();
    await page.getByTestId('return-reason-input').fill('第3项自评分与台账不符，请核实后重报');
    await page.getByTestId('return-confirm').click();
    await expect.poll(() => page.getByTestId('submit-review').textContent()).toContain('退回 1 项');
    await page.getByTestId('submit-review').click();
    await expect.poll(statusText).toBe('已退回修改');
    await screenshot(page, 'evaluation-02-city-returned');
  });

  test('the county operator sees the reason, fixes the item and resubmits', async () => {
    await signInAs('county.yuanqu');
    await page.getByTestId('notification-bell').click();
    await page.getByTestId('notification-item').first().waitFor();
    await screenshot(page, 'evaluation-03-notifications');
    await page.keyboard.press('Escape');
    await openEvaluation();
    expect(await page.getByTestId('return-reason-3').textContent()).toContain('请核实后重报');
    expect(await page.getByTestId('review-status-3').textContent()).toBe('已退回');
    // Items that were not returned stay locked.
    expect(await page.getByTestId('self-score-4').count()).toBe(0);
    await fillAndSave('self-score-3', '70', '/items/3');
    await page.getByTestId('submit-evaluation').click();
    await expect.poll(statusText).toBe('待市级审核');
  });

  test('the city reviewer approves it from the list (bulk approval)', async () => {
    await signInAs('city.yuncheng');
    await page.getByTestId('menu-evaluations').click();
    await page.getByTestId(`evaluation-link-${etown}`).waitFor();
    await page
      .locator('tr', { has: page.getByTestId(`evaluation-link-${etown}`) })
      .locator('input[type=checkbox]')
      .check();
    await page.getByTestId('bulk-approve').click();
    await expect
      .poll(() => page.locator('tr', { has: page.getByTestId(`evaluation-link-${etown}`) }).textContent())
      .toContain('市级已通过');
    await screenshot(page, 'evaluation-04-city-list-approved');
  });

  test('the province assigns expert.demo and the expert scores every indicator', async () => {
    await signInAs('province.admin');
    await openEvaluation();
    await page.getByTestId('expert-ids').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'expert.demo' }).click();
    await page.getByTestId('experts-card').getByRole('button', { name: '指派专家' }).click();
    await expect.poll(statusText).toBe('专家评审中');
    expect(await page.getByTestId('assigned-expert').textContent()).toContain('评审专家');

    await signInAs('expert.demo');
    await openEvaluation();
    for (let no = 1; no <= indicatorCount; no += 1) {
      await fillAndSave(`expert-score-${no}`, no === 3 ? '60' : '85', `/expert-scores/${no}`);
    }
    await fillAndSave('expert-finding-3', '网络零售额增速未达标，需制定提升措施', '/expert-scores/3');
    await page.getByTestId('submit-expert-scores').click();
    await page.getByTestId('assigned-expert').getByText('已提交').waitFor();
    await screenshot(page, 'evaluation-05-expert-scored');
  });

  test('the province issues a rectification item, the county closes it and the province accepts', async () => {
    await signInAs('province.admin');
    await openEvaluation();
    expect(await page.getByTestId('panel-3').textContent()).toContain('60.0');
    await page.getByTestId('rectification-indicator').fill('3');
    await page.getByTestId('rectification-finding').fill('网络零售额增速未达标，制定提升措施');
    await page.getByTestId('rectification-owner').fill('垣曲县商务局');
    await page.getByTestId('rectification-deadline').click();
    await page.keyboard.type('2026-12-31');
    // Tab keeps the typed date; Enter would submit the form there and then.
    await page.keyboard.press('Tab');
    await page.getByTestId('rectification-submit').click();
    await expect.poll(statusText).toBe('整改中');
    await screenshot(page, 'evaluation-06-rectification-issued');

    await signInAs('county.yuanqu');
    await openEvaluation();
    await page.locator('[data-testid^="rectification-status-"]').first().click();
    await page.locator('.ant-select-item-option', { hasText: '已完成' }).click();
    await expect.poll(() => page.locator('.ant-message').textContent()).toContain('整改状态已更新');

    await signInAs('province.admin');
    await openEvaluation();
    expect(await page.getByTestId('rectification-status').textContent()).toBe('已完成');
    await page.getByTestId('acceptance-date').click();
    await page.keyboard.type('2026-11-20');
    await page.keyboard.press('Tab');
    await page.getByTestId('acceptance-conclusion').fill('整改到位，同意通过验收');
    await page.getByTestId('acceptance-submit').click();
    await expect.poll(statusText).toBe('已验收');
    expect(await page.getByTestId('acceptance-card').textContent()).toContain('同意通过验收');
    await screenshot(page, 'evaluation-07-accepted');
    expect(pageErrors).toEqual([]);
  });
  test('the province overview shows e-towns × 28 indicators, filters by tier and opens the scorecard', async () => {
    await signInAs('province.admin');
    await page.getByTestId('menu-overview').click();
    await page.getByTestId(`overview-etown-${etown}`).waitFor();
    const cells = page.locator(`[data-testid^="cell-${etown}-"]`);
    expect(await cells.count()).toBe(indicatorCount);
    expect(await page.getByTestId('overview-counts').textContent()).toContain('达标');
    await screenshot(page, 'overview-01-heatmap');

    // 垣曲县 is a 重点帮扶县; filtering by another tier leaves it out.
    await page.getByTestId('overview-tier').click();
    await page.locator('.ant-select-item-option', { hasText: '先行示范' }).click();
    await expect.poll(() => page.getByTestId(`overview-etown-${etown}`).count()).toBe(0);
    await page.getByTestId('overview-tier').click();
    await page.locator('.ant-select-item-option', { hasText: '重点帮扶' }).click();
    await page.getByTestId(`overview-etown-${etown}`).click();

    await page.waitForURL(new RegExp(`/etowns/${etown}/scorecard`));
    await page.getByTestId('scorecard-table').waitFor();
    expect(
      await page.locator('[data-testid^="scorecard-row-"]', { has: page.locator('td') }).count(),
    ).toBeGreaterThanOrEqual(indicatorCount);
    expect(await page.getByTestId('scorecard-table').textContent()).toContain('主导产业');
    const href = (await page.getByTestId('annex2-download').getAttribute('href')) ?? '';
    const download = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type') ?? '' };
    }, href);
    expect(download.status).toBe(200);
    expect(download.type).toContain('spreadsheetml');
    await screenshot(page, 'scorecard-01-etown');
    expect(pageErrors).toEqual([]);
  });
});
