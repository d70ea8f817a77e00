import { describe, expect, test } from 'vitest';
import { browserSession, loginThroughUi, screenshot } from './helpers.ts';

// 皋陶乡村e镇 of 垣曲县 (运城市), the e-town expert.demo is allowed to review.
const etown = '140827-E01';
const indicatorCount = 28;
// The smallest file the server recognises as a PDF by its content.
const pdfBytes = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('the yearly evaluation, from self-evaluation to acceptance', () => {
  const session = browserSession({ openPage: false });
  let evaluationPath = '';

  /** Each role works in its own fresh browser context, signed in through the form. */
  const signInAs = async (username: string) => {
    await session.openPage();
    await loginThroughUi(session.page, username);
  };
  const openEvaluation = async () => {
    await session.page.goto(evaluationPath);
    await session.page.getByTestId('evaluation-items').waitFor();
  };
  const statusText = () => session.page.getByTestId('evaluation-status').first().textContent();
  /** Types a value and leaves the field, waiting for the save it triggers. */
  const fillAndSave = async (testId: string, value: string, urlPart: string) => {
    const input = session.page.getByTestId(testId);
    await input.fill(value);
    await Promise.all([
      session.page.waitForResponse(
        (response) => response.url().includes(urlPart) && response.request().method() === 'PUT',
      ),
      input.press('Tab'),
    ]);
  };

  test('the county operator starts the self-evaluation, scores every indicator and submits', async () => {
    await signInAs('county.yuanqu');
    await session.page.getByTestId('menu-evaluations').click();
    await session.page.getByTestId('evaluation-table').waitFor();
    await session.page.getByTestId('start-etown').click();
    await session.page.locator('.ant-select-item-option', { hasText: '皋陶乡村e镇' }).click();
    await session.page.getByTestId('start-evaluation').click();
    await session.page.waitForURL(/\/evaluations\/[0-9a-f-]{36}$/);
    evaluationPath = new URL(session.page.url()).pathname;
    await session.page.getByTestId('evaluation-items').waitFor();
    expect(await session.page.locator('[data-testid^="item-row-"]').count()).toBe(indicatorCount);
    expect(await session.page.locator('[data-testid^="indicator-status-"]').count()).toBe(indicatorCount);
    expect(await statusText()).toBe('自评中');

    // Submitting before scoring is refused with the count of what is missing.
    await session.page.getByTestId('submit-evaluation').click();
    await expect.poll(() => session.page.locator('.ant-message').textContent()).toContain('项指标未自评打分');

    for (let no = 1; no <= indicatorCount; no += 1) {
      await fillAndSave(`self-score-${no}`, '80', `/items/${no}`);
    }
    await fillAndSave('statement-1', '已按附件2口径统计，台账见附件。', '/items/1');

    // Evidence: a text file is refused by content type, a PDF is stored.
    const upload = session.page.locator('[data-testid="item-row-1"] input[type=file]');
    await upload.setInputFiles({
      name: '说明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('plain text'),
    });
    await expect.poll(() => session.page.locator('.ant-message').textContent()).toContain('证明材料仅支持');
    await upload.setInputFiles({ name: '台账说明.pdf', mimeType: 'application/pdf', buffer: pdfBytes });
    await session.page.getByTestId('item-row-1').getByText('台账说明.pdf').waitFor();
    await screenshot(session.page, 'evaluation-01-self-assessment');

    await session.page.getByTestId('submit-evaluation').click();
    await expect.poll(statusText).toBe('待市级审核');
    expect(session.pageErrors).toEqual([]);
  });

  test('the city reviewer returns one indicator with a reason', async () => {
    await signInAs('city.yuncheng');
    await expect.poll(() => session.page.getByTestId('notification-count').textContent()).not.toBe('');
    await openEvaluation();
    await session.page.getByTestId('return-item-3').click();
    await session.page.getByTestId('return-reason-input').fill('第3项自评分与台账不符，请核实后重报');
    await session.page.getByTestId('return-confirm').click();
    await expect.poll(() => session.page.getByTestId('submit-review').textContent()).toContain('退回 1 项');
    await session.page.getByTestId('submit-review').click();
    await expect.poll(statusText).toBe('已退回修改');
    await screenshot(session.page, 'evaluation-02-city-returned');
  });

  test('the county operator sees the reason, fixes the item and resubmits', async () => {
    await signInAs('county.yuanqu');
    await session.page.getByTestId('notification-bell').click();
    await session.page.getByTestId('notification-item').first().waitFor();
    await screenshot(session.page, 'evaluation-03-notifications');
    await session.page.keyboard.press('Escape');
    await openEvaluation();
    expect(await session.page.getByTestId('return-reason-3').textContent()).toContain('请核实后重报');
    expect(await session.page.getByTestId('review-status-3').textContent()).toBe('已退回');
    // Items that were not returned stay locked.
    expect(await session.page.getByTestId('self-score-4').count()).toBe(0);
    await fillAndSave('self-score-3', '70', '/items/3');
    await session.page.getByTestId('submit-evaluation').click();
    await expect.poll(statusText).toBe('待市级审核');
  });

  test('the city reviewer approves it from the list (bulk approval)', async () => {
    await signInAs('city.yuncheng');
    await session.page.getByTestId('menu-evaluations').click();
    await session.page.getByTestId(`evaluation-link-${etown}`).waitFor();
    await session.page
      .locator('tr', { has: session.page.getByTestId(`evaluation-link-${etown}`) })
      .locator('input[type=checkbox]')
      .check();
    await session.page.getByTestId('bulk-approve').click();
    await expect
      .poll(() =>
        session.page
          .locator('tr', { has: session.page.getByTestId(`evaluation-link-${etown}`) })
          .textContent(),
      )
      .toContain('市级已通过');
    await screenshot(session.page, 'evaluation-04-city-list-approved');
  });

  test('the province assigns expert.demo and the expert scores every indicator', async () => {
    await signInAs('province.admin');
    await openEvaluation();
    await session.page.getByTestId('expert-ids').click();
    await session.page.locator('.ant-select-item-option').filter({ hasText: 'expert.demo' }).click();
    await session.page.getByTestId('experts-card').getByRole('button', { name: '指派专家' }).click();
    await expect.poll(statusText).toBe('专家评审中');
    expect(await session.page.getByTestId('assigned-expert').textContent()).toContain('评审专家');

    await signInAs('expert.demo');
    await openEvaluation();
    for (let no = 1; no <= indicatorCount; no += 1) {
      await fillAndSave(`expert-score-${no}`, no === 3 ? '60' : '85', `/expert-scores/${no}`);
    }
    await fillAndSave('expert-finding-3', '网络零售额增速未达标，需制定提升措施', '/expert-scores/3');
    await session.page.getByTestId('submit-expert-scores').click();
    await session.page.getByTestId('assigned-expert').getByText('已提交').waitFor();
    await screenshot(session.page, 'evaluation-05-expert-scored');
  });

  test('the province issues a rectification item, the county closes it and the province accepts', async () => {
    await signInAs('province.admin');
    await openEvaluation();
    expect(await session.page.getByTestId('panel-3').textContent()).toContain('60.0');
    await session.page.getByTestId('rectification-indicator').fill('3');
    await session.page.getByTestId('rectification-finding').fill('网络零售额增速未达标，制定提升措施');
    await session.page.getByTestId('rectification-owner').fill('垣曲县商务局');
    await session.page.getByTestId('rectification-deadline').click();
    await session.page.keyboard.type('2026-12-31');
    // Tab keeps the typed date; Enter would submit the form there and then.
    await session.page.keyboard.press('Tab');
    await session.page.getByTestId('rectification-submit').click();
    await expect.poll(statusText).toBe('整改中');
    await screenshot(session.page, 'evaluation-06-rectification-issued');

    await signInAs('county.yuanqu');
    await openEvaluation();
    await session.page.locator('[data-testid^="rectification-status-"]').first().click();
    await session.page.locator('.ant-select-item-option', { hasText: '已完成' }).click();
    await expect.poll(() => session.page.locator('.ant-message').textContent()).toContain('整改状态已更新');

    await signInAs('province.admin');
    await openEvaluation();
    expect(await session.page.getByTestId('rectification-status').textContent()).toBe('已完成');
    await session.page.getByTestId('acceptance-date').click();
    await session.page.keyboard.type('2026-11-20');
    await session.page.keyboard.press('Tab');
    await session.page.getByTestId('acceptance-conclusion').fill('整改到位，同意通过验收');
    await session.page.getByTestId('acceptance-submit').click();
    await expect.poll(statusText).toBe('已验收');
    expect(await session.page.getByTestId('acceptance-card').textContent()).toContain('同意通过验收');
    await screenshot(session.page, 'evaluation-07-accepted');
    expect(session.pageErrors).toEqual([]);
  });
  test('the province overview shows e-towns × 28 indicators, filters by tier and opens the scorecard', async () => {
    await signInAs('province.admin');
    await session.page.getByTestId('menu-overview').click();
    await session.page.getByTestId(`overview-etown-${etown}`).waitFor();
    const cells = session.page.locator(`[data-testid^="cell-${etown}-"]`);
    expect(await cells.count()).toBe(indicatorCount);
    expect(await session.page.getByTestId('overview-counts').textContent()).toContain('达标');
    await screenshot(session.page, 'overview-01-heatmap');

    // 垣曲县 is a 重点帮扶县; filtering by another tier leaves it out.
    await session.page.getByTestId('overview-tier').click();
    await session.page.locator('.ant-select-item-option', { hasText: '先行示范' }).click();
    await expect.poll(() => session.page.getByTestId(`overview-etown-${etown}`).count()).toBe(0);
    await session.page.getByTestId('overview-tier').click();
    await session.page.locator('.ant-select-item-option', { hasText: '重点帮扶' }).click();
    await session.page.getByTestId(`overview-etown-${etown}`).click();

    await session.page.waitForURL(new RegExp(`/etowns/${etown}/scorecard`));
    await session.page.getByTestId('scorecard-table').waitFor();
    expect(
      await session.page
        .locator('[data-testid^="scorecard-row-"]', { has: session.page.locator('td') })
        .count(),
    ).toBeGreaterThanOrEqual(indicatorCount);
    expect(await session.page.getByTestId('scorecard-table').textContent()).toContain('主导产业');
    const href = (await session.page.getByTestId('annex2-download').getAttribute('href')) ?? '';
    const download = await session.page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, type: response.headers.get('content-type') ?? '' };
    }, href);
    expect(download.status).toBe(200);
    expect(download.type).toContain('spreadsheetml');
    await screenshot(session.page, 'scorecard-01-etown');
    expect(session.pageErrors).toEqual([]);
  });
});
