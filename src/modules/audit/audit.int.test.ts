import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import {
  createSeededApp,
  DEMO_PASSWORD,
  loginAs,
  loginReady,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { verifyAuditChain } from './audit.service.ts';

type AuditItem = { id: number; username: string | null; action: string; result: string; hash: string };

describe.each(testBackends)('audit log on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let auditor: string;

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (let i = 0; i < 3; i += 1) await loginAs(app, 'county.yuanqu');
    const failed = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'county.yuanqu', password: 'Wrong-password-1' },
    });
    expect(failed.statusCode).toBe(401);
    await loginAs(app, 'city.yuncheng');
    ({ cookie: auditor } = await loginReady(app, 'auditor'));
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const query = (sqlText: string) => context.database.query(sqlText);
  const auditRows = () => query('select id, diff::text as diff, hash from audit_log order by id');

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const before = await auditRows();
    expect(before.length).toBeGreaterThan(10);
    await expect(query(`update audit_log set action = 'nothing.happened' where id = 1`)).rejects.toThrow(
      'audit_log is append-only (UPDATE)',
    );
    await expect(query(`delete from audit_log where username = 'county.yuanqu'`)).rejects.toThrow(
      'audit_log is append-only (DELETE)',
    );
    await expect(query('truncate audit_log')).rejects.toThrow('audit_log is append-only (TRUNCATE)');
    expect(await auditRows()).toEqual(before);
  });

  it('verifies as an intact chain after ordinary writes', async () => {
    const [{ count }] = (await query('select count(*)::int as count from audit_log')) as [{ count: number }];
    expect(await verifyAuditChain(context.database.db)).toEqual({ ok: true, records: count });
  });

  it('lets the auditor search by username and action, page by page, newest first', async () => {
    const search = async (parameters: string) => {
      const response = await app.inject({
        method: 'GET',
        url: `/api/audit?${parameters}`,
        headers: { cookie: auditor },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { total: number; items: AuditItem[] };
    };

    const all = await search('username=county.yuanqu&action=auth.login&pageSize=200');
    expect(all.total).toBe(4);
    expect(all.items).toHaveLength(4);
    for (const item of all.items)
      expect(item).toMatchObject({ username: 'county.yuanqu', action: 'auth.login' });
    expect(all.items.map((item) => item.result).sort()).toEqual(['failure', 'success', 'success', 'success']);
    const ids = all.items.map((item) => item.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const failures = await search('username=County.Yuanqu&action=auth.login&result=failure');
    expect(failures.total).toBe(1);
    expect(failures.items[0]?.id).toBe(ids.find((_, index) => all.items[index]?.result === 'failure'));

    const pages = await Promise.all(
      [1, 2, 3].map((page) => search(`username=county.yuanqu&action=auth.login&pageSize=3&page=${page}`)),
    );
    expect(pages.map((page) => page.total)).toEqual([4, 4, 4]);
    expect(pages.map((page) => page.items.map((item) => item.id))).toEqual([
      ids.slice(0, 3),
      ids.slice(3),
      [],
    ]);

    const otherUser = await search('username=city.yuncheng&action=auth.login');
    expect(otherUser.total).toBe(1);
    const otherAction = await search('username=county.yuanqu&action=user.create');
    expect(otherAction).toEqual({ total: 0, items: [] });
  });

  it('answers the chain check to the auditor, and to no one else', async () => {
    const verify = await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: { cookie: auditor },
    });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ ok: true });
    expect(verify.json().records).toBeGreaterThan(10);

    const county = await loginAs(app, 'county.yuanqu');
    for (const url of ['/api/audit', '/api/audit/verify']) {
      const refused = await app.inject({ method: 'GET', url, headers: { cookie: county } });
      expect([403, 404]).toContain(refused.statusCode);
    }
  });

  it('finds a record changed behind the trigger, and is whole again once it is put back', async () => {
    const [target] = (await query(
      `select id, diff::text as diff from audit_log where action = 'user.create' and diff->>'role' = 'county_operator' order by id limit 1`,
    )) as [{ id: number; diff: string }];
    const tamper = async (diffSql: string) => {
      await query('alter table audit_log disable trigger audit_log_no_update_delete');
      try {
        await query(`update audit_log set diff = ${diffSql} where id = ${Number(target.id)}`);
      } finally {
        await query('alter table audit_log enable trigger audit_log_no_update_delete');
      }
    };

    await tamper(`jsonb_set(diff, '{role}', '"auditor"')`);
    const [changed] = (await query(
      `select diff::text as diff from audit_log where id = ${Number(target.id)}`,
    )) as [{ diff: string }];
    expect(changed.diff).not.toBe(target.diff);
    const broken = await verifyAuditChain(context.database.db);
    expect(broken).toMatchObject({ ok: false, brokenAtId: Number(target.id) });
    const reported = await app.inject({
      method: 'GET',
      url: '/api/audit/verify',
      headers: { cookie: auditor },
    });
    expect(reported.json()).toMatchObject({ ok: false, brokenAtId: Number(target.id) });
    expect(reported.json().reason).toContain('篡改');
    // The trigger is back on: the tampering cannot be repeated or undone without the owner doing it again.
    await expect(query(`update audit_log set diff = null where id = ${Number(target.id)}`)).rejects.toThrow(
      'append-only',
    );

    await tamper(`'${target.diff.replaceAll("'", "''")}'::jsonb`);
    expect((await verifyAuditChain(context.database.db)).ok).toBe(true);
  });

  it('stays one chain when logins and failures are recorded at the same moment', async () => {
    // Records written outside a change's transaction (logins, failures) append concurrently too.
    const attempts = Array.from({ length: 12 }, (_, index) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: {
          username: 'city.yuncheng',
          password: index % 3 === 0 ? 'Wrong-password-1' : DEMO_PASSWORD,
        },
      }),
    );
    await Promise.all(attempts);
    const [{ count }] = (await query('select count(*)::int as count from audit_log')) as [{ count: number }];
    expect(await verifyAuditChain(context.database.db)).toEqual({ ok: true, records: count });
  });
});
