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
import { createUser } from './user.service.ts';

describe.each(testBackends)('user management by the security admin on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let admin = '';
  let adminId = '';
  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    admin = (await loginReady(app, 'security.admin')).cookie;
    adminId = (await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: admin } })).json().id;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, cookie = admin) =>
    app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  it('lists every account with role labels and scopes, without secrets', async () => {
    const users = (await call('GET', '/api/users')).json();
    expect(users).toHaveLength(13);
    const county = users.find((u: { username: string }) => u.username === 'county.yuanqu');
    expect(county).toMatchObject({
      roleLabel: '县级操作员（县工科局/商务局）',
      scopeRegionName: '垣曲县',
      isDemo: true,
    });
    expect(JSON.stringify(users)).not.toMatch(/argon2|passwordHash|totpSecret/);
    const expert = users.find((u: { username: string }) => u.username === 'expert.demo');
    expect(expert.expertEtownCodes).toEqual(['140827-E01']);
  });

  it('checks that the scope fits the role, naming the field', async () => {
    const cityAsCounty = await call('POST', '/api/users', {
      username: 'wrong.scope',
      displayName: '范围错误',
      role: 'county_operator',
      scopeRegionCode: '1408',
    });
    expect(cityAsCounty.statusCode).toBe(400);
    expect(cityAsCounty.json().error.details).toEqual([
      { path: 'scopeRegionCode', message: expect.stringContaining('县级') },
    ]);
    const noScope = await call('POST', '/api/users', {
      username: 'no.scope',
      displayName: '无范围',
      role: 'city_reviewer',
    });
    expect(noScope.json().error.details[0].path).toBe('scopeRegionCode');
    const ghostEtown = await call('POST', '/api/users', {
      username: 'ghost.expert',
      displayName: '专家',
      role: 'expert',
      expertEtownCodes: ['140827-E09'],
    });
    expect(ghostEtown.json().error.details[0]).toMatchObject({ path: 'expertEtownCodes.0' });
    const taken = await call('POST', '/api/users', {
      username: 'auditor',
      displayName: '重复',
      role: 'expert',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('username_taken');
  });

  it('creates the county oversight roles with a county scope, and only with one', async () => {
    for (const [role, label] of [
      ['county_statistics', '县统计局（统计审核）'],
      ['county_finance', '县财政局（资金拨付审批）'],
      ['county_discipline', '县纪委监委（监督查阅）'],
    ] as const) {
      const username = `jiangxian.${role.replace('county_', '')}`;
      const created = await call('POST', '/api/users', {
        username,
        displayName: `绛县${label}`,
        role,
        scopeRegionCode: '140826',
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().user).toMatchObject({ role, roleLabel: label, scopeRegionName: '绛县' });
      for (const scopeRegionCode of ['140826-E01', '1408', undefined]) {
        const wrong = await call('POST', '/api/users', {
          username: `${username}.wrong`,
          displayName: '范围错误',
          role,
          ...(scopeRegionCode ? { scopeRegionCode } : {}),
        });
        expect(wrong.statusCode, `${role} ${scopeRegionCode}`).toBe(400);
        expect(wrong.json().error.details[0]).toMatchObject({
          path: 'scopeRegionCode',
          message: expect.stringContaining('县'),
        });
      }
    }
  });

  it('resets a password, locks and unlocks an account', async () => {
    const users = (await call('GET', '/api/users')).json();
    const target = users.find((u: { username: string }) => u.username === 'etown.gaotao');
    const reset = (await call('POST', `/api/users/${target.id}/reset-password`)).json();
    expect(reset.user.mustChangePassword).toBe(true);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'etown.gaotao', password: DEMO_PASSWORD },
        })
      ).statusCode,
    ).toBe(401);
    const session = await loginAs(app, 'etown.gaotao', reset.temporaryPassword);
    expect((await call('POST', `/api/users/${target.id}/lock`)).json().disabled).toBe(true);
    // Locking ends the running session at once.
    expect((await call('GET', '/api/me', undefined, session)).statusCode).toBe(401);
    const locked = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'etown.gaotao', password: reset.temporaryPassword },
    });
    expect(locked.statusCode).toBe(423);
    expect(locked.json().error.code).toBe('account_locked');
    await call('POST', `/api/users/${target.id}/unlock`);
    await loginAs(app, 'etown.gaotao', reset.temporaryPassword);
  });

  it('a password reset ends every session of the user', async () => {
    const first = await loginAs(app, 'enterprise.demo');
    const second = await loginAs(app, 'enterprise.demo');
    const users = (await call('GET', '/api/users')).json();
    const target = users.find((u: { username: string }) => u.username === 'enterprise.demo');
    expect((await call('POST', `/api/users/${target.id}/reset-password`)).statusCode).toBe(200);
    expect((await call('GET', '/api/me', undefined, first)).statusCode).toBe(401);
    expect((await call('GET', '/api/me', undefined, second)).statusCode).toBe(401);
    expect((await call('GET', '/api/me')).statusCode).toBe(200);
  });

  it('refuses to lock or demote the account in use, and other roles cannot manage users', async () => {
    const self = await call('POST', `/api/users/${adminId}/lock`);
    expect(self.statusCode).toBe(403);
    const demote = await call('PATCH', `/api/users/${adminId}`, { role: 'auditor', version: 1 });
    expect(demote.statusCode).toBe(403);
    const province = (await loginReady(app, 'province.admin')).cookie;
    expect((await call('GET', '/api/users', undefined, province)).statusCode).toBe(403);
    expect(
      (await call('POST', '/api/users', { username: 'x.y.z', displayName: 'x', role: 'auditor' }, province))
        .statusCode,
    ).toBe(403);
  });

  it('changing a role or scope takes effect at once', async () => {
    const created = (
      await call('POST', '/api/users', {
        username: 'move.me',
        displayName: '调岗',
        role: 'county_operator',
        scopeRegionCode: '140827',
      })
    ).json();
    const updated = await call('PATCH', `/api/users/${created.user.id}`, {
      scopeRegionCode: '140826',
      version: created.user.version,
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ scopeRegionCode: '140826', scopeRegionName: '绛县', version: 2 });
    const audit = await context.database.query<{
      diff: { scopeRegionCode?: { before: string; after: string } };
    }>("select diff from audit_log where action = 'user.update' and target_id = $1", [created.user.id]);
    expect(audit[0]?.diff.scopeRegionCode).toEqual({ before: '140827', after: '140826' });
  });

  it('lists the expert accounts to the province, and to no one else', async () => {
    const province = (await loginReady(app, 'province.admin')).cookie;
    const experts = await call('GET', '/api/experts', undefined, province);
    expect(experts.statusCode).toBe(200);
    expect(experts.json()).toEqual([
      {
        id: expect.any(String),
        username: 'expert.demo',
        displayName: '评审专家（演示）',
        etownCodes: ['140827-E01'],
      },
    ]);
    const county = (await loginReady(app, 'county.yuanqu')).cookie;
    expect((await call('GET', '/api/experts', undefined, county)).statusCode).toBe(403);
  });

  describe('三员分立', () => {
    const console_ = { username: 'cli:root', ip: 'local' };
    const userNamed = async (username: string) =>
      (await call('GET', '/api/users')).json().find((u: { username: string }) => u.username === username);

    it('the security admin cannot open an account of the three admin roles, nor learn its password', async () => {
      for (const role of ['auditor', 'security_admin', 'system_admin']) {
        const refused = await call('POST', '/api/users', {
          username: `second.${role.replace('_', '.')}`,
          displayName: '第二位',
          role,
        });
        expect(refused.statusCode, refused.body).toBe(403);
        expect(refused.json().error.code).toBe('separated_admin_console_only');
        expect(refused.body).not.toContain('temporaryPassword');
      }
      const auditor = await userNamed('auditor');
      const reset = await call('POST', `/api/users/${auditor.id}/reset-password`);
      expect(reset.statusCode).toBe(403);
      expect(reset.json().error.code).toBe('separated_admin_console_only');
      expect(reset.body).not.toContain('temporaryPassword');
      // The auditor's password still works: nothing was reset.
      await loginAs(app, 'auditor');
    });

    it('no account changes into or out of one of the three roles', async () => {
      const auditor = await userNamed('auditor');
      const promoted = await call('PATCH', `/api/users/${auditor.id}`, {
        role: 'security_admin',
        version: auditor.version,
      });
      expect(promoted.statusCode).toBe(403);
      expect(promoted.json().error.code).toBe('separated_admin_role_fixed');
      const demoted = await call('PATCH', `/api/users/${auditor.id}`, {
        role: 'county_operator',
        scopeRegionCode: '140827',
        version: auditor.version,
      });
      expect(demoted.json().error.code).toBe('separated_admin_role_fixed');
      const systemAdmin = await userNamed('system.admin');
      expect(
        (
          await call('PATCH', `/api/users/${systemAdmin.id}`, {
            role: 'auditor',
            version: systemAdmin.version,
          })
        ).json().error.code,
      ).toBe('separated_admin_role_fixed');
      const operator = await userNamed('county.yuanqu');
      const granted = await call('PATCH', `/api/users/${operator.id}`, {
        role: 'auditor',
        scopeRegionCode: null,
        version: operator.version,
      });
      expect(granted.statusCode).toBe(403);
      expect(granted.json().error.code).toBe('separated_admin_role_fixed');
      expect((await userNamed('auditor')).role).toBe('auditor');
      expect((await userNamed('county.yuanqu')).role).toBe('county_operator');
      // The display name of an admin account can still be corrected.
      const renamed = await call('PATCH', `/api/users/${auditor.id}`, {
        displayName: '审计管理员（张）',
        version: auditor.version,
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
    });

    it('only the auditor reads the audit log', async () => {
      const systemAdmin = (await loginReady(app, 'system.admin')).cookie;
      for (const cookie of [admin, systemAdmin]) {
        for (const url of ['/api/audit', '/api/audit/verify', '/api/audit/anchors']) {
          expect((await call('GET', url, undefined, cookie)).statusCode).toBe(403);
        }
      }
      const auditor = (await loginReady(app, 'auditor')).cookie;
      expect((await call('GET', '/api/audit', undefined, auditor)).statusCode).toBe(200);
      expect((await call('GET', '/api/users', undefined, auditor)).statusCode).toBe(403);
      expect((await call('GET', '/api/users', undefined, systemAdmin)).statusCode).toBe(403);
    });

    it('the last enabled auditor cannot be locked; a second one opened at the console can', async () => {
      const first = await userNamed('auditor');
      const refused = await call('POST', `/api/users/${first.id}/lock`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('last_auditor');
      expect((await userNamed('auditor')).disabled).toBe(false);

      const second = await createUser(context, console_, {
        username: 'auditor.two',
        displayName: '审计管理员（二）',
        role: 'auditor',
      });
      expect(second.temporaryPassword.length).toBeGreaterThanOrEqual(8);
      expect((await call('POST', `/api/users/${first.id}/lock`)).statusCode).toBe(200);
      const last = await call('POST', `/api/users/${second.user.id}/lock`);
      expect(last.json().error.code).toBe('last_auditor');
      expect((await call('POST', `/api/users/${first.id}/unlock`)).statusCode).toBe(200);
      expect((await call('POST', `/api/users/${second.user.id}/lock`)).statusCode).toBe(200);
    });
  });
});
