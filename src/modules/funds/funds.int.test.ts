import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { verifyFundLedger } from './fund-ledger.ts';

const ETOWN = '140827-E01';
const UNBALANCED = '00000000-0000-4000-8000-000000000001';
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

type Method = 'GET' | 'POST' | 'PUT';

describe.each(testBackends)('fund ledger on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const user of [
      'province.admin',
      'county.yuanqu',
      'county.other',
      'etown.gaotao',
      'enterprise.demo',
    ]) {
      cookies[user] = (await loginReady(app, user)).cookie;
    }
  });
  afterAll(async () => {
    await app?.close();
    await context?.close();
  });

  const call = (user: string, method: Method, url: string, payload?: object, key?: string) =>
    app.inject({
      method,
      url,
      headers: { cookie: cookies[user] as string, ...(key ? { 'idempotency-key': key } : {}) },
      ...(payload ? { payload } : {}),
    });
  const ok = async (response: Awaited<ReturnType<typeof call>>, status = 200) => {
    expect(response.statusCode, response.body).toBe(status);
    return response.json();
  };
  const key = () => randomUUID();

  const policyBody = (overrides: Record<string, unknown> = {}) => ({
    name: '乡村e镇公共服务中心建设补助',
    supportMode: 'project_subsidy',
    source: 'provincial',
    standardKind: 'rate',
    ratePercent: '30',
    capYuan: '3000000',
    conditions: '已建成并运营的公共服务中心，按实际投资额的 30% 补助',
    documentTitle: '关于培育乡村e镇的实施意见',
    documentNumber: '晋商发〔2024〕12号',
    issuedOn: '2024-03-01',
    validFrom: '2024-03-01',
    validTo: null,
    ...overrides,
  });

  async function createPolicy(overrides: Record<string, unknown> = {}) {
    return ok(await call('province.admin', 'POST', '/api/funds/policies', policyBody(overrides)), 201);
  }
  async function allocate(amountYuan: string, source = 'provincial', user = 'province.admin') {
    return call(user, 'POST', '/api/funds/allocations', {
      etownCode: ETOWN,
      source,
      amountYuan,
      documentReference: '晋财建〔2024〕88号',
    });
  }
  /**
   * An application by the demo enterprise with one PDF of evidence. The base suits the default rate-type
   * policy (30 % of 10,000,000 reaches its cap); amount-type policies take none.
   */
  async function submit(
    policyId: string,
    requestedYuan: string,
    title = '公共服务中心装修',
    eligibleBaseYuan: string | null = '10000000',
  ) {
    const created = await ok(
      await call('enterprise.demo', 'POST', '/api/funds/applications', {
        policyId,
        title,
        description: '公共服务中心装修及设备购置，总投资 1000 万元',
        eligibleBaseYuan,
        requestedYuan,
      }),
      201,
    );
    const uploaded = await app.inject({
      method: 'POST',
      url: `/api/funds/applications/${created.id}/files?fileName=${encodeURIComponent('投资凭证.pdf')}`,
      headers: { cookie: cookies['enterprise.demo'] as string, 'content-type': 'application/octet-stream' },
      payload: PDF,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    return created as { id: string };
  }
  const approve = (id: string, approvedYuan: string, idempotencyKey: string | null = key()) =>
    call(
      'county.yuanqu',
      'POST',
      `/api/funds/applications/${id}/approve`,
      { approvedYuan },
      idempotencyKey ?? undefined,
    );
  const disburse = (
    id: string,
    amountYuan: string,
    idempotencyKey: string | undefined = key(),
    voucher = 'PZ-001',
  ) =>
    call(
      'county.yuanqu',
      'POST',
      `/api/funds/applications/${id}/disbursements`,
      { amountYuan, paidOn: shanghaiToday(), voucherNumber: voucher },
      idempotencyKey,
    );
  async function expectLedgerBalanced() {
    const verification = await verifyFundLedger(context.database.db);
    expect(verification.mismatchedAccounts).toEqual([]);
    expect(verification.unbalancedTransactions).toEqual([]);
    return verification;
  }

  it('runs an application from submission to two instalments and settlement', async () => {
    const policy = await createPolicy();
    expect(policy).toMatchObject({
      regionCode: '14',
      ratePercent: '30.00',
      capYuan: '3000000.00',
      validToday: true,
    });
    await ok(await allocate('5000000'), 201);

    const application = await submit(policy.id, '1200000.50');
    // The other county does not know the application exists; the county sees it in its list.
    expect((await call('county.other', 'GET', `/api/funds/applications/${application.id}`)).statusCode).toBe(
      404,
    );
    const listed = await ok(await call('county.yuanqu', 'GET', '/api/funds/applications?status=submitted'));
    expect(listed.items.map((item: { id: string }) => item.id)).toContain(application.id);

    // Approval needs an Idempotency-Key and cannot exceed the request.
    const keyless = await approve(application.id, '1000000', null);
    expect(keyless.statusCode).toBe(400);
    expect(keyless.json().error.code).toBe('idempotency_key_required');
    const tooMuch = await approve(application.id, '1200000.51');
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().error.code).toBe('approved_amount_too_high');

    const approved = await ok(await approve(application.id, '1000000'));
    expect(approved).toMatchObject({
      status: 'approved',
      approvedYuan: '1000000.00',
      committedYuan: '1000000.00',
    });

    const first = await ok(await disburse(application.id, '300000', key(), 'PZ-2024-001'), 201);
    const second = await ok(await disburse(application.id, '200000.25', key(), 'PZ-2024-002'), 201);
    expect([first.instalment, second.instalment]).toEqual([1, 2]);
    const over = await disburse(application.id, '500000');
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({ code: 'insufficient_funds' });
    expect(over.json().error.message).toContain('本申请已核定待拨付资金余额不足');

    const settled = await ok(
      await call('county.yuanqu', 'POST', `/api/funds/applications/${application.id}/settle`, {}),
    );
    expect(settled).toMatchObject({ status: 'settled', paidYuan: '500000.25', committedYuan: '0.00' });
    expect(settled.disbursements.map((d: { voucherNumber: string }) => d.voucherNumber)).toEqual([
      'PZ-2024-001',
      'PZ-2024-002',
    ]);
    expect(settled.movements.map((m: { kind: string }) => m.kind)).toEqual([
      'approve',
      'disburse',
      'disburse',
      'settle',
    ]);
    expect(settled.movements.at(-1).entries).toEqual([
      { account: '本申请·已核定待拨付', amountYuan: '-499999.75' },
      { account: '皋陶乡村e镇·省级财政·预算', amountYuan: '499999.75' },
    ]);
    expect((await disburse(application.id, '1')).json().error.code).toBe('invalid_status');

    const budgets = await ok(await call('county.yuanqu', 'GET', '/api/funds/budgets'));
    const gaotao = budgets.etowns.find((row: { etownCode: string }) => row.etownCode === ETOWN);
    expect(gaotao.sources.find((row: { source: string }) => row.source === 'provincial')).toEqual({
      source: 'provincial',
      allocatedYuan: '5000000.00',
      availableYuan: '4499999.75',
      committedYuan: '0.00',
      paidYuan: '500000.25',
    });
    expect(gaotao.provincialRemainingYuan).toBe('15000000.00');

    const usage = await ok(await call('county.yuanqu', 'GET', '/api/funds/reports/usage?groupBy=source'));
    expect(usage.rows).toEqual([
      {
        key: 'provincial',
        label: '省级财政',
        allocatedYuan: '5000000.00',
        approvedYuan: '1000000.00',
        paidYuan: '500000.25',
        returnedYuan: '499999.75',
      },
    ]);
    for (const groupBy of ['etown', 'policy', 'month']) {
      const report = await ok(
        await call('province.admin', 'GET', `/api/funds/reports/usage?groupBy=${groupBy}`),
      );
      expect(report.total.paidYuan).toBe('500000.25');
    }
    const disclosure = await ok(await call('county.yuanqu', 'GET', '/api/funds/disclosure'));
    expect(disclosure.rows).toEqual([
      expect.objectContaining({
        entityName: expect.stringContaining('垣曲县演示食用菌电商有限公司'),
        creditCode: expect.stringMatching(/^[0-9A-Z]{18}$/),
        policyName: '乡村e镇公共服务中心建设补助',
        approvedYuan: '1000000.00',
        paidYuan: '500000.25',
        status: 'settled',
      }),
    ]);
    const workbook = await call('county.yuanqu', 'GET', '/api/funds/disclosure.xlsx');
    expect(workbook.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook.rawPayload as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('公示名单');
    expect(sheet?.getRow(2).getCell(3).value).toBe('补助对象');
    expect(sheet?.getRow(3).getCell(8).value).toBe(1000000);
    const usageBook = await call('province.admin', 'GET', '/api/funds/reports/usage.xlsx?groupBy=etown');
    expect(usageBook.statusCode).toBe(200);
    expect(usageBook.headers['content-disposition']).toContain('.xlsx');

    await expectLedgerBalanced();
  });

  it('returns and rejects with reasons; the applicant edits and resubmits', async () => {
    const policy = await createPolicy({ name: '电商企业以奖代补', supportMode: 'reward_in_lieu' });
    const application = await submit(policy.id, '50000', '网店运营奖励');
    const returned = await ok(
      await call('county.yuanqu', 'POST', `/api/funds/applications/${application.id}/return`, {
        reason: '请补充销售台账',
      }),
    );
    expect(returned).toMatchObject({ status: 'returned', reviewReason: '请补充销售台账' });
    // The county cannot edit an enterprise's application; the enterprise can, and it goes back to review.
    const edit = {
      application: {
        policyId: policy.id,
        title: '网店运营奖励',
        description: '已补充销售台账',
        eligibleBaseYuan: '200000',
        requestedYuan: '40000',
      },
      version: returned.version,
    };
    expect(
      (await call('county.yuanqu', 'PUT', `/api/funds/applications/${application.id}`, edit)).statusCode,
    ).toBe(403);
    const resubmitted = await ok(
      await call('enterprise.demo', 'PUT', `/api/funds/applications/${application.id}`, edit),
    );
    expect(resubmitted).toMatchObject({ status: 'submitted', requestedYuan: '40000.00' });
    // A second tab still holding the returned version is handed the application as resubmitted.
    const stale = await call('enterprise.demo', 'PUT', `/api/funds/applications/${application.id}`, {
      ...edit,
      application: { ...edit.application, requestedYuan: '30000' },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      details: {
        current: { id: application.id, requestedYuan: '40000.00', version: resubmitted.version },
      },
    });
    const rejected = await ok(
      await call('county.yuanqu', 'POST', `/api/funds/applications/${application.id}/reject`, {
        reason: '不符合支持条件',
      }),
    );
    expect(rejected.status).toBe('rejected');
    expect((await approve(application.id, '10000')).json().error.code).toBe('invalid_status');
  });

  it('lets the e-town operator apply for its e-town and refuses an expired policy', async () => {
    const expired = await createPolicy({ name: '过期政策', validFrom: '2020-01-01', validTo: '2020-12-31' });
    const refused = await call('etown.gaotao', 'POST', '/api/funds/applications', {
      policyId: expired.id,
      title: '运营补贴',
      description: '运营主体运营补贴',
      requestedYuan: '10000',
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('policy_not_valid');
    const policy = await createPolicy({ name: '运营主体房租减免', supportMode: 'rent_reduction' });
    const created = await ok(
      await call('etown.gaotao', 'POST', '/api/funds/applications', {
        policyId: policy.id,
        title: '运营中心房租减免',
        description: '运营中心 2024 年房租',
        eligibleBaseYuan: '120000',
        requestedYuan: '36000',
      }),
      201,
    );
    expect(created).toMatchObject({ entityId: null, applicantName: '皋陶乡村e镇运营主体' });
    // The enterprise sees only its own entity's applications.
    const mine = await ok(await call('enterprise.demo', 'GET', '/api/funds/applications?pageSize=200'));
    expect(mine.items.every((item: { entityId: string | null }) => item.entityId !== null)).toBe(true);
    expect((await call('enterprise.demo', 'GET', `/api/funds/applications/${created.id}`)).statusCode).toBe(
      404,
    );
  });

  it('refuses an unbalanced transaction and any change to the entries in the database itself', async () => {
    const [account] = await context.database.query<{ id: string }>(
      `select id from fund_accounts where kind = 'budget' limit 1`,
    );
    const attempt = context.database.db.transaction(async (tx) => {
      await tx.execute(
        sql`insert into fund_transactions (id, kind, memo) values (${UNBALANCED}, 'allocate', '手工录入')`,
      );
      await tx.execute(
        sql`insert into fund_entries (transaction_id, account_id, amount_fen) values (${UNBALANCED}, ${account?.id}, 100)`,
      );
    });
    await expect(attempt).rejects.toThrow();
    await expect(
      context.database.query('update fund_entries set amount_fen = amount_fen + 1'),
    ).rejects.toThrow(/append-only/);
    await expect(context.database.query('delete from fund_transactions')).rejects.toThrow(/append-only/);
    await expectLedgerBalanced();
  });

  it('keeps provincial allocations under the configurable cap, also when they race', async () => {
    // Only the province allocates provincial money; the cap is a province setting.
    expect((await allocate('1', 'provincial', 'county.yuanqu')).statusCode).toBe(403);
    expect(
      (await call('county.yuanqu', 'PUT', '/api/funds/settings', { provincialCapPerEtownYuan: '1' }))
        .statusCode,
    ).toBe(403);
    // The first save of the settings (defaults loaded, no version); the reset below sends its version.
    const capSet = await ok(
      await call('province.admin', 'PUT', '/api/funds/settings', { provincialCapPerEtownYuan: '6000000' }),
    );
    const before = await ok(await call('province.admin', 'GET', '/api/funds/budgets'));
    const gaotao = before.etowns.find((row: { etownCode: string }) => row.etownCode === ETOWN);
    const remaining = Number(gaotao.provincialRemainingYuan);
    expect(remaining).toBeGreaterThan(0);
    const refused = await allocate(String(remaining + 1));
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('provincial_cap_exceeded');
    // Ten racing allocations of a quarter of the room: exactly four fit.
    const quarter = remaining / 4;
    const results = await Promise.all(Array.from({ length: 10 }, () => allocate(String(quarter))));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(4);
    expect(
      results
        .filter((r) => r.statusCode === 409)
        .every((r) => r.json().error.code === 'provincial_cap_exceeded'),
    ).toBe(true);
    const after = await ok(await call('province.admin', 'GET', '/api/funds/budgets'));
    expect(
      after.etowns.find((row: { etownCode: string }) => row.etownCode === ETOWN).provincialRemainingYuan,
    ).toBe('0.00');
    // County money is not under the provincial cap.
    await ok(await allocate('100', 'county', 'county.yuanqu'), 201);
    await ok(
      await call('province.admin', 'PUT', '/api/funds/settings', {
        provincialCapPerEtownYuan: '20000000',
        version: capSet.version,
      }),
    );
    await expectLedgerBalanced();
  });

  it('refuses to commit more than the budget holds', async () => {
    const policy = await createPolicy({
      name: '县级贷款贴息',
      source: 'county',
      supportMode: 'loan_interest_subsidy',
    });
    const application = await submit(policy.id, '1000000', '贷款贴息');
    const budgets = await ok(await call('county.yuanqu', 'GET', '/api/funds/budgets'));
    const county = budgets.etowns
      .find((row: { etownCode: string }) => row.etownCode === ETOWN)
      .sources.find((row: { source: string }) => row.source === 'county');
    expect(county.availableYuan).toBe('100.00');
    const refused = await approve(application.id, '100.01');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({
      code: 'insufficient_funds',
      message: '皋陶乡村e镇·县级财政·预算余额不足，无法支出 100.01 元',
    });
    expect(
      (await ok(await call('county.yuanqu', 'GET', `/api/funds/applications/${application.id}`))).status,
    ).toBe('submitted');
    await ok(await approve(application.id, '100'));
    await expectLedgerBalanced();
  });

  it('approves exactly what one budget holds when approvals of different applications race', async () => {
    // No lock is shared between different applications: the budget row's check alone decides.
    const policy = await createPolicy({ name: '社会资本奖励', source: 'social', supportMode: 'award' });
    await ok(await allocate('400', 'social', 'county.yuanqu'), 201);
    const applications = [];
    for (let index = 0; index < 10; index += 1)
      applications.push(await submit(policy.id, '100', `奖励 ${index}`));
    const results = await Promise.all(applications.map((application) => approve(application.id, '100')));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(4);
    expect(
      results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'insufficient_funds'),
    ).toBe(true);
    await expectLedgerBalanced();
  });

  describe('disbursing', () => {
    let applicationId = '';
    beforeAll(async () => {
      const policy = await createPolicy({ name: '并发拨付测试政策' });
      await ok(await allocate('1000'), 201);
      const application = await submit(policy.id, '1000', '并发拨付');
      await ok(await approve(application.id, '1000'));
      applicationId = application.id;
    });

    it('answers a retried disbursement with the first answer and pays once', async () => {
      const idempotencyKey = key();
      const first = await disburse(applicationId, '10', idempotencyKey);
      expect(first.statusCode).toBe(201);
      const retried = await disburse(applicationId, '10', idempotencyKey);
      expect(retried.statusCode).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBe('true');
      expect(retried.json()).toEqual(first.json());
      const reused = await disburse(applicationId, '20', idempotencyKey);
      expect(reused.statusCode).toBe(422);
      expect(reused.json().error.code).toBe('idempotency_key_reused');

      // Twenty concurrent retries of one request pay once.
      const sameKey = key();
      const racing = await Promise.all(
        Array.from({ length: 20 }, () => disburse(applicationId, '10', sameKey)),
      );
      expect(racing.map((r) => r.statusCode)).toEqual(Array(20).fill(201));
      expect(new Set(racing.map((r) => r.json().id)).size).toBe(1);
      const detail = await ok(await call('county.yuanqu', 'GET', `/api/funds/applications/${applicationId}`));
      expect(detail.disbursements).toHaveLength(2);
      expect(detail.paidYuan).toBe('20.00');
      await expectLedgerBalanced();
    });

    it('pays exactly what is left when fifty disbursements race for room for ten', async () => {
      // 980 left of 1000 after the previous test: pay 20 more so exactly ten of 96 yuan fit (960).
      await ok(await disburse(applicationId, '20'), 201);
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 50 }, () => disburse(applicationId, '96')));
      const elapsed = Date.now() - started;
      const paid = results.filter((r) => r.statusCode === 201);
      const refused = results.filter((r) => r.statusCode === 409);
      console.log(
        `[${backend}] 50 concurrent disbursements: ${paid.length} paid, ${refused.length} refused, ${elapsed} ms`,
      );
      expect(paid).toHaveLength(10);
      expect(refused).toHaveLength(40);
      expect(refused.every((r) => r.json().error.code === 'insufficient_funds')).toBe(true);
      const detail = await ok(await call('county.yuanqu', 'GET', `/api/funds/applications/${applicationId}`));
      expect(detail).toMatchObject({ paidYuan: '1000.00', committedYuan: '0.00' });
      expect(detail.disbursements.map((d: { instalment: number }) => d.instalment)).toEqual(
        Array.from({ length: 13 }, (_, index) => index + 1),
      );
      await expectLedgerBalanced();
    });
  });

  describe('rate-type policies', () => {
    // 贷款贴息 at 50 % of the interest actually paid: 456,789.01 × 50 % = 228,394.505, so 228,394.50.
    const interestPaid = '456789.01';
    let policy: { id: string; version: number };
    beforeAll(async () => {
      policy = await createPolicy({
        name: '县级电商贷款贴息',
        supportMode: 'loan_interest_subsidy',
        source: 'county',
        ratePercent: '50',
        capYuan: null,
        conditions: '按实际支付利息的 50% 贴息',
      });
      await ok(await allocate('1000000', 'county', 'county.yuanqu'), 201);
    });
    const apply = (body: Record<string, unknown>) =>
      call('enterprise.demo', 'POST', '/api/funds/applications', {
        policyId: policy.id,
        title: '电商贷款贴息',
        description: '2024 年电商经营贷款利息',
        ...body,
      });

    it('refuses a request above base × rate, rounded down to the fen, and accepts it at the ceiling', async () => {
      const missing = await apply({ requestedYuan: '100' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error).toMatchObject({
        code: 'eligible_base_required',
        message: '政策“县级电商贷款贴息”按 50% 比例补助，须填写贴息基数（实际支付利息）',
        details: [{ path: 'eligibleBaseYuan', message: '请填写贴息基数（实际支付利息）' }],
      });

      // Rounding half up would allow 228,394.51.
      const over = await apply({ eligibleBaseYuan: interestPaid, requestedYuan: '228394.51' });
      expect(over.statusCode).toBe(409);
      expect(over.json().error).toEqual({
        code: 'requested_amount_too_high',
        message: '申请金额不能超过贴息基数 456,789.01 元 × 50% = 228,394.50 元（按分向下取整）',
        details: [
          {
            path: 'requestedYuan',
            message: '不能超过贴息基数 456,789.01 元 × 50% = 228,394.50 元（按分向下取整）',
            limitYuan: '228394.50',
          },
        ],
      });

      const created = await ok(
        await apply({ eligibleBaseYuan: interestPaid, requestedYuan: '228394.50' }),
        201,
      );
      expect(created).toMatchObject({
        eligibleBaseYuan: '456789.01',
        rateCeilingYuan: '228394.50',
        ceilingYuan: '228394.50',
        requestedYuan: '228394.50',
      });

      // Editing is held to the same ceiling; the problem names the field inside the edit body.
      const edit = await call('enterprise.demo', 'PUT', `/api/funds/applications/${created.id}`, {
        application: {
          policyId: policy.id,
          title: '电商贷款贴息',
          description: '2024 年电商经营贷款利息',
          eligibleBaseYuan: '400000',
          requestedYuan: '200000.01',
        },
        version: created.version,
      });
      expect(edit.statusCode).toBe(409);
      expect(edit.json().error).toMatchObject({
        code: 'requested_amount_too_high',
        details: [{ path: 'application.requestedYuan', limitYuan: '200000.00' }],
      });
    });

    it('refuses approval above the ceiling of the policy as it stands', async () => {
      const application = await submit(policy.id, '228394.50', '贷款贴息核定', interestPaid);
      // The province lowers the rate to 40 % after the application came in: 182,715.604, so 182,715.60.
      const lowered = {
        policy: policyBody({
          name: '县级电商贷款贴息',
          supportMode: 'loan_interest_subsidy',
          source: 'county',
          ratePercent: '40',
          capYuan: null,
          conditions: '按实际支付利息的 40% 贴息',
        }),
        version: policy.version,
      };
      const saved = await ok(
        await call('province.admin', 'PUT', `/api/funds/policies/${policy.id}`, lowered),
      );
      const stale = await call('province.admin', 'PUT', `/api/funds/policies/${policy.id}`, lowered);
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({
        code: 'stale_version',
        details: { current: { id: policy.id, version: saved.version } },
      });
      expect(saved.version).toBe(policy.version + 1);
      const detail = await ok(
        await call('county.yuanqu', 'GET', `/api/funds/applications/${application.id}`),
      );
      expect(detail).toMatchObject({ rateCeilingYuan: '182715.60', ceilingYuan: '182715.60' });

      const over = await approve(application.id, '182715.61');
      expect(over.statusCode).toBe(409);
      expect(over.json().error).toEqual({
        code: 'approved_amount_too_high',
        message: '核定金额不能超过贴息基数 456,789.01 元 × 40% = 182,715.60 元（按分向下取整）',
        details: [
          {
            path: 'approvedYuan',
            message: '不能超过贴息基数 456,789.01 元 × 40% = 182,715.60 元（按分向下取整）',
            limitYuan: '182715.60',
          },
        ],
      });
      const approved = await ok(await approve(application.id, '182715.60'));
      expect(approved).toMatchObject({ status: 'approved', approvedYuan: '182715.60' });
      await expectLedgerBalanced();
    });

    it('holds a rate-type request to the cap when the cap is lower than base × rate', async () => {
      const capped = await createPolicy({ name: '封顶比例补助', ratePercent: '30', capYuan: '100' });
      const over = await call('enterprise.demo', 'POST', '/api/funds/applications', {
        policyId: capped.id,
        title: '小额补助',
        description: '投资 1000 元',
        eligibleBaseYuan: '1000',
        requestedYuan: '100.01',
      });
      expect(over.statusCode).toBe(409);
      expect(over.json().error).toMatchObject({
        code: 'requested_amount_too_high',
        message: '申请金额不能超过政策单项上限 100 元',
        details: [{ path: 'requestedYuan', limitYuan: '100.00' }],
      });
      const application = await submit(capped.id, '100', '小额补助', '1000');
      const detail = await ok(
        await call('county.yuanqu', 'GET', `/api/funds/applications/${application.id}`),
      );
      expect(detail).toMatchObject({ rateCeilingYuan: '300.00', ceilingYuan: '100.00' });
    });

    it('refuses to approve a rate-type application that states no base, and a base above the request in SQL', async () => {
      const application = await submit(policy.id, '1000', '旧申请', '10000');
      // Rows from before the base existed have none; the database itself refuses a request above its base.
      await expect(
        context.database.query(`update fund_applications set eligible_base_fen = 99999 where id = $1`, [
          application.id,
        ]),
      ).rejects.toThrow(/fund_applications_eligible_base/);
      await context.database.query(`update fund_applications set eligible_base_fen = null where id = $1`, [
        application.id,
      ]);
      const refused = await approve(application.id, '1000');
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error).toMatchObject({
        code: 'application_eligible_base_missing',
        message: '该申请未填写贴息基数（实际支付利息），不能按政策比例核定，请退回申请人补充',
      });
    });
  });

  it('leaves amount-type policies as they were: no base, the fixed amount binds approval', async () => {
    const fixed = await createPolicy({
      name: '电商企业定额奖励',
      supportMode: 'award',
      source: 'county',
      standardKind: 'amount',
      ratePercent: null,
      amountYuan: '50000',
      capYuan: null,
    });
    const withBase = await call('enterprise.demo', 'POST', '/api/funds/applications', {
      policyId: fixed.id,
      title: '定额奖励',
      description: '年度网络零售额达标',
      eligibleBaseYuan: '1000000',
      requestedYuan: '50000',
    });
    expect(withBase.statusCode).toBe(400);
    expect(withBase.json().error).toMatchObject({
      code: 'eligible_base_not_applicable',
      details: [{ path: 'eligibleBaseYuan', message: '定额补助不填写计算基数' }],
    });
    // As before: the request may exceed the fixed amount; the approval may not.
    const application = await submit(fixed.id, '60000', '定额奖励', null);
    const detail = await ok(await call('county.yuanqu', 'GET', `/api/funds/applications/${application.id}`));
    expect(detail).toMatchObject({ eligibleBaseYuan: null, rateCeilingYuan: null, ceilingYuan: null });
    const over = await approve(application.id, '50000.01');
    expect(over.statusCode).toBe(409);
    expect(over.json().error).toMatchObject({
      code: 'approved_amount_too_high',
      message: '核定金额不能超过政策补助标准 50,000 元',
      details: [{ path: 'approvedYuan', limitYuan: '50000.00' }],
    });
    await ok(await approve(application.id, '50000'));
    await expectLedgerBalanced();
  });
});
