import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema/accounts.ts';
import type { App } from '../http/app.ts';
import { shanghaiToday } from '../lib/china-date.ts';
import { creditCodeCheckCharacter } from '../lib/credit-code.ts';
import { createUser } from '../modules/accounts/user.service.ts';
import { verifyFundLedger } from '../modules/funds/fund-ledger.ts';
import {
  createSeededApp,
  DEMO_PASSWORD,
  loginReady,
  type TestContext,
  testBackends,
} from '../test/test-context.ts';

const YUANQU = { county: '140827', etown: '140827-E01' };
const JIANGXIAN = { county: '140826', etown: '140826-E01' };
const PDF = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

type Method = 'GET' | 'POST' | 'PUT';
type AuditItem = {
  action: string;
  regionCode: string | null;
  targetType: string | null;
  targetId: string | null;
};

/** A valid 统一社会信用代码 registered in the given county (positions 3–8 are its division code). */
const creditCodeIn = (county: string, serial: string) => {
  const first17 = `91${county}${serial}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
};

/**
 * The county's oversight bodies named by its plan (附件1): 县统计局 reviews the monthly statistics with the
 * county operator, 县财政局 approves disbursements where the county requires it, 县纪委监委 reads
 * everything in the county — the audit trail of its records too — and writes nothing. Each is scoped to
 * one county: the other county does not exist for it.
 */
describe.each(testBackends)('county oversight roles on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies: Record<string, string> = {};

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    // 绛县's own finance bureau, to show that a bureau's reach ends at its county.
    await createUser(
      context,
      { username: 'test', ip: '127.0.0.1' },
      {
        username: 'county.jiangxian.finance',
        displayName: '绛县财政局审批员',
        role: 'county_finance',
        scopeRegionCode: JIANGXIAN.county,
      },
      { password: DEMO_PASSWORD, mustChangePassword: false },
    );
    for (const user of [
      'province.admin',
      'county.yuanqu',
      'county.other',
      'enterprise.demo',
      'auditor',
      'county.yuanqu.stats',
      'county.yuanqu.finance',
      'county.yuanqu.discipline',
      'county.jiangxian.finance',
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
  const notificationsOf = async (user: string) =>
    JSON.stringify((await ok(await call(user, 'GET', '/api/notifications'))) as unknown);

  describe('县统计局 reviews the monthly statistics with the county operator', () => {
    let entityId = '';
    let jiangxianEntityId = '';
    const month = (m: number) => `2024-${String(m).padStart(2, '0')}`;
    const path = (id: string, m: string, action = '') => `/api/stats/monthly/${id}/${m}${action}`;
    const figures = {
      outputYuan: '800000',
      onlineRetailYuan: '300000',
      crossBorderYuan: '0',
      orders: 90,
      employees: 12,
      ecommerceEmployees: 4,
    };

    beforeAll(async () => {
      const [account] = await context.database.db
        .select({ entityId: users.entityId })
        .from(users)
        .where(eq(users.username, 'enterprise.demo'));
      entityId = account?.entityId as string;
      const created = await ok(
        await call('county.other', 'POST', '/api/entities', {
          etownCode: JIANGXIAN.etown,
          creditCode: creditCodeIn(JIANGXIAN.county, 'MA0T7X001'),
          name: '绛县演示山楂电商有限公司',
          entityType: 'enterprise',
          legalEntity: true,
        }),
        201,
      );
      jiangxianEntityId = created.id;
    });

    it('approves, returns with a reason and reopens, as the county operator does; it is told of submissions', async () => {
      for (const m of [month(3), month(4)]) {
        await ok(await call('enterprise.demo', 'PUT', path(entityId, m), figures));
        await ok(await call('enterprise.demo', 'POST', path(entityId, m, '/submit')));
      }
      expect(await notificationsOf('county.yuanqu.stats')).toContain(`已提交 ${month(3)} 月度统计`);

      const approved = await ok(
        await call('county.yuanqu.stats', 'POST', path(entityId, month(3), '/review'), { approve: true }),
      );
      expect(approved.status).toBe('approved');
      const noReason = await call('county.yuanqu.stats', 'POST', path(entityId, month(4), '/review'), {
        approve: false,
      });
      expect(noReason.statusCode).toBe(400);
      const returned = await ok(
        await call('county.yuanqu.stats', 'POST', path(entityId, month(4), '/review'), {
          approve: false,
          reason: '从业人员数与社保缴纳人数不符，请核实',
        }),
      );
      expect(returned).toMatchObject({
        status: 'returned',
        returnReason: '从业人员数与社保缴纳人数不符，请核实',
      });
      const reopened = await ok(
        await call('county.yuanqu.stats', 'POST', path(entityId, month(3), '/reopen'), {
          reason: '统计执法检查发现产值虚报',
        }),
      );
      expect(reopened).toMatchObject({ status: 'returned', reopenCount: 1 });
      // The enterprise hears back from the bureau as it would from the county.
      expect(await notificationsOf('enterprise.demo')).toContain('被退回');

      const trail = await context.database.query<{ action: string; username: string; region_code: string }>(
        "select action, username, region_code from audit_log where username = 'county.yuanqu.stats' and action like 'stats.%' order by id",
      );
      expect(trail).toEqual([
        { action: 'stats.monthly.approve', username: 'county.yuanqu.stats', region_code: YUANQU.etown },
        { action: 'stats.monthly.return', username: 'county.yuanqu.stats', region_code: YUANQU.etown },
        { action: 'stats.monthly.reopen', username: 'county.yuanqu.stats', region_code: YUANQU.etown },
      ]);
    });

    it('writes nothing else and cannot reach the other county (404)', async () => {
      const report = await call('county.yuanqu.stats', 'PUT', path(entityId, month(5)), figures);
      expect(report.statusCode).toBe(403);
      expect(report.json().error.code).toBe('forbidden');
      expect(
        (await call('county.yuanqu.stats', 'POST', path(entityId, month(4), '/submit'))).statusCode,
      ).toBe(403);

      await ok(await call('county.other', 'PUT', path(jiangxianEntityId, month(3)), figures));
      await ok(await call('county.other', 'POST', path(jiangxianEntityId, month(3), '/submit')));
      const outside = await call(
        'county.yuanqu.stats',
        'POST',
        path(jiangxianEntityId, month(3), '/review'),
        {
          approve: true,
        },
      );
      expect(outside.statusCode).toBe(404);
      const listed = await ok(
        await call('county.yuanqu.stats', 'GET', `/api/stats/monthly?month=${month(3)}`),
      );
      expect(listed.items.map((item: { entity: { id: string } }) => item.entity.id)).toEqual([entityId]);
      // Funds, projects and entities are not the statistics bureau's.
      for (const url of ['/api/funds/applications', '/api/projects', '/api/entities', '/api/evaluations']) {
        expect((await call('county.yuanqu.stats', 'GET', url)).statusCode, url).toBe(403);
      }
    });
  });

  describe('县财政局 approves disbursements where the county requires it', () => {
    let applicationId = '';

    beforeAll(async () => {
      const policy = await ok(
        await call('province.admin', 'POST', '/api/funds/policies', {
          name: '乡村e镇物流补助',
          supportMode: 'project_subsidy',
          source: 'provincial',
          standardKind: 'amount',
          amountYuan: '100000',
          capYuan: null,
          conditions: '县域物流配送体系建设',
          documentTitle: '关于培育乡村e镇的实施意见',
          documentNumber: '晋商发〔2024〕12号',
          issuedOn: '2024-03-01',
          validFrom: '2024-03-01',
          validTo: null,
        }),
        201,
      );
      await ok(
        await call('province.admin', 'POST', '/api/funds/allocations', {
          etownCode: YUANQU.etown,
          source: 'provincial',
          amountYuan: '500000',
          documentReference: '晋财建〔2024〕88号',
        }),
        201,
      );
      const application = await ok(
        await call('enterprise.demo', 'POST', '/api/funds/applications', {
          policyId: policy.id,
          title: '冷链配送车辆购置',
          description: '购置冷藏配送车两台',
          eligibleBaseYuan: null,
          requestedYuan: '100000',
        }),
        201,
      );
      applicationId = application.id;
      const uploaded = await app.inject({
        method: 'POST',
        url: `/api/funds/applications/${applicationId}/files?fileName=${encodeURIComponent('购车合同.pdf')}`,
        headers: { cookie: cookies['enterprise.demo'] as string, 'content-type': 'application/octet-stream' },
        payload: PDF,
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      await ok(
        await call(
          'county.yuanqu',
          'POST',
          `/api/funds/applications/${applicationId}/approve`,
          { approvedYuan: '100000' },
          randomUUID(),
        ),
      );
    });

    const requestPayment = (amountYuan: string, voucherNumber: string) =>
      call(
        'county.yuanqu',
        'POST',
        `/api/funds/applications/${applicationId}/disbursement-requests`,
        { amountYuan, voucherNumber, note: '按合同进度拨付' },
        randomUUID(),
      );

    it('is off until the county switches it on; only the county operator switches it', async () => {
      const settings = await ok(
        await call('county.yuanqu.finance', 'GET', `/api/funds/county-settings/${YUANQU.county}`),
      );
      expect(settings).toMatchObject({ countyCode: YUANQU.county, disbursementApprovalRequired: false });
      const notNeeded = await requestPayment('10000', 'PZ-000');
      expect(notNeeded.statusCode).toBe(409);
      expect(notNeeded.json().error.code).toBe('finance_approval_not_required');

      for (const user of ['county.yuanqu.finance', 'county.yuanqu.discipline', 'province.admin']) {
        const refused = await call(user, 'PUT', `/api/funds/county-settings/${YUANQU.county}`, {
          disbursementApprovalRequired: true,
        });
        expect(refused.statusCode, user).toBe(403);
      }
      expect(
        (
          await call('county.other', 'PUT', `/api/funds/county-settings/${YUANQU.county}`, {
            disbursementApprovalRequired: true,
          })
        ).statusCode,
      ).toBe(404);
      const switched = await ok(
        await call('county.yuanqu', 'PUT', `/api/funds/county-settings/${YUANQU.county}`, {
          disbursementApprovalRequired: true,
        }),
      );
      expect(switched).toMatchObject({
        disbursementApprovalRequired: true,
        updatedByName: '垣曲县工科局操作员（演示）',
      });
      // 绛县 is untouched.
      expect(
        await ok(await call('county.other', 'GET', `/api/funds/county-settings/${JIANGXIAN.county}`)),
      ).toMatchObject({ disbursementApprovalRequired: false });
    });

    it('holds each instalment until the bureau approves it, then pays it', async () => {
      const direct = await call(
        'county.yuanqu',
        'POST',
        `/api/funds/applications/${applicationId}/disbursements`,
        { amountYuan: '30000', paidOn: shanghaiToday(), voucherNumber: 'PZ-001' },
        randomUUID(),
      );
      expect(direct.statusCode).toBe(409);
      expect(direct.json().error.code).toBe('finance_approval_required');

      const requested = await ok(await requestPayment('30000', 'PZ-001'), 201);
      expect(requested).toMatchObject({
        disbursementApprovalRequired: true,
        pendingDisbursementYuan: '30000.00',
        paidYuan: '0.00',
        disbursements: [],
        disbursementRequests: [
          expect.objectContaining({
            amountYuan: '30000.00',
            status: 'pending',
            requestedByName: '垣曲县工科局操作员（演示）',
            instalment: null,
          }),
        ],
      });
      const requestId = requested.disbursementRequests[0].id as string;
      expect(await notificationsOf('county.yuanqu.finance')).toContain('拨付申请待审批');

      // What is awaiting approval is reserved: neither a second request nor settling may take it.
      const tooMuch = await requestPayment('80000', 'PZ-002');
      expect(tooMuch.statusCode).toBe(409);
      expect(tooMuch.json().error.code).toBe('insufficient_funds');
      const settle = await call(
        'county.yuanqu',
        'POST',
        `/api/funds/applications/${applicationId}/settle`,
        {},
      );
      expect(settle.statusCode).toBe(409);
      expect(settle.json().error.code).toBe('disbursement_pending');

      // Only the bureau approves; the county, the other county's bureau and the commission cannot.
      const approveUrl = `/api/funds/disbursement-requests/${requestId}/approve`;
      const body = { paidOn: shanghaiToday(), note: '资金已到位，同意拨付' };
      expect((await call('county.yuanqu', 'POST', approveUrl, body, randomUUID())).statusCode).toBe(403);
      expect(
        (await call('county.yuanqu.discipline', 'POST', approveUrl, body, randomUUID())).statusCode,
      ).toBe(403);
      expect(
        (await call('county.jiangxian.finance', 'POST', approveUrl, body, randomUUID())).statusCode,
      ).toBe(404);
      const withoutKey = await call('county.yuanqu.finance', 'POST', approveUrl, body);
      expect(withoutKey.json().error.code).toBe('idempotency_key_required');
      const future = await call(
        'county.yuanqu.finance',
        'POST',
        approveUrl,
        { paidOn: '2099-01-01' },
        randomUUID(),
      );
      expect(future.json().error.code).toBe('paid_on_in_future');

      const key = randomUUID();
      const approved = await ok(await call('county.yuanqu.finance', 'POST', approveUrl, body, key));
      expect(approved).toMatchObject({
        paidYuan: '30000.00',
        committedYuan: '70000.00',
        pendingDisbursementYuan: '0.00',
        disbursements: [
          expect.objectContaining({
            instalment: 1,
            amountYuan: '30000.00',
            voucherNumber: 'PZ-001',
            createdByName: '垣曲县工科局操作员（演示）',
            approvedByName: '垣曲县财政局审批员（演示）',
          }),
        ],
        disbursementRequests: [
          expect.objectContaining({
            status: 'approved',
            instalment: 1,
            decidedByName: '垣曲县财政局审批员（演示）',
            decisionNote: '资金已到位，同意拨付',
          }),
        ],
      });
      // A retry answers the first answer and pays once; a second approval is refused.
      const replay = await call('county.yuanqu.finance', 'POST', approveUrl, body, key);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const again = await call('county.yuanqu.finance', 'POST', approveUrl, body, randomUUID());
      expect(again.statusCode).toBe(409);
      expect(again.json().error.code).toBe('disbursement_request_decided');
      expect(await notificationsOf('county.yuanqu')).toContain('县财政局已批准拨付');

      // A request the bureau returns pays nothing.
      const second = await ok(await requestPayment('20000', 'PZ-002'), 201);
      const secondId = second.disbursementRequests.find((r: { status: string }) => r.status === 'pending').id;
      const noReason = await call(
        'county.yuanqu.finance',
        'POST',
        `/api/funds/disbursement-requests/${secondId}/return`,
        {},
      );
      expect(noReason.statusCode).toBe(400);
      const returned = await ok(
        await call('county.yuanqu.finance', 'POST', `/api/funds/disbursement-requests/${secondId}/return`, {
          reason: '凭证号与合同不符',
        }),
      );
      expect(returned).toMatchObject({ paidYuan: '30000.00', pendingDisbursementYuan: '0.00' });
      expect(returned.disbursementRequests.find((r: { id: string }) => r.id === secondId)).toMatchObject({
        status: 'returned',
        decisionNote: '凭证号与合同不符',
      });

      // The bureau's work list: the county's requests, none of 绛县's bureau's business.
      const list = await ok(await call('county.yuanqu.finance', 'GET', '/api/funds/disbursement-requests'));
      expect(list.map((item: { status: string }) => item.status).sort()).toEqual(['approved', 'returned']);
      expect(
        await ok(await call('county.jiangxian.finance', 'GET', '/api/funds/disbursement-requests')),
      ).toEqual([]);
      expect(
        (await call('county.jiangxian.finance', 'GET', `/api/funds/applications/${applicationId}`))
          .statusCode,
      ).toBe(404);

      const verification = await verifyFundLedger(context.database.db);
      expect(verification.mismatchedAccounts).toEqual([]);
      expect(verification.unbalancedTransactions).toEqual([]);

      // With the setting off again the county pays directly, as before.
      const loaded = await ok(
        await call('county.yuanqu', 'GET', `/api/funds/county-settings/${YUANQU.county}`),
      );
      await ok(
        await call('county.yuanqu', 'PUT', `/api/funds/county-settings/${YUANQU.county}`, {
          disbursementApprovalRequired: false,
          version: loaded.version,
        }),
      );
      await ok(
        await call(
          'county.yuanqu',
          'POST',
          `/api/funds/applications/${applicationId}/disbursements`,
          { amountYuan: '10000', paidOn: shanghaiToday(), voucherNumber: 'PZ-003' },
          randomUUID(),
        ),
        201,
      );
    });

    it('reads the county funds and projects, and writes nothing else', async () => {
      for (const url of [
        '/api/funds/applications',
        `/api/funds/applications/${applicationId}`,
        '/api/funds/budgets',
        '/api/funds/policies',
        '/api/funds/reports/usage',
        '/api/funds/disclosure',
        '/api/projects',
        '/api/facilities',
      ]) {
        expect((await call('county.yuanqu.finance', 'GET', url)).statusCode, url).toBe(200);
      }
      for (const [method, url, payload] of [
        [
          'POST',
          `/api/funds/applications/${applicationId}/disbursements`,
          { amountYuan: '1', paidOn: shanghaiToday(), voucherNumber: 'X' },
        ],
        ['POST', `/api/funds/applications/${applicationId}/settle`, {}],
        [
          'POST',
          '/api/funds/allocations',
          { etownCode: YUANQU.etown, source: 'county', amountYuan: '1', documentReference: 'X' },
        ],
        ['POST', '/api/projects', { etownCode: YUANQU.etown, name: '越权项目' }],
      ] as const) {
        const response = await call('county.yuanqu.finance', method, url, payload, randomUUID());
        expect(response.statusCode, url).toBe(403);
      }
      for (const url of ['/api/stats/monthly?month=2024-03', '/api/entities', '/api/audit']) {
        expect((await call('county.yuanqu.finance', 'GET', url)).statusCode, url).toBe(403);
      }
    });
  });

  describe('县纪委监委 reads everything in the county, with the audit trail of its records, and writes nothing', () => {
    it('reads every kind of county record the county operator reads', async () => {
      const year = new Date().getFullYear();
      for (const url of [
        `/api/etowns/${YUANQU.etown}`,
        `/api/etowns/${YUANQU.etown}/scorecard?year=${year}`,
        `/api/etowns/${YUANQU.etown}/ledger?year=${year}`,
        '/api/leading-groups',
        '/api/evaluations',
        `/api/evaluations/overview?year=${year}`,
        '/api/entities',
        '/api/stats/monthly?month=2024-03',
        '/api/brands',
        '/api/products',
        '/api/promotion/events',
        '/api/trace/analytics',
        '/api/projects',
        '/api/inspections',
        '/api/findings',
        '/api/compliance-incidents',
        '/api/policy-documents',
        '/api/funds/applications',
        '/api/funds/budgets',
        '/api/funds/disbursement-requests',
      ]) {
        expect((await call('county.yuanqu.discipline', 'GET', url)).statusCode, url).toBe(200);
      }
    });

    it('reads the audit trail of funds and evaluations in its county, and nothing of the other county', async () => {
      // An evaluation in each county, and an incident in 绛县, so both counties have records.
      const yuanqu = await ok(
        await call('county.yuanqu', 'POST', '/api/evaluations', { etownCode: YUANQU.etown, year: 2024 }),
        201,
      );
      await ok(
        await call('county.other', 'POST', '/api/evaluations', { etownCode: JIANGXIAN.etown, year: 2024 }),
        201,
      );
      await ok(
        await call('province.admin', 'POST', '/api/compliance-incidents', {
          etownCode: JIANGXIAN.etown,
          occurredOn: shanghaiToday(),
          category: 'debt',
        }),
        201,
      );

      const page = await ok(await call('county.yuanqu.discipline', 'GET', '/api/audit?pageSize=200'));
      const items = page.items as AuditItem[];
      expect(items.length).toBeGreaterThan(10);
      expect(items.every((item) => item.regionCode?.startsWith(YUANQU.county))).toBe(true);
      const actions = new Set(items.map((item) => item.action));
      for (const action of [
        'funds.application.submit',
        'funds.application.approve',
        'funds.disbursement.request',
        'funds.disbursement.approve',
        'funds.application.disburse',
        'funds.county-settings.update',
        'evaluation.start',
        'stats.monthly.approve',
        'ledger.import',
      ]) {
        expect(actions.has(action), action).toBe(true);
      }
      // The total counts the county's records only.
      const [counted] = await context.database.query<{ count: number }>(
        "select count(*)::int as count from audit_log where region_code like '140827%'",
      );
      expect(page.total).toBe(counted?.count);

      // One record's trail: the evaluation started in Yuanqu.
      const trail = await ok(
        await call(
          'county.yuanqu.discipline',
          'GET',
          `/api/audit?targetType=evaluation&targetId=${yuanqu.id}`,
        ),
      );
      expect(trail.items.map((item: AuditItem) => item.action)).toEqual(['evaluation.start']);
      // 绛县's records: not listed, not counted, not filterable.
      const jiangxianEvaluations = await ok(
        await call('county.yuanqu.discipline', 'GET', '/api/audit?targetType=evaluation&pageSize=200'),
      );
      expect(jiangxianEvaluations.items.every((item: AuditItem) => item.regionCode === YUANQU.etown)).toBe(
        true,
      );
      expect(
        (await call('county.yuanqu.discipline', 'GET', `/api/audit?regionCode=${JIANGXIAN.etown}`))
          .statusCode,
      ).toBe(404);
      const ownEtown = await ok(
        await call('county.yuanqu.discipline', 'GET', `/api/audit?regionCode=${YUANQU.etown}&pageSize=1`),
      );
      expect(ownEtown.total).toBeGreaterThan(0);
      const scopedActions = (await ok(
        await call('county.yuanqu.discipline', 'GET', '/api/audit/actions'),
      )) as string[];
      expect(scopedActions).toContain('funds.application.approve');
      expect(scopedActions).not.toContain('user.create');
      // The chain is the auditor's to verify: it counts every record.
      expect((await call('county.yuanqu.discipline', 'GET', '/api/audit/verify')).statusCode).toBe(403);

      // The auditor still reads the whole log, the other county and account records included, and the
      // chain — with the region codes hashed in — verifies.
      const all = await ok(await call('auditor', 'GET', '/api/audit?pageSize=200'));
      expect(all.total).toBeGreaterThan(page.total);
      expect(all.items.some((item: AuditItem) => item.regionCode?.startsWith(JIANGXIAN.county))).toBe(true);
      expect(await ok(await call('auditor', 'GET', '/api/audit/verify'))).toMatchObject({ ok: true });
    });

    it('answers 403 to its writes and writes nothing', async () => {
      const before = await context.database.query<{ count: number }>(
        "select count(*)::int as count from audit_log where username = 'county.yuanqu.discipline' and result = 'success' and action not like 'auth.%'",
      );
      for (const [method, url, payload] of [
        [
          'POST',
          '/api/compliance-incidents',
          { etownCode: YUANQU.etown, occurredOn: shanghaiToday(), category: 'land' },
        ],
        ['POST', '/api/etowns', { countyCode: YUANQU.county, name: '越权新建e镇' }],
        ['PUT', `/api/funds/county-settings/${YUANQU.county}`, { disbursementApprovalRequired: false }],
        ['POST', '/api/evaluations', { etownCode: YUANQU.etown, year: 2023 }],
      ] as const) {
        const response = await call('county.yuanqu.discipline', method, url, payload);
        expect(response.statusCode, url).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
      }
      const after = await context.database.query<{ count: number }>(
        "select count(*)::int as count from audit_log where username = 'county.yuanqu.discipline' and result = 'success' and action not like 'auth.%'",
      );
      expect(after).toEqual(before);
      expect(before[0]?.count).toBe(0);
    });
  });
});
