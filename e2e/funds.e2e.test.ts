import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { browserSession, chooseOption, screenshot } from './helpers.ts';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const ETOWN = '140827-E01';

describe('a subsidy runs from application to settlement', () => {
  const session = browserSession({ screenshotPrefix: 'failed-funds' });
  const { switchUser } = session;
  let applicationUrl = '';

  test('the province issues a policy and allocates provincial money to 皋陶乡村e镇', async () => {
    await switchUser('province.admin');
    // The policy itself goes in through the API (its form is plain); the allocation through the page.
    const policy = await session.page.request.post('/api/funds/policies', {
      headers: { 'Idempotency-Key': randomUUID() },
      data: {
        name: '乡村e镇公共服务中心建设补助',
        supportMode: 'project_subsidy',
        source: 'provincial',
        standardKind: 'rate',
        ratePercent: '30',
        capYuan: '3000000',
        conditions: '已建成并运营的公共服务中心，按实际投资额的 30% 补助，单项不超过 300 万元',
        documentTitle: '关于培育乡村e镇的实施意见',
        documentNumber: '晋商发〔2024〕12号',
        issuedOn: '2024-03-01',
        validFrom: '2024-03-01',
      },
    });
    expect(policy.status(), await policy.text()).toBe(201);

    await session.page.getByTestId('menu-funds').click();
    await session.page.waitForURL(/\/funds\/applications/);
    await session.page.getByTestId('funds-nav').getByText('资金政策').click();
    await session.page.getByTestId('policy-table').getByText('乡村e镇公共服务中心建设补助').waitFor();
    await screenshot(session.page, 'funds-01-policies');

    await session.page.getByTestId('funds-nav').getByText('预算与额度').click();
    await session.page.getByTestId('allocation-create').click();
    const form = session.page.getByTestId('allocation-form');
    await chooseOption(session.page, form.getByTestId('allocation-etown'), '皋陶乡村e镇');
    await form.getByTestId('allocation-amount').fill('5000000');
    await form.getByTestId('allocation-document').fill('晋财建〔2024〕88号');
    await session.page.getByTestId('allocation-form-ok').click();
    await expect
      .poll(() => session.page.getByTestId(`cap-remaining-${ETOWN}`).textContent())
      .toBe('¥15,000,000.00');
    await session.page.getByTestId('allocation-table').getByText('晋财建〔2024〕88号').waitFor();
    // The province sees every e-town, one line each; its sources open under it.
    if (!(await session.page.getByTestId(`budget-${ETOWN}-provincial-available`).isVisible())) {
      await session.page.getByTestId('budget-expand-all').click();
    }
    expect(await session.page.getByTestId(`budget-${ETOWN}-provincial-available`).textContent()).toBe(
      '¥5,000,000.00',
    );
    expect(await session.page.getByTestId(`budget-${ETOWN}-total-allocated`).textContent()).toBe(
      '¥5,000,000.00',
    );
    await screenshot(session.page, 'funds-02-budgets');
  });

  test('the enterprise applies with evidence', async () => {
    await switchUser('enterprise.demo');
    await session.page.goto('/funds/applications');
    await session.page.getByTestId('application-create').click();
    const form = session.page.getByTestId('application-form');
    await chooseOption(session.page, form.getByTestId('application-policy'), '乡村e镇公共服务中心建设补助');
    await form.getByTestId('application-title').fill('公共服务中心装修及设备购置');
    await form
      .getByTestId('application-description')
      .fill('公共服务中心装修及直播设备购置，总投资 400 万元。');
    // 30 % of the investment: 4,000,000.03 × 30 % = 1,200,000.009, so at most 1,200,000.00 (rounding half
    // up would allow 1,200,000.01).
    await form.getByTestId('application-eligible-base').fill('4000000.03');
    await expect.poll(() => form.getByTestId('application-ceiling').textContent()).toBe('1,200,000.00 元');
    await form.getByTestId('application-amount').fill('1200000.01');
    await session.page.getByTestId('application-form-ok').click();
    const overCeiling = '不能超过补助基数 4,000,000.03 元 × 30% = 1,200,000 元（按分向下取整）';
    await form.getByText(overCeiling).waitFor();
    await screenshot(session.page, 'funds-03-apply-over-ceiling');
    expect(new URL(session.page.url()).pathname).toBe('/funds/applications');
    // The server holds the same line for any client.
    const policies = (await (await session.page.request.get('/api/funds/policies')).json()) as {
      id: string;
      name: string;
    }[];
    const refused = await session.page.request.post('/api/funds/applications', {
      headers: { 'Idempotency-Key': randomUUID() },
      data: {
        policyId: policies.find((policy) => policy.name === '乡村e镇公共服务中心建设补助')?.id,
        title: '公共服务中心装修及设备购置',
        description: '越过上限的申请',
        eligibleBaseYuan: '4000000.03',
        requestedYuan: '1200000.01',
      },
    });
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error).toMatchObject({
      code: 'requested_amount_too_high',
      details: [{ path: 'requestedYuan', message: overCeiling }],
    });

    await form.getByTestId('application-amount').fill('1200000');
    await expect.poll(() => form.getByText(overCeiling).count()).toBe(0);
    await screenshot(session.page, 'funds-03-apply');
    await session.page.getByTestId('application-form-ok').click();
    await session.page.waitForURL(/\/funds\/applications\/[0-9a-f-]{36}/);
    applicationUrl = new URL(session.page.url()).pathname;
    await session.page.locator('input[type=file]').setInputFiles({
      name: '投资凭证.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await session.page.getByTestId('evidence-table').getByText('投资凭证.pdf').waitFor();
    expect(await session.page.getByTestId('application-status').textContent()).toBe('待审核');
    expect(await session.page.getByTestId('application-requested').textContent()).toBe('1,200,000.00 元');
    expect(await session.page.getByTestId('application-eligible-base').textContent()).toBe('4,000,000.03 元');
    expect(await session.page.getByTestId('application-ceiling').textContent()).toBe('1,200,000.00 元');
    await screenshot(session.page, 'funds-04-submitted');
  });

  test('the county approves, pays two instalments and settles', async () => {
    await switchUser('county.yuanqu');
    await session.page.goto(applicationUrl);
    await session.page.getByTestId('application-approve').click();
    expect(await session.page.getByTestId('approve-limits').textContent()).toContain(
      '可申请上限 1,200,000.00 元',
    );
    await session.page.getByTestId('approve-amount').fill('1000000');
    await screenshot(session.page, 'funds-05-approve-modal');
    await session.page.getByTestId('approve-form-ok').click();
    await expect.poll(() => session.page.getByTestId('application-status').textContent()).toBe('已核定');
    expect(await session.page.getByTestId('application-committed').textContent()).toBe('1,000,000.00 元');

    for (const [amount, voucher] of [
      ['300000', 'PZ-2024-001'],
      ['200000.50', 'PZ-2024-002'],
    ] as const) {
      await session.page.getByTestId('application-disburse').click();
      await session.page.getByTestId('disburse-amount').fill(amount);
      await session.page.getByTestId('disburse-voucher').fill(voucher);
      if (voucher.endsWith('002')) await screenshot(session.page, 'funds-05-disburse-modal');
      await session.page.getByTestId('disburse-form-ok').click();
      await session.page.getByTestId('instalment-table').getByText(voucher).waitFor();
    }
    expect(await session.page.getByTestId('application-paid').textContent()).toBe('500,000.50 元');
    expect(await session.page.getByTestId('application-committed').textContent()).toBe('499,999.50 元');

    await session.page.getByTestId('application-settle').click();
    expect(await session.page.getByTestId('settle-summary').textContent()).toContain('499,999.50 元');
    await session.page.getByTestId('settle-form-ok').click();
    await expect.poll(() => session.page.getByTestId('application-status').textContent()).toBe('已结算');
    expect(await session.page.getByTestId('application-committed').textContent()).toBe('0.00 元');
    await expect
      .poll(() => session.page.getByTestId('movement-table').locator('tbody tr.ant-table-row').count())
      .toBe(4);
    await expect(session.page.getByTestId('application-disburse').count()).resolves.toBe(0);
    await screenshot(session.page, 'funds-06-settled');
  });

  test('the ledger balances and the reports and disclosure show the subsidy', async () => {
    const budgets = await session.page.request.get('/api/funds/budgets');
    const gaotao = (await budgets.json()).etowns.find(
      (row: { etownCode: string }) => row.etownCode === ETOWN,
    );
    // 5,000,000 allocated − 1,000,000 committed + 499,999.50 returned at settlement.
    expect(gaotao.sources.find((row: { source: string }) => row.source === 'provincial')).toEqual({
      source: 'provincial',
      allocatedYuan: '5000000.00',
      availableYuan: '4499999.50',
      committedYuan: '0.00',
      paidYuan: '500000.50',
    });
    const detail = await (await session.page.request.get(`/api${applicationUrl}`)).json();
    for (const movement of detail.movements as { entries: { amountYuan: string }[] }[]) {
      const sum = movement.entries.reduce(
        (total, entry) => total + BigInt(entry.amountYuan.replace('.', '')),
        0n,
      );
      expect(sum).toBe(0n);
    }

    await session.page.goto('/funds/budgets');
    await expect
      .poll(() => session.page.getByTestId(`budget-${ETOWN}-provincial-paid`).textContent())
      .toBe('¥500,000.50');
    expect(await session.page.getByTestId(`budget-${ETOWN}-total-available`).textContent()).toBe(
      '¥4,499,999.50',
    );
    // Every column fits at 1440 px: the table does not scroll sideways.
    const overflow = await session.page
      .getByTestId('budget-table')
      .locator('.ant-table-content, .ant-table-body')
      .first()
      .evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(
      await session.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await screenshot(session.page, 'funds-09-budgets-county');

    await session.page.goto('/funds/reports');
    await session.page.getByTestId('usage-table').getByText('皋陶乡村e镇').waitFor();
    await screenshot(session.page, 'funds-07-usage');
    const workbook = await session.page.request.get('/api/funds/reports/usage.xlsx?groupBy=etown');
    expect(workbook.headers()['content-type']).toContain('spreadsheetml');

    await session.page.getByTestId('funds-nav').getByText('公示名单').click();
    await session.page
      .getByTestId('disclosure-table')
      .getByText('垣曲县演示食用菌电商有限公司', { exact: false })
      .waitFor();
    await screenshot(session.page, 'funds-08-disclosure');
    expect(session.pageErrors).toEqual([]);
  });
});
