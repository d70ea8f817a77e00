import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../db/schema/accounts.ts';
import type { App } from '../../http/app.ts';
import {
  createSeededApp,
  DEMO_PASSWORD,
  loginAs,
  loginReady,
  nextTotpCode,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { hashPassword } from './password.ts';
import { totpFor } from './totp.ts';

describe.each(testBackends)('authentication on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let securityAdmin: { cookie: string; totpSecret?: string };
  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    securityAdmin = await loginReady(app, 'security.admin');
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const login = (username: string, password: string, totp?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password, ...(totp ? { totp } : {}) },
    });

  it('logs in with an httpOnly SameSite=Strict session cookie and logs out', async () => {
    const response = await login('county.yuanqu', DEMO_PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      username: 'county.yuanqu',
      role: 'county_operator',
      scope: { label: '垣曲县' },
    });
    const cookie = response.cookies.find((c) => c.name === 'ezhen_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const header = `ezhen_session=${cookie?.value}`;
    expect(
      (await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: header } })).statusCode,
    ).toBe(200);
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: header } });
    const [logout] = await context.database.query<{ username: string }>(
      "select username from audit_log where action = 'auth.logout' order by id desc limit 1",
    );
    expect(logout?.username).toBe('county.yuanqu');
    const after = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie: header } });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toEqual({ error: { code: 'unauthenticated', message: '请先登录' } });
  });

  it('locks an account for 30 minutes after 5 wrong passwords, and unknown usernames look the same', async () => {
    for (const username of ['etown.gaotao', 'no.such.user']) {
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        const response = await login(username, 'Wrong-password-1');
        expect(response.statusCode).toBe(401);
        expect(response.json().error.code).toBe('invalid_credentials');
      }
      const fifth = await login(username, 'Wrong-password-1');
      expect(fifth.statusCode).toBe(423);
      expect(fifth.json().error.code).toBe('account_locked');
      const lockedUntil = new Date(fifth.json().error.details.lockedUntil).getTime();
      expect(lockedUntil - Date.now()).toBeGreaterThan(29 * 60_000);
      // Even the right password is refused while locked.
      const right = await login(username, DEMO_PASSWORD);
      expect(right.statusCode).toBe(423);
    }
  });

  it('forces a password change on first login and enforces the password policy', async () => {
    const { cookie } = securityAdmin;
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie },
      payload: {
        username: 'new.clerk',
        displayName: '新办事员',
        role: 'county_operator',
        scopeRegionCode: '140827',
      },
    });
    expect(created.statusCode).toBe(201);
    const temporaryPassword = created.json().temporaryPassword as string;
    const clerk = await loginAs(app, 'new.clerk', temporaryPassword);
    const blocked = await app.inject({ method: 'GET', url: '/api/regions', headers: { cookie: clerk } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    for (const [newPassword, problem] of [
      ['short1A', '至少 8 位'],
      ['alllowercase', '至少三类'],
      ['New.Clerk-2026', '不能包含用户名'],
      ['Password123', '过于常见'],
      ['P@ssw0rd', '过于常见'],
      [temporaryPassword, '最近 5 次'],
    ]) {
      const weak = await app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie: clerk },
        payload: { currentPassword: temporaryPassword, newPassword },
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.message).toContain(problem);
      expect(weak.json().error.details[0].path).toBe('newPassword');
    }
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: clerk },
      payload: { currentPassword: temporaryPassword, newPassword: 'Yuanqu#Clerk2026' },
    });
    expect(changed.statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'GET', url: '/api/regions', headers: { cookie: clerk } })).statusCode,
    ).toBe(200);
  });

  it('a password change ends the other sessions of the user and keeps the current one', async () => {
    const me = (cookie: string) => app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    const laptop = await loginAs(app, 'county.yuanqu');
    const phone = await loginAs(app, 'county.yuanqu');
    const someoneElse = await loginAs(app, 'city.yuncheng');
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie: laptop },
      payload: { currentPassword: DEMO_PASSWORD, newPassword: 'Yuanqu#Moved2026' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await me(laptop)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await me(someoneElse)).statusCode).toBe(200);
    // Put the demo password back for the tests after this one: changing back would reuse a recent
    // password, so as the console would, with a fresh hash.
    await context.database.db
      .update(users)
      .set({ passwordHash: await hashPassword(DEMO_PASSWORD) })
      .where(eq(users.username, 'county.yuanqu'));
  });

  it('refuses going back to any of the last five passwords, and lets the sixth-oldest be used again', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: securityAdmin.cookie },
      payload: {
        username: 'history.clerk',
        displayName: '历史办事员',
        role: 'county_operator',
        scopeRegionCode: '140827',
      },
    });
    let current = created.json().temporaryPassword as string;
    const clerk = await loginAs(app, 'history.clerk', current);
    const change = (newPassword: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie: clerk },
        payload: { currentPassword: current, newPassword },
      });
    const used = [
      'Gaotao#Hill01',
      'Gaotao#Hill02',
      'Gaotao#Hill03',
      'Gaotao#Hill04',
      'Gaotao#Hill05',
      'Gaotao#Hill06',
    ];
    for (const password of used) {
      expect((await change(password)).statusCode).toBe(200);
      current = password;
    }
    // Hill06 is current; Hill01–05 are the last five replaced ones (the temporary one has dropped out).
    for (const password of used) {
      const again = await change(password);
      expect(again.statusCode, password).toBe(400);
      expect(again.json().error.message).toContain('最近 5 次');
    }
    expect((await change(created.json().temporaryPassword)).statusCode).toBe(200);
  });

  it('requires TOTP enrolment for the three admin roles and then a code at every login', async () => {
    const cookie = await loginAs(app, 'auditor');
    const blocked = await app.inject({ method: 'GET', url: '/api/audit', headers: { cookie } });
    expect(blocked.json().error.code).toBe('totp_enrollment_required');
    const { totpSecret } = await loginReady(app, 'auditor');
    const withoutCode = await login('auditor', DEMO_PASSWORD);
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json().error.code).toBe('totp_required');
    const wrongCode = await login('auditor', DEMO_PASSWORD, '000000');
    expect(wrongCode.json().error.code).toBe('totp_invalid');
    const code = nextTotpCode('auditor', totpSecret as string);
    const ok = await login('auditor', DEMO_PASSWORD, code);
    expect(ok.statusCode).toBe(200);
    // A code is accepted once: replaying it (e.g. seen over a shoulder) fails.
    const replay = await login('auditor', DEMO_PASSWORD, code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('totp_invalid');
    const disable = await app.inject({
      method: 'POST',
      url: '/api/auth/totp/disable',
      headers: { cookie: `ezhen_session=${ok.cookies[0]?.value}` },
      payload: { code: totpFor('auditor', totpSecret as string).generate() },
    });
    expect(disable.statusCode).toBe(403);
  });

  it('answers a disabled or two-factor account alike whether or not the password is right', async () => {
    const { totpSecret } = securityAdmin;
    const noCodeRight = await login('security.admin', DEMO_PASSWORD);
    const noCodeWrong = await login('security.admin', 'Wrong-Pass-2026!');
    expect(noCodeWrong.statusCode).toBe(noCodeRight.statusCode);
    expect(noCodeWrong.json()).toEqual(noCodeRight.json());
    const code = nextTotpCode('security.admin', totpSecret as string);
    const codeWrongPassword = await login('security.admin', 'Wrong-Pass-2026!', code);
    const wrongCodeRightPassword = await login('security.admin', DEMO_PASSWORD, '000000');
    expect(codeWrongPassword.json()).toEqual(wrongCodeRightPassword.json());
    expect(codeWrongPassword.json().error.code).toBe('totp_invalid');
    // The code was not used up by the wrong password: it still signs in.
    expect((await login('security.admin', DEMO_PASSWORD, code)).statusCode).toBe(200);

    await context.database.db.update(users).set({ disabled: true }).where(eq(users.username, 'expert.demo'));
    const disabledRight = await login('expert.demo', DEMO_PASSWORD);
    const disabledWrong = await login('expert.demo', 'Wrong-Pass-2026!');
    expect(disabledRight.statusCode).toBe(423);
    expect(disabledWrong.statusCode).toBe(423);
    expect(disabledWrong.json()).toEqual(disabledRight.json());
    await context.database.db.update(users).set({ disabled: false }).where(eq(users.username, 'expert.demo'));
  });

  it('ends a session after the idle timeout', async () => {
    const cookie = await loginAs(app, 'city.yuncheng');
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(200);
    const [user] = await context.database.db.select().from(users).where(eq(users.username, 'city.yuncheng'));
    await context.database.db
      .update(sessions)
      .set({
        lastSeenAt: sql`now() - interval '${sql.raw(String(context.config.sessionIdleMinutes + 1))} minutes'`,
      })
      .where(eq(sessions.userId, user?.id as string));
    expect((await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
