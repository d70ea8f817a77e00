import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginThrottles } from '../db/schema/accounts.ts';
import {
  createSeededApp,
  createTestContext,
  loginAs,
  type TestContext,
  testBackends,
} from '../test/test-context.ts';
import { type App, buildApp } from './app.ts';

describe.each(testBackends)('cross-site requests and forbidden characters on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let cookie: string;
  let entityId: string;

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    cookie = await loginAs(app, 'county.yuanqu');
    const list = await app.inject({ method: 'GET', url: '/api/entities?pageSize=1', headers: { cookie } });
    entityId = list.json().items[0].id;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const failedLogins = async (username: string) => {
    const [row] = await context.database.db
      .select()
      .from(loginThrottles)
      .where(eq(loginThrottles.username, username));
    return row?.failedCount ?? 0;
  };

  it('refuses a text/plain login from another site before it counts towards a lockout', async () => {
    for (let attempt = 0; attempt < 6; attempt++) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
        payload: JSON.stringify({ username: 'etown.gaotao', password: 'wrong' }),
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_rejected');
    }
    expect(await failedLogins('etown.gaotao')).toBe(0);
    // Without an Origin header (a form on the same site cannot be told apart), the body type alone refuses it.
    const plain = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ username: 'etown.gaotao', password: 'wrong' }),
    });
    expect(plain.statusCode).toBe(403);
    expect(await failedLogins('etown.gaotao')).toBe(0);
  });

  it('refuses a phone reveal that another site triggers with the user’s cookie', async () => {
    const url = `/api/entities/${entityId}/contact/reveal`;
    const forged = [
      { 'content-type': 'text/plain', cookie },
      { 'content-type': 'application/x-www-form-urlencoded', cookie },
      { 'content-type': 'multipart/form-data; boundary=x', cookie },
      { origin: 'https://evil.example', cookie },
      { origin: 'null', cookie },
      { 'sec-fetch-site': 'cross-site', cookie },
      { 'sec-fetch-site': 'same-site', 'content-type': 'application/json', cookie },
    ];
    for (const headers of forged) {
      const response = await app.inject({ method: 'POST', url, headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(403);
      expect(response.json().error.code).toBe('csrf_rejected');
      expect(response.json().error.message).toMatch(/请求被拒绝/);
    }
    const own = await app.inject({
      method: 'POST',
      url,
      headers: {
        origin: 'http://localhost:3000',
        host: 'localhost:3000',
        'sec-fetch-site': 'same-origin',
        cookie,
      },
    });
    // Past the defence: the demo entity has no phone on file, so the reveal itself answers 404.
    expect(own.json().error.code).toBe('not_found');
    // A program outside a browser sends no Origin and no body: it passes too.
    expect((await app.inject({ method: 'POST', url, headers: { cookie } })).json().error.code).toBe(
      'not_found',
    );
  });

  it('lets reads through whatever their origin', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses NUL characters and lone surrogates anywhere in a request, naming the field', async () => {
    const nulBody = await app.inject({
      method: 'POST',
      url: `/api/entities/${entityId}/credit-records`,
      headers: { cookie },
      payload: { kind: 'good', source: 'a\u0000b', occurredOn: '2026-01-01' },
    });
    expect(nulBody.statusCode).toBe(400);
    expect(nulBody.json().error).toMatchObject({ code: 'invalid_characters' });
    expect(nulBody.json().error.message).toContain('body.source');

    const surrogate = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":"a\\ud800b","password":"x"}',
    });
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json().error.message).toContain('body.username');

    const nested = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"username":"a","password":"x","extra":[{"k":"\\udc00"}]}',
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().error.message).toContain('body.extra.0.k');

    const query = await app.inject({ method: 'GET', url: '/api/entities?keyword=%00', headers: { cookie } });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).toContain('querystring.keyword');

    const param = await app.inject({ method: 'GET', url: '/api/etowns/%00', headers: { cookie } });
    expect(param.statusCode).toBe(400);
    expect(param.json().error.code).toBe('invalid_characters');

    // Well-formed pairs (an emoji, a rare character) are fine.
    const fine = await app.inject({
      method: 'GET',
      url: `/api/entities?keyword=${encodeURIComponent('𠀀😀')}`,
      headers: { cookie },
    });
    expect(fine.statusCode).toBe(200);
  });

  it('keeps private answers out of caches and gives pages a content policy', async () => {
    const api = await app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(api.headers['cache-control']).toBe('no-store');
    expect(api.headers['x-frame-options']).toBe('DENY');
    const page = await app.inject({ method: 'GET', url: '/no-such-file.png' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('closes /docs and /openapi.json when EZHEN_API_DOCS=off', async () => {
    const closedContext = await createTestContext(backend, { EZHEN_API_DOCS: 'off' });
    const closed = await buildApp(closedContext);
    await closed.ready();
    expect((await closed.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(404);
    expect((await closed.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    await closed.close();
    await closedContext.close();
  });
});
