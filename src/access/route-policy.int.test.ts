import { describe, expect, it } from 'vitest';
import { buildApp } from '../http/app.ts';
import { createTestContext } from '../test/test-context.ts';
import { policies } from './policies.ts';

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

  it('refuses to start when a route has no policy', async () => {
    const context = await createTestContext();
    const app = await buildApp(context);
    app.get('/api/forgotten', async () => ({ leaked: true }));
    app.get('/api/declared', { config: { policy: policies.session } }, async () => ({ ok: true }));
    await expect(app.ready()).rejects.toThrow('GET /api/forgotten');
    await context.close();
  });
});
