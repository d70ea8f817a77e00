import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema/accounts.ts';
import { auditLog } from '../../db/schema/audit.ts';
import type { App } from '../../http/app.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import {
  createSeededApp,
  loginAs,
  loginReady,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';

const validCode = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
const password = 'Gaotao-Muer-2026!';

describe.each(testBackends)('enterprise account invitations on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';
  let otherCounty = '';
  let enterprise = '';
  let entityId = '';
  let demoEntityId = '';

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
    otherCounty = (await loginReady(app, 'county.other')).cookie;
    enterprise = (await loginReady(app, 'enterprise.demo')).cookie;
    const created = await call(county, 'POST', '/api/entities', {
      etownCode: '140827-E01',
      creditCode: validCode('91140827MA0YQTE01'),
      name: '垣曲县邀请测试农产品有限公司',
      entityType: 'enterprise',
      legalEntity: true,
    });
    expect(created.statusCode).toBe(201);
    entityId = created.json().id;
    const [demo] = await context.database.query<{ id: string }>(
      `select entity_id as id from users where username = 'enterprise.demo'`,
    );
    demoEntityId = demo?.id as string;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  function call(cookie: string | null, method: 'GET' | 'POST', url: string, payload?: object) {
    return app.inject({
      method,
      url,
      ...(cookie ? { headers: { cookie } } : {}),
      ...(payload ? { payload } : {}),
    });
  }

  const invite = async (inviteeName: string, target = entityId) => {
    const response = await call(county, 'POST', `/api/entities/${target}/invitations`, { inviteeName });
    expect(response.statusCode).toBe(201);
    const body = response.json();
    return { invitation: body.invitation, token: (body.link as string).replace('/invite/', '') };
  };
  const accept = (token: string, username: string, overrides: object = {}) =>
    call(null, 'POST', `/api/invitations/${token}/accept`, {
      username,
      displayName: '李会计',
      password,
      ...overrides,
    });

  it('invites, shows the link once, and the invitee opens an account that sees only its entity', async () => {
    const { invitation, token } = await invite('李会计');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invitation).toMatchObject({ inviteeName: '李会计', status: 'pending', acceptedUser: null });
    const validDays = (Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / 86_400_000;
    expect(validDays).toBeCloseTo(7, 2);
    // Only the token's hash is stored.
    const stored = await context.database.query<{ token_sha256: string }>(
      'select token_sha256 from enterprise_invitations where id = $1',
      [invitation.id],
    );
    expect(stored[0]?.token_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);

    const publicView = await call(null, 'GET', `/api/invitations/${token}`);
    expect(publicView.statusCode).toBe(200);
    expect(publicView.json()).toEqual({
      entityName: '垣曲县邀请测试农产品有限公司',
      etownName: '皋陶乡村e镇',
      inviteeName: '李会计',
      expiresAt: invitation.expiresAt,
    });

    // Refusals name the field and leave the link usable.
    const weak = await accept(token, 'li.kuaiji', { password: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details.map((d: { path: string }) => d.path)).toContain('password');
    const badName = await accept(token, 'Li Kuaiji!');
    expect(badName.statusCode).toBe(400);
    expect(badName.json().error.details[0].path).toBe('body.username');
    const taken = await accept(token, 'enterprise.demo');
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'username_taken', details: [{ path: 'username' }] });

    const accepted = await accept(token, 'li.kuaiji');
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toEqual({ username: 'li.kuaiji', entityName: '垣曲县邀请测试农产品有限公司' });
    const [user] = await context.database.db.select().from(users).where(eq(users.username, 'li.kuaiji'));
    expect(user).toMatchObject({
      role: 'enterprise',
      scopeRegionCode: '140827-E01',
      entityId,
      mustChangePassword: false,
      totpEnabled: false,
    });
    const audit = await context.database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, 'user.create_by_invitation'), eq(auditLog.targetId, user?.id as string)),
      );
    expect(audit).toHaveLength(1);
    expect(audit[0]?.diff).toMatchObject({ entityId, invitationId: invitation.id });

    // The new account works at once (no password change owed) and sees its own entity only.
    const staff = await loginAs(app, 'li.kuaiji', password);
    const me = (await call(staff, 'GET', '/api/me')).json();
    expect(me).toMatchObject({
      role: 'enterprise',
      mustChangePassword: false,
      totpEnrollmentRequired: false,
    });
    const list = (await call(staff, 'GET', '/api/entities')).json();
    expect(list.total).toBe(1);
    expect(list.items.map((item: { id: string }) => item.id)).toEqual([entityId]);
    expect((await call(staff, 'GET', `/api/entities/${entityId}`)).statusCode).toBe(200);
    expect((await call(staff, 'GET', `/api/entities/${demoEntityId}`)).statusCode).toBe(404);

    const listed = (await call(county, 'GET', `/api/entities/${entityId}/invitations`)).json();
    expect(listed[0]).toMatchObject({
      id: invitation.id,
      status: 'accepted',
      acceptedUser: { username: 'li.kuaiji', displayName: '李会计' },
      invitedByName: '垣曲县工科局操作员（演示）',
    });
  });

  it('refuses a used link, and the accepted invitation cannot be revoked', async () => {
    const { invitation, token } = await invite('王出纳');
    expect((await accept(token, 'wang.chuna')).statusCode).toBe(201);
    const again = await accept(token, 'wang.chuna2');
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('invitation_used');
    const read = await call(null, 'GET', `/api/invitations/${token}`);
    expect(read.statusCode).toBe(404);
    expect(read.json().error).toMatchObject({
      code: 'invitation_used',
      message: expect.stringContaining('已使用'),
    });
    const revoke = await call(
      county,
      'POST',
      `/api/entities/${entityId}/invitations/${invitation.id}/revoke`,
    );
    expect(revoke.statusCode).toBe(409);
    expect(revoke.json().error.code).toBe('invitation_already_accepted');
  });

  it('refuses an expired link', async () => {
    const { invitation, token } = await invite('赵过期');
    await context.database.query(
      `update enterprise_invitations set expires_at = now() - interval '1 minute' where id = $1`,
      [invitation.id],
    );
    for (const response of [
      await call(null, 'GET', `/api/invitations/${token}`),
      await accept(token, 'zhao.guoqi'),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('invitation_expired');
      expect(response.json().error.message).toContain('已过期');
    }
    const listed = (await call(county, 'GET', `/api/entities/${entityId}/invitations`)).json();
    expect(listed.find((item: { id: string }) => item.id === invitation.id).status).toBe('expired');
  });

  it('refuses a revoked link and an unknown one', async () => {
    const { invitation, token } = await invite('钱撤销');
    const revoked = await call(
      county,
      'POST',
      `/api/entities/${entityId}/invitations/${invitation.id}/revoke`,
    );
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const read = await call(null, 'GET', `/api/invitations/${token}`);
    expect(read.statusCode).toBe(404);
    expect(read.json().error.code).toBe('invitation_revoked');
    const used = await accept(token, 'qian.chexiao');
    expect(used.json().error.code).toBe('invitation_revoked');
    const twice = await call(county, 'POST', `/api/entities/${entityId}/invitations/${invitation.id}/revoke`);
    expect(twice.json().error.code).toBe('invitation_already_revoked');

    const unknown = await call(null, 'GET', `/api/invitations/${'A'.repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('invitation_not_found');
    const [count] = await context.database.query<{ n: number }>(
      `select count(*)::int as n from users where username = 'qian.chexiao'`,
    );
    expect(count?.n).toBe(0);
  });

  it("answers 404 for another county's entity and 403 to roles that may not invite", async () => {
    const foreign = await call(otherCounty, 'POST', `/api/entities/${entityId}/invitations`, {
      inviteeName: '孙越权',
    });
    expect(foreign.statusCode).toBe(404);
    expect((await call(otherCounty, 'GET', `/api/entities/${entityId}/invitations`)).statusCode).toBe(404);
    const [first] = (await call(county, 'GET', `/api/entities/${entityId}/invitations`)).json();
    const revoke = await call(
      otherCounty,
      'POST',
      `/api/entities/${entityId}/invitations/${first.id}/revoke`,
    );
    expect(revoke.statusCode).toBe(404);
    const byEnterprise = await call(enterprise, 'POST', `/api/entities/${demoEntityId}/invitations`, {
      inviteeName: '自己人',
    });
    expect(byEnterprise.statusCode).toBe(403);
    const empty = await call(county, 'POST', `/api/entities/${entityId}/invitations`, { inviteeName: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0]).toMatchObject({ path: 'body.inviteeName' });
  });

  it('lets exactly one of two concurrent accepts of one link open an account', async () => {
    const { token } = await invite('周并发');
    const responses = await Promise.all([accept(token, 'zhou.one'), accept(token, 'zhou.two')]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 404]);
    const loser = responses.find((response) => response.statusCode === 404);
    expect(loser?.json().error.code).toBe('invitation_used');
    const [count] = await context.database.query<{ n: number }>(
      `select count(*)::int as n from users where username in ('zhou.one', 'zhou.two')`,
    );
    expect(count?.n).toBe(1);
  });
});
