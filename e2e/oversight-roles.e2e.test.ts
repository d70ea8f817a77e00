import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { browserSession, screenshot } from './helpers.ts';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const ETOWN = '140827-E01';

/**
 * Separation of duties and the county's oversight bodies (附件1), as their users meet them: the e-town
 * answers the incidents the county records; 县统计局, 县财政局 and 县纪委监委 each see only what they may use;
 * the finance bureau approves an instalment the county asked for.
 */
describe('oversight roles and incident answers in the browser', () => {
  const session = browserSession({ screenshotPrefix: 'failed-oversight' });
  const { switchUser } = session;

  const menuKeys = async () =>
    (
      await session.page
        .locator('[data-testid^="menu-"]')
        .evaluateAll((items) => items.map((item) => item.dataset.testid))
    )
      .filter((id): id is string => typeof id === 'string')
      .sort();

  test('the e-town answers an incident the county recorded, and cannot record one', async () => {
    await switchUser('county.yuanqu');
    const recorded = await session.page.request.post('/api/compliance-incidents', {
      data: {
        etownCode: ETOWN,
        occurredOn: new Date().toISOString().slice(0, 10),
        category: 'environment',
        description: '直播基地夜间噪声扰民',
      },
    });
    expect(recorded.status(), await recorded.text()).toBe(201);

    await switchUser('etown.gaotao');
    await session.page.goto('/supervision?tab=incidents');
    const row = session.page.getByTestId('incident-table').locator('tr', { hasText: '直播基地夜间噪声扰民' });
    await row.waitFor();
    expect(await session.page.getByTestId('incident-create').count()).toBe(0);
    expect(await row.getByTestId('incident-edit').count()).toBe(0);
    expect(await row.getByTestId('incident-delete').count()).toBe(0);
    await row.getByTestId('incident-answer-open').click();
    await session.page
      .getByTestId('incident-answer-text')
      .fill('已加装隔音设施，直播时段调整为 9:00—21:00。');
    await screenshot(session.page, 'oversight-01-incident-answer');
    await session.page.getByTestId('incident-answer-form-ok').click();
    await row.getByTestId('incident-answer').getByText('已加装隔音设施').waitFor();
    expect(await row.getByTestId('incident-answer').textContent()).toContain('皋陶乡村e镇运营主体（演示）');
    await screenshot(session.page, 'oversight-02-incident-answered');

    // The county sees the answer, and keeps its record and delete actions.
    await switchUser('county.yuanqu');
    await session.page.goto('/supervision?tab=incidents');
    const countyRow = session.page
      .getByTestId('incident-table')
      .locator('tr', { hasText: '直播基地夜间噪声扰民' });
    await countyRow.getByTestId('incident-answer').getByText('已加装隔音设施').waitFor();
    expect(await countyRow.getByTestId('incident-delete').count()).toBe(1);
    expect(await countyRow.getByTestId('incident-answer-open').count()).toBe(0);
    await session.page.getByTestId('incident-create').waitFor();
  });

  test('each oversight body finds only what it may use', async () => {
    await switchUser('county.yuanqu.stats');
    await session.page.waitForURL(/\/stats\/monthly/);
    expect(await menuKeys()).toEqual(['menu-regions', 'menu-stats/aggregates', 'menu-stats/monthly']);
    await screenshot(session.page, 'oversight-03-statistics-home');

    await switchUser('county.yuanqu.finance');
    await session.page.waitForURL(/\/funds\/disbursement-requests/);
    expect(await menuKeys()).toEqual(['menu-funds', 'menu-projects', 'menu-regions', 'menu-supervision']);

    await switchUser('county.yuanqu.discipline');
    const keys = await menuKeys();
    for (const key of [
      'menu-audit',
      'menu-entities',
      'menu-evaluations',
      'menu-funds',
      'menu-overview',
      'menu-stats/monthly',
      'menu-supervision',
    ]) {
      expect(keys).toContain(key);
    }
    for (const key of ['menu-users', 'menu-settings', 'menu-stats/settings']) expect(keys).not.toContain(key);
    await session.page.goto('/supervision?tab=incidents');
    await session.page.getByTestId('incident-table').getByText('直播基地夜间噪声扰民').waitFor();
    expect(await session.page.getByTestId('incident-create').count()).toBe(0);
    expect(await session.page.getByTestId('incident-answer-open').count()).toBe(0);
    await session.page.goto('/audit');
    await session.page.getByTestId('audit-table').getByText('e镇答复违规违法事件').first().waitFor();
    expect(await session.page.getByTestId('verify-chain').count()).toBe(0);
    await screenshot(session.page, 'oversight-04-discipline-audit');
  });

  test('the finance bureau approves an instalment the county asked for; the commission reads its trail', async () => {
    await switchUser('province.admin');
    const policy = await session.page.request.post('/api/funds/policies', {
      headers: { 'Idempotency-Key': randomUUID() },
      data: {
        name: '乡村e镇物流补助',
        supportMode: 'project_subsidy',
        source: 'provincial',
        standardKind: 'amount',
        amountYuan: '100000',
        conditions: '县域物流配送体系建设',
        documentTitle: '关于培育乡村e镇的实施意见',
        documentNumber: '晋商发〔2024〕12号',
        issuedOn: '2024-03-01',
        validFrom: '2024-03-01',
      },
    });
    expect(policy.status(), await policy.text()).toBe(201);
    const allocation = await session.page.request.post('/api/funds/allocations', {
      headers: { 'Idempotency-Key': randomUUID() },
      data: {
        etownCode: ETOWN,
        source: 'provincial',
        amountYuan: '500000',
        documentReference: '晋财建〔2024〕88号',
      },
    });
    expect(allocation.status(), await allocation.text()).toBe(201);

    await switchUser('enterprise.demo');
    const applied = await session.page.request.post('/api/funds/applications', {
      headers: { 'Idempotency-Key': randomUUID() },
      data: {
        policyId: (await policy.json()).id,
        title: '冷链配送车辆购置',
        description: '购置冷藏配送车两台',
        requestedYuan: '100000',
      },
    });
    expect(applied.status(), await applied.text()).toBe(201);
    const applicationId = (await applied.json()).id as string;
    const uploaded = await session.page.request.post(
      `/api/funds/applications/${applicationId}/files?fileName=${encodeURIComponent('购车合同.pdf')}`,
      { headers: { 'content-type': 'application/octet-stream' }, data: PDF },
    );
    expect(uploaded.status(), await uploaded.text()).toBe(201);

    // The county approves, switches on the bureau's approval and asks for the first instalment.
    await switchUser('county.yuanqu');
    const approved = await session.page.request.post(`/api/funds/applications/${applicationId}/approve`, {
      headers: { 'Idempotency-Key': randomUUID() },
      data: { approvedYuan: '100000' },
    });
    expect(approved.status(), await approved.text()).toBe(200);
    await session.page.goto('/funds/disbursement-requests');
    await session.page.getByTestId('county-fund-settings').getByText('拨付需县财政局审批').waitFor();
    await session.page.getByTestId('county-fund-settings-switch').click();
    await session.page.getByTestId('county-fund-settings').getByText('县级提交拨付申请').waitFor();
    await session.page.goto(`/funds/applications/${applicationId}`);
    expect(await session.page.getByTestId('application-disburse').count()).toBe(0);
    await session.page.getByTestId('application-request-disbursement').click();
    await session.page.getByTestId('request-disbursement-amount').fill('40000');
    await session.page.getByTestId('request-disbursement-voucher').fill('PZ-2026-011');
    await session.page.getByTestId('request-disbursement-form-ok').click();
    await session.page.getByTestId('disbursement-request-table').getByText('待县财政局审批').waitFor();
    await screenshot(session.page, 'oversight-05-disbursement-requested');

    // The bureau lands on its work list, opens the request and approves it.
    await switchUser('county.yuanqu.finance');
    await session.page.waitForURL(/\/funds\/disbursement-requests/);
    await session.page.getByTestId('disbursement-request-table').getByText('冷链配送车辆购置').waitFor();
    await screenshot(session.page, 'oversight-06-finance-work-list');
    await session.page.getByTestId('disbursement-request-table').getByText('审批', { exact: true }).click();
    await session.page.waitForURL(new RegExp(`/funds/applications/${applicationId}`));
    await session.page.getByTestId('disbursement-request-approve').click();
    await session.page.getByTestId('approve-request-form-ok').click();
    await session.page.getByTestId('instalment-table').getByText('PZ-2026-011').waitFor();
    expect(await session.page.getByTestId('application-paid').textContent()).toBe('40,000.00 元');
    expect(await session.page.getByTestId('instalment-table').textContent()).toContain(
      '垣曲县财政局审批员（演示）',
    );
    expect(await session.page.getByTestId('application-approve').count()).toBe(0);
    await screenshot(session.page, 'oversight-07-finance-approved');

    // The commission reads the application and, from it, its audit trail.
    await switchUser('county.yuanqu.discipline');
    await session.page.goto(`/funds/applications/${applicationId}`);
    expect(await session.page.getByTestId('disbursement-request-approve').count()).toBe(0);
    await session.page.getByTestId('application-audit').click();
    await session.page.waitForURL(/\/audit\?/);
    await session.page.getByTestId('audit-table').getByText('县财政局批准拨付').waitFor();
    await session.page.getByTestId('audit-table').getByText('提交拨付申请').waitFor();
    await screenshot(session.page, 'oversight-08-discipline-trail');
    expect(session.pageErrors).toEqual([]);
  });
});
