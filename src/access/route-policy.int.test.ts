import { describe, expect, it } from 'vitest';
import { buildApp } from '../http/app.ts';
import { createTestContext } from '../test/test-context.ts';
import { type Policy, policies, roleMayUse } from './policies.ts';
import type { Role } from './roles.ts';

describe('route access policies', () => {
  it('every registered route declares a policy', async () => {
    const context = await createTestContext();
    const app = await buildApp(context);
    await app.ready();
    const routes = app.registeredRoutes;
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((route) => !route.policy).map((route) => `${route.method} ${route.url}`);
    expect(missing).toEqual([]);
    // The business API is never public by accident: only these are open to anonymous callers.
    const publicApi = routes
      .filter((route) => route.url.startsWith('/api/') && route.policy?.access === 'public')
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(publicApi).toEqual([
      'GET /api/health',
      'GET /api/invitations/:token',
      'GET /api/public/settings',
      'HEAD /api/health',
      'HEAD /api/invitations/:token',
      'HEAD /api/public/settings',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/invitations/:token/accept',
    ]);
    await app.close();
    await context.close();
  });

  it('gives the county oversight roles exactly their reads and writes', async () => {
    const context = await createTestContext();
    const app = await buildApp(context);
    await app.ready();
    const routes = app.registeredRoutes.filter(
      (route): route is typeof route & { policy: Policy } =>
        route.url.startsWith('/api/') && route.method !== 'HEAD' && route.policy !== undefined,
    );
    // Session routes (password, TOTP, own notifications, logout) are every signed-in user's own business.
    const business = routes.filter((route) => typeof route.policy.access !== 'string');
    const reads = business.filter((route) => route.method === 'GET');
    const writes = business.filter((route) => route.method !== 'GET');
    const named = (list: typeof routes) => list.map((route) => `${route.method} ${route.url}`).sort();
    const usable = (role: Role, list: typeof routes) =>
      list.filter((route) => roleMayUse(route.policy, role));

    // 县纪委监委 reads everything the county operator reads (its scope keeps it to its county) …
    const countyReads = named(usable('county_operator', reads));
    expect(countyReads.length).toBeGreaterThan(50);
    expect(named(usable('county_discipline', reads))).toEqual(
      expect.arrayContaining([...countyReads, 'GET /api/audit', 'GET /api/audit/actions']),
    );
    expect(named(usable('county_discipline', reads))).not.toContain('GET /api/audit/verify');
    // … and writes nothing.
    expect(named(usable('county_discipline', writes))).toEqual([]);

    // 县统计局 reviews monthly statistics (approve, return with a reason, reopen) and writes nothing else.
    expect(named(usable('county_statistics', writes))).toEqual([
      'POST /api/stats/monthly/:entityId/:month/reopen',
      'POST /api/stats/monthly/:entityId/:month/review',
    ]);
    expect(named(usable('county_statistics', reads))).toEqual(
      expect.arrayContaining([
        'GET /api/stats/monthly',
        'GET /api/stats/aggregates',
        'GET /api/stats/monthly/progress',
      ]),
    );
    expect(named(usable('county_statistics', reads)).some((route) => route.includes('/funds/'))).toBe(false);

    // 县财政局 reads funds and projects and approves (or returns) disbursement requests, nothing else.
    expect(named(usable('county_finance', writes))).toEqual([
      'POST /api/funds/disbursement-requests/:id/approve',
      'POST /api/funds/disbursement-requests/:id/return',
    ]);
    const financeReads = named(usable('county_finance', reads));
    expect(financeReads).toEqual(
      expect.arrayContaining([
        'GET /api/funds/applications',
        'GET /api/funds/applications/:id',
        'GET /api/funds/budgets',
        'GET /api/funds/policies',
        'GET /api/funds/reports/usage',
        'GET /api/funds/disbursement-requests',
        'GET /api/projects',
        'GET /api/projects/:id',
      ]),
    );
    expect(financeReads.some((route) => route.startsWith('GET /api/stats/'))).toBe(false);

    // Compliance incidents: the e-town answers them and records, edits or deletes none.
    expect(
      named(usable('etown_operator', writes)).filter((route) => route.includes('compliance-incidents')),
    ).toEqual(['POST /api/compliance-incidents/:id/answer']);
    expect(
      named(usable('county_operator', writes)).filter((route) => route.includes('compliance-incidents')),
    ).toEqual([
      'DELETE /api/compliance-incidents/:id',
      'POST /api/compliance-incidents',
      'PUT /api/compliance-incidents/:id',
    ]);
    await app.close();
    await context.close();
  });

  it('refuses to start when a route has no policy', async () => {
    const context = await createTestContext();
    const app = await buildApp(context);
    app.get('/api/forgotten', async () => ({ leaked: true }));
    app.get('/api/declared', { config: { policy: policies.session } }, async () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow('GET /api/forgotten');
    await context.close();
  });
});
