import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema/accounts.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { entities } from '../../db/schema/entities.ts';
import type { App } from '../../http/app.ts';
import { parseLedger } from '../../indicators/ledger-schema.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { exportLedger } from '../indicators/ledger-export.ts';
import { importLedger } from '../indicators/ledger-import.ts';

const ETOWN = '140827-E01';
type Report = {
  id: string;
  status: string;
  outliers: { field: string; changePct: number }[];
  warnings: string[];
  returnReason: string | null;
  reopenCount: number;
  late: boolean;
  deadline: string;
};
const figures = (outputYuan: string, onlineRetailYuan: string, employees = 20) => ({
  outputYuan,
  onlineRetailYuan,
  crossBorderYuan: '0',
  orders: 120,
  employees,
  ecommerceEmployees: 5,
});

describe.each(testBackends)('monthly reporting, review and progress on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let entityId: string;
  let creditCode: string;
  const ownRows = async (year: number) =>
    (await exportLedger(context.database.db, ETOWN, year)).monthlyStats.filter(
      (row) => row.creditCode === creditCode,
    );
  const cookies = new Map<string, string>();
  const call = (username: string, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as object, headers: { cookie: cookies.get(username) ?? '' } });
  const path = (month: string, action = '') => `/api/stats/monthly/${entityId}/${month}${action}`;

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['enterprise.demo', 'county.yuanqu', 'county.other']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
    const [account] = await context.database.db
      .select()
      .from(users)
      .where(eq(users.username, 'enterprise.demo'));
    entityId = account?.entityId as string;
    const [entity] = await context.database.db.select().from(entities).where(eq(entities.id, entityId));
    creditCode = entity?.creditCode as string;
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('an enterprise fills and submits its month; the county approves and the figures lock', async () => {
    const saved = await call('enterprise.demo', 'PUT', path('2026-09'), figures('1000000.50', '1200000'));
    expect(saved.statusCode).toBe(200);
    expect((saved.json() as Report).status).toBe('draft');
    expect((saved.json() as Report).warnings).toEqual(['网络零售额高于总产值，请核对（仅提示）']);
    expect((saved.json() as Report).deadline).toBe('2026-10-10');
    // Drafts are not ledger data: the evaluation sees approved figures only.
    expect(await ownRows(2026)).toEqual([]);

    expect((await call('enterprise.demo', 'POST', path('2026-09', '/submit'))).json().status).toBe(
      'submitted',
    );
    const locked = await call('enterprise.demo', 'PUT', path('2026-09'), figures('1', '1'));
    expect(locked.statusCode).toBe(409);
    expect(
      (await call('enterprise.demo', 'POST', path('2026-09', '/review'), { approve: true })).statusCode,
    ).toBe(403);
    const approved = await call('county.yuanqu', 'POST', path('2026-09', '/review'), { approve: true });
    expect(approved.json().status).toBe('approved');
    expect(await ownRows(2026)).toEqual([
      expect.objectContaining({ month: '2026-09', outputYuan: '1000000.50', onlineRetailYuan: '1200000.00' }),
    ]);
  });

  it('an outlier needs an explanation before submission; a return carries its reason', async () => {
    const first = await call('enterprise.demo', 'PUT', path('2026-10'), figures('5000000', '1300000'));
    const refused = await call('enterprise.demo', 'POST', path('2026-10', '/submit'));
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('outlier_explanation_required');
    expect(refused.json().error.message).toContain('总产值（元）较上月变化 399%');

    await call('enterprise.demo', 'PUT', path('2026-10'), {
      ...figures('5000000', '1300000'),
      outlierExplanation: '十月食用菌集中上市，订单大增',
      version: first.json().version,
    });
    expect((await call('enterprise.demo', 'POST', path('2026-10', '/submit'))).statusCode).toBe(200);
    const noReason = await call('county.yuanqu', 'POST', path('2026-10', '/review'), { approve: false });
    expect(noReason.statusCode).toBe(400);
    const returned = await call('county.yuanqu', 'POST', path('2026-10', '/review'), {
      approve: false,
      reason: '从业人员与上月不一致，请核对',
    });
    expect(returned.json()).toMatchObject({
      status: 'returned',
      returnReason: '从业人员与上月不一致，请核对',
    });
    await call('enterprise.demo', 'PUT', path('2026-10'), {
      ...figures('5000000', '1300000', 21),
      outlierExplanation: '十月食用菌集中上市，订单大增',
      version: returned.json().version,
    });
    await call('enterprise.demo', 'POST', path('2026-10', '/submit'));
    const single = (
      await call('county.yuanqu', 'POST', path('2026-10', '/review'), { approve: true })
    ).json() as Report;
    expect(single.status).toBe('approved');
    // The month's list compares each row with the previous month as the report itself does.
    const listed = (
      await call('county.yuanqu', 'GET', '/api/stats/monthly?month=2026-10&pageSize=100')
    ).json() as {
      items: Report[];
    };
    expect(single.outliers.map((outlier) => outlier.field)).toContain('outputYuan');
    expect(listed.items.find((item) => item.id === single.id)?.outliers).toEqual(single.outliers);
  });

  it('reopening approved figures is counted and audited', async () => {
    const reopened = await call('county.yuanqu', 'POST', path('2026-10', '/reopen'), {
      reason: '企业申请更正',
    });
    expect(reopened.json()).toMatchObject({ status: 'returned', reopenCount: 1 });
    const audits = await context.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'stats.monthly.reopen'));
    expect(audits).toHaveLength(1);
  });

  it('a ledger import leaves monthly figures alone, approved or still being reported', async () => {
    await call('enterprise.demo', 'PUT', path('2026-12'), figures('100', '50'));
    const exported = await exportLedger(context.database.db, ETOWN, 2026);
    const parsed = parseLedger(exported);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await importLedger(context, { username: 'test', ip: 'local' }, parsed.ledger, ETOWN);
    expect(await exportLedger(context.database.db, ETOWN, 2026)).toEqual(exported);
    const december = (await call('enterprise.demo', 'GET', '/api/stats/monthly?month=2026-12')).json() as {
      items: Report[];
    };
    expect(december.items.map((item) => item.status)).toEqual(['draft']);
  });

  it('outside the scope the entity does not exist; progress lists who has not reported', async () => {
    expect((await call('county.other', 'PUT', path('2026-11'), figures('1', '1'))).statusCode).toBe(404);
    expect(
      ((await call('county.other', 'GET', '/api/stats/monthly?month=2026-09')).json() as { items: unknown[] })
        .items,
    ).toEqual([]);
    const progress = (
      await call('county.yuanqu', 'GET', '/api/stats/monthly/progress?month=2026-09')
    ).json() as {
      regions: { code: string; entities: number; reported: number; completenessPct: number }[];
      missing: { entityId: string }[];
    };
    const gaotao = progress.regions.find((region) => region.code === ETOWN);
    expect(gaotao?.reported).toBeGreaterThan(0);
    expect(gaotao?.completenessPct).toBe(
      Math.floor(((gaotao?.reported ?? 0) * 1000) / (gaotao?.entities ?? 1)) / 10,
    );
    expect(progress.missing.map((entity) => entity.entityId)).not.toContain(entityId);
    const november = (
      await call('county.yuanqu', 'GET', '/api/stats/monthly/progress?month=2026-11')
    ).json() as {
      missing: { entityId: string }[];
      missingTotal: number;
    };
    expect(november.missing.map((entity) => entity.entityId)).toContain(entityId);
    expect(november.missingTotal).toBe(november.missing.length);
  });

  it('a submission counts as on time through the deadline day on the Shanghai calendar', async () => {
    const month = '2026-10';
    const progressOfEtown = async () => {
      const progress = (
        await call('county.yuanqu', 'GET', `/api/stats/monthly/progress?month=${month}`)
      ).json() as {
        deadline: string;
        regions: { code: string; reported: number; onTime: number }[];
        missing: { entityId: string }[];
      };
      return { ...progress, etown: progress.regions.find((region) => region.code === ETOWN) };
    };
    const { deadline } = await progressOfEtown();
    await context.database.query(
      `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen, status, source)
       values ($1, $2, $3, 100, 50, 'submitted', 'report')
       on conflict (entity_id, month) do update set status = 'submitted', source = 'report'`,
      [ETOWN, entityId, month],
    );
    const submittedAt = async (instant: string) => {
      await context.database.query(
        'update monthly_statistics set submitted_at = $1 where entity_id = $2 and month = $3',
        [instant, entityId, month],
      );
      return progressOfEtown();
    };
    // 23:30 in Shanghai on the deadline day is 15:30 UTC; half an hour after midnight there is 16:30 UTC.
    const lastMinutes = await submittedAt(`${deadline}T15:30:00Z`);
    const justLate = await submittedAt(`${deadline}T16:30:00Z`);
    expect(lastMinutes.missing.map((entity) => entity.entityId)).not.toContain(entityId);
    expect(justLate.etown?.reported).toBe(lastMinutes.etown?.reported);
    expect(justLate.etown?.onTime).toBe((lastMinutes.etown?.onTime ?? 0) - 1);
  });

  it("lists the month's reports a page at a time, in a stable order, filtered and counted", async () => {
    const month = '2025-05';
    // 25 more entities of the e-town with this month's figures, some submitted, the rest approved; equal
    // sort orders and names two by two, so only the tiebreaker keeps the pages apart.
    await context.database.query(
      `insert into entities (credit_code, name, etown_code, sort_order)
       select '9114082700PG' || lpad(n::text, 6, '0'), '分页测试企业' || (n / 2), $1, 5000 + n / 2
       from generate_series(1, 25) as n`,
      [ETOWN],
    );
    await context.database.query(
      `insert into monthly_statistics (etown_code, entity_id, month, output_fen, online_retail_fen, status, source)
       select $1, e.id, $2, 100000, 50000,
              case when e.credit_code like '%1_' or e.credit_code like '%3_' then 'submitted' else 'approved' end,
              'report'
       from entities e where e.name like '分页测试企业%'
       on conflict (entity_id, month) do nothing`,
      [ETOWN, month],
    );
    const list = async (query: string, username = 'county.yuanqu') => {
      const response = await call(username, 'GET', `/api/stats/monthly?month=${month}&${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { items: { id: string; status: string }[]; total: number; pageSize: number };
    };
    const all = await list(`regionCode=${ETOWN}&pageSize=200`);
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThanOrEqual(25);
    expect((await list(`regionCode=${ETOWN}`)).pageSize).toBe(20);
    const paged: string[] = [];
    for (let page = 1; page <= Math.ceil(all.total / 7); page += 1) {
      const one = await list(`regionCode=${ETOWN}&page=${page}&pageSize=7`);
      expect(one.total).toBe(all.total);
      paged.push(...one.items.map((item) => item.id));
    }
    expect(paged).toEqual(all.items.map((item) => item.id));
    const submitted = await list(`regionCode=${ETOWN}&status=submitted&pageSize=200`);
    expect(submitted.total).toBe(submitted.items.length);
    expect(submitted.total).toBeGreaterThanOrEqual(2);
    expect(submitted.items.every((item) => item.status === 'submitted')).toBe(true);
    // Another county's operator: nothing of this e-town, and its code is not theirs to ask for.
    expect((await list('pageSize=200', 'county.other')).items.map((item) => item.id)).not.toContain(
      all.items[0]?.id,
    );
    expect(
      (await call('county.other', 'GET', `/api/stats/monthly?month=${month}&regionCode=${ETOWN}`)).statusCode,
    ).toBe(404);
    // An enterprise sees its own row only, whatever page size it asks for.
    expect((await list('pageSize=200', 'enterprise.demo')).items.length).toBeLessThanOrEqual(1);
    for (const [query, field, text] of [
      ['page=0', 'querystring.page', '页码从 1 开始'],
      ['pageSize=201', 'querystring.pageSize', '每页最多 200 条'],
      ['status=late', 'querystring.status', '状态须为'],
    ] as const) {
      const response = await call('county.yuanqu', 'GET', `/api/stats/monthly?month=${month}&${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.message).toContain(field);
      expect(response.json().error.message).toContain(text);
    }
  });
});
