import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema/accounts.ts';
import { auditLog } from '../../db/schema/audit.ts';
import type { App } from '../../http/app.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { defaultMonthlyRules } from './monthly-rules.ts';

type Deadline = {
  month: string;
  deadline: string;
  defaultDeadline: string;
  isDefault: boolean;
  setByName: string | null;
  updatedAt: string | null;
};

describe.each(testBackends)('statistics settings (deadlines and validation rules) on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let entityId = '';
  const cookies = new Map<string, string>();
  const call = (
    username: string,
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
      headers: { cookie: cookies.get(username) ?? '' },
    });
  const audits = (action: string, targetId: string) =>
    context.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['province.admin', 'county.yuanqu', 'enterprise.demo']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
    const [account] = await context.database.db
      .select()
      .from(users)
      .where(eq(users.username, 'enterprise.demo'));
    entityId = account?.entityId as string;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('lists every month of a year with its default deadline, the 10th of the next month', async () => {
    const response = await call('county.yuanqu', 'GET', '/api/stats/deadlines?year=2026');
    expect(response.statusCode).toBe(200);
    const months = response.json() as Deadline[];
    expect(months.map((month) => month.month)).toEqual(
      Array.from({ length: 12 }, (_, index) => `2026-${String(index + 1).padStart(2, '0')}`),
    );
    expect(months[0]).toEqual({
      month: '2026-01',
      deadline: '2026-02-10',
      defaultDeadline: '2026-02-10',
      isDefault: true,
      setByName: null,
      updatedAt: null,
      version: null,
    });
    expect(months[11]?.deadline).toBe('2027-01-10');
    const badYear = await call('county.yuanqu', 'GET', '/api/stats/deadlines?year=abc');
    expect(badYear.statusCode).toBe(400);
    expect(badYear.json().error.details[0].path).toBe('querystring.year');
  });

  it('lets the province move a deadline, which reports and progress then use, and reset it', async () => {
    expect(
      (await call('county.yuanqu', 'PUT', '/api/stats/deadlines/2026-03', { deadline: '2026-04-20' }))
        .statusCode,
    ).toBe(403);

    const moved = await call('province.admin', 'PUT', '/api/stats/deadlines/2026-03', {
      deadline: '2026-04-20',
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({
      month: '2026-03',
      deadline: '2026-04-20',
      defaultDeadline: '2026-04-10',
      isDefault: false,
      setByName: '省商务厅管理员（演示）',
      version: 1,
    });
    const [set] = await audits('stats.deadline.set', '2026-03');
    expect(set?.diff).toEqual({ deadline: { before: '2026-04-10', after: '2026-04-20' } });

    const listed = (
      await call('province.admin', 'GET', '/api/stats/deadlines?year=2026')
    ).json() as Deadline[];
    expect(listed.find((month) => month.month === '2026-03')?.deadline).toBe('2026-04-20');
    const progress = await call('county.yuanqu', 'GET', '/api/stats/monthly/progress?month=2026-03');
    expect(progress.json().deadline).toBe('2026-04-20');
    const report = await call('enterprise.demo', 'PUT', `/api/stats/monthly/${entityId}/2026-03`, {
      outputYuan: '100000',
      onlineRetailYuan: '50000',
      crossBorderYuan: '0',
      orders: 10,
      employees: 8,
      ecommerceEmployees: 2,
    });
    expect(report.json().deadline).toBe('2026-04-20');

    const reset = await call('province.admin', 'DELETE', '/api/stats/deadlines/2026-03');
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ deadline: '2026-04-10', isDefault: true, setByName: null });
    const [cleared] = await audits('stats.deadline.reset', '2026-03');
    expect(cleared?.diff).toEqual({ deadline: { before: '2026-04-20', after: '2026-04-10' } });
  });

  it('refuses a deadline not after the month, naming the field', async () => {
    const onMonthEnd = await call('province.admin', 'PUT', '/api/stats/deadlines/2026-02', {
      deadline: '2026-02-28',
    });
    expect(onMonthEnd.statusCode).toBe(400);
    expect(onMonthEnd.json().error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'deadline', message: expect.stringContaining('须晚于 2026-02 月末（2026-02-28）') }],
    });
    const tooLate = await call('province.admin', 'PUT', '/api/stats/deadlines/2026-02', {
      deadline: '2027-03-01',
    });
    expect(tooLate.json().error.details[0]).toMatchObject({ path: 'deadline' });
    const malformed = await call('province.admin', 'PUT', '/api/stats/deadlines/2026-02', {
      deadline: '3月10日',
    });
    expect(malformed.json().error.details[0].path).toBe('body.deadline');
    const badMonth = await call('province.admin', 'PUT', '/api/stats/deadlines/2026-13', {
      deadline: '2027-01-10',
    });
    expect(badMonth.statusCode).toBe(400);
    expect(badMonth.json().error.details[0].path).toBe('params.month');
    const untouched = (await call('province.admin', 'GET', '/api/stats/deadlines?year=2026')).json();
    expect(untouched[1]).toMatchObject({ month: '2026-02', isDefault: true });
  });

  it('lets the province change the validation rules, shows who changed them, and applies them', async () => {
    const initial = await call('county.yuanqu', 'GET', '/api/stats/rules');
    expect(initial.json()).toEqual({ ...defaultMonthlyRules, lastChange: null, version: null });

    const changed = {
      ...defaultMonthlyRules,
      fields: { ...defaultMonthlyRules.fields, orders: { required: true, momThresholdPct: 40 } },
      deadlineDay: 15,
    };
    expect((await call('county.yuanqu', 'PUT', '/api/stats/rules', changed)).statusCode).toBe(403);
    const invalid = await call('province.admin', 'PUT', '/api/stats/rules', {
      ...changed,
      fields: { ...changed.fields, outputYuan: { required: true, momThresholdPct: 0 } },
      deadlineDay: 29,
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.fields.outputYuan.momThresholdPct',
      'body.deadlineDay',
    ]);

    const saved = await call('province.admin', 'PUT', '/api/stats/rules', changed);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      fields: { orders: { required: true, momThresholdPct: 40 } },
      deadlineDay: 15,
      lastChange: { byName: '省商务厅管理员（演示）', at: expect.any(String) },
      version: 1,
    });
    expect((await call('county.yuanqu', 'GET', '/api/stats/rules')).json().lastChange.byName).toBe(
      '省商务厅管理员（演示）',
    );
    expect(await audits('stats.rules.update', 'stats.monthly-rules')).toHaveLength(1);

    // Orders are now required, and default deadlines move to the 15th.
    const withoutOrders = await call('enterprise.demo', 'PUT', `/api/stats/monthly/${entityId}/2026-05`, {
      outputYuan: '100000',
      onlineRetailYuan: '50000',
      crossBorderYuan: null,
      orders: null,
      employees: 8,
      ecommerceEmployees: null,
    });
    expect(withoutOrders.statusCode).toBe(400);
    expect(withoutOrders.json().error.details).toEqual([{ path: 'orders', message: '订单数为必填项' }]);
    const deadlines = (await call('province.admin', 'GET', '/api/stats/deadlines?year=2026')).json();
    expect(deadlines[4]).toMatchObject({ month: '2026-05', deadline: '2026-06-15', isDefault: true });
  });
});
