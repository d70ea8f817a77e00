import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMonthlyRules } from '../modules/stats/monthly-rules.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../test/test-context.ts';
import type { App } from './app.ts';

type Versioned = { version: number | null } & Record<string, unknown>;

/**
 * A settings-like record edited by one PUT: `read` loads it as its page does (version null while none is
 * stored), `body(n)` is the n-th edit and `shows(n)` what the record shows after it.
 */
type Route = {
  name: string;
  username: string;
  url: string;
  read: (get: (url: string) => Promise<unknown>) => Promise<Versioned>;
  body: (n: 1 | 2 | 3) => Record<string, unknown>;
  shows: (n: 1 | 2 | 3) => Record<string, unknown>;
};

const pick = <T>(values: [T, T, T], n: 1 | 2 | 3) => values[n - 1] as T;

const deadlineRoute: Route = {
  name: 'PUT /api/stats/deadlines/{month}',
  username: 'province.admin',
  url: '/api/stats/deadlines/2026-03',
  read: async (get) =>
    ((await get('/api/stats/deadlines?year=2026')) as Versioned[]).find(
      (row) => row.month === '2026-03',
    ) as Versioned,
  body: (n) => ({ deadline: pick(['2026-04-15', '2026-04-20', '2026-04-25'], n) }),
  shows: (n) => ({ month: '2026-03', deadline: pick(['2026-04-15', '2026-04-20', '2026-04-25'], n) }),
};

const routes: Route[] = [
  {
    name: 'PUT /api/settings',
    username: 'system.admin',
    url: '/api/settings',
    read: async (get) => (await get('/api/settings')) as Versioned,
    body: (n) => ({
      loginNotice: pick(['系统维护通知一', '系统维护通知二', '系统维护通知三'], n),
      supportContact: '0359-1234567',
    }),
    shows: (n) => ({ loginNotice: pick(['系统维护通知一', '系统维护通知二', '系统维护通知三'], n) }),
  },
  {
    name: 'PUT /api/funds/settings',
    username: 'province.admin',
    url: '/api/funds/settings',
    read: async (get) => (await get('/api/funds/settings')) as Versioned,
    body: (n) => ({ provincialCapPerEtownYuan: pick(['10000000', '12000000', '15000000'], n) }),
    shows: (n) => ({ provincialCapPerEtownYuan: pick(['10000000.00', '12000000.00', '15000000.00'], n) }),
  },
  {
    name: 'PUT /api/funds/county-settings/{countyCode}',
    username: 'county.yuanqu',
    url: '/api/funds/county-settings/140827',
    read: async (get) => (await get('/api/funds/county-settings/140827')) as Versioned,
    body: (n) => ({ disbursementApprovalRequired: pick([true, false, true], n) }),
    shows: (n) => ({ disbursementApprovalRequired: pick([true, false, true], n) }),
  },
  {
    name: 'PUT /api/stats/rules',
    username: 'province.admin',
    url: '/api/stats/rules',
    read: async (get) => (await get('/api/stats/rules')) as Versioned,
    body: (n) => ({ ...defaultMonthlyRules, deadlineDay: pick([11, 12, 13], n) }),
    shows: (n) => ({ deadlineDay: pick([11, 12, 13], n) }),
  },
  deadlineRoute,
  {
    name: 'PUT /api/trace/rules',
    username: 'province.admin',
    url: '/api/trace/rules',
    read: async (get) => (await get('/api/trace/rules')) as Versioned,
    body: (n) => ({ excessiveScanThreshold: pick([5, 6, 7], n) }),
    shows: (n) => ({ excessiveScanThreshold: pick([5, 6, 7], n) }),
  },
  {
    name: 'PUT /api/regions/{code}/tier',
    username: 'province.admin',
    url: '/api/regions/140827/tier',
    read: async (get) => (await get('/api/regions/140827')) as Versioned,
    body: (n) => ({
      tier: pick(['overall_advance', 'pilot_demo', 'key_support'], n),
      reason: `年度调整 ${n}`,
    }),
    shows: (n) => ({ code: '140827', tier: pick(['overall_advance', 'pilot_demo', 'key_support'], n) }),
  },
  {
    name: 'PUT /api/cities/{cityCode}/output-growth/{year}',
    username: 'city.yuncheng',
    url: '/api/cities/1408/output-growth/2025',
    read: async (get) => {
      const list = (await get('/api/cities/1408/output-growth')) as { entries: Versioned[] };
      return list.entries.find((entry) => entry.year === 2025) ?? { version: null };
    },
    body: (n) => ({ growthPct: pick(['6.5', '7', '7.5'], n), source: `运城市统计公报第 ${n} 版` }),
    shows: (n) => ({
      year: 2025,
      growthPct: pick(['6.5', '7', '7.5'], n),
      source: `运城市统计公报第 ${n} 版`,
    }),
  },
];

/**
 * Issue 14 item 7 for settings-like edits: each PUT carries the `version` it loaded (absent only for a first
 * save of a record not stored yet). A stale one is refused with 409 `stale_version` and the current record,
 * changing nothing; so is one without `version` while the record is stored (the rule for all eight routes:
 * 409, since a concurrent first save looks exactly like it).
 */
describe.each(testBackends)('record versions of settings-like edits on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of new Set(routes.map((route) => route.username))) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const put = (route: Route, body: Record<string, unknown>, version?: number | null) =>
    app.inject({
      method: 'PUT',
      url: route.url,
      headers: { cookie: cookies.get(route.username) ?? '' },
      payload: version === undefined ? body : { ...body, version },
    });
  const reader = (route: Route) => async (url: string) => {
    const response = await app.inject({
      method: 'GET',
      url,
      headers: { cookie: cookies.get(route.username) ?? '' },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const expectStale = (response: Awaited<ReturnType<typeof put>>, current: Record<string, unknown>) => {
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'stale_version',
      message: '该记录已被他人修改，已载入最新内容',
      details: { current },
    });
  };

  it.each(routes)(
    '$name: a current version saves, a stale or absent one is refused with the record',
    async (route) => {
      const read = () => route.read(reader(route));
      const loaded = await read();
      // Sent as loaded: a number for a stored record, absent for a first save.
      const loadedVersion = loaded.version ?? undefined;

      const first = await put(route, route.body(1), loadedVersion);
      expect(first.statusCode, first.body).toBe(200);
      const firstVersion = (loaded.version ?? 0) + 1;
      expect(first.json()).toMatchObject({ ...route.shows(1), version: firstVersion });

      // Another user who loaded the same version saves after: refused, shown the first save.
      const stale = await put(route, route.body(2), loadedVersion);
      expectStale(stale, { ...route.shows(1), version: firstVersion });
      expect(await read()).toMatchObject({ ...route.shows(1), version: firstVersion });

      // The record is stored: a body without version is refused the same way.
      expectStale(await put(route, route.body(2)), { ...route.shows(1), version: firstVersion });
      expectStale(await put(route, route.body(2), null), { ...route.shows(1), version: firstVersion });

      // With the version it was handed, the edit goes through and bumps the version again.
      const handed = stale.json().error.details.current.version as number;
      const second = await put(route, route.body(3), handed);
      expect(second.statusCode, second.body).toBe(200);
      expect(second.json()).toMatchObject({ ...route.shows(3), version: firstVersion + 1 });
      expectStale(await put(route, route.body(2), firstVersion), {
        ...route.shows(3),
        version: firstVersion + 1,
      });
      expect(await read()).toMatchObject({ ...route.shows(3), version: firstVersion + 1 });
    },
  );

  it('refuses a stale deadline of a month reset to its default meanwhile, showing the default', async () => {
    const route = { ...deadlineRoute, url: '/api/stats/deadlines/2026-05' };
    const cookie = cookies.get('province.admin') ?? '';
    const saved = await put(route, { deadline: '2026-06-20' });
    expect(saved.json()).toMatchObject({ version: 1, isDefault: false });
    const reset = await app.inject({ method: 'DELETE', url: route.url, headers: { cookie } });
    expect(reset.json()).toMatchObject({ isDefault: true, version: null });
    expectStale(await put(route, { deadline: '2026-06-25' }, 1), {
      month: '2026-05',
      deadline: reset.json().defaultDeadline,
      isDefault: true,
      version: null,
    });
    // Loaded as the default (no version), the save is a first save again.
    expect((await put(route, { deadline: '2026-06-25' })).json()).toMatchObject({
      deadline: '2026-06-25',
      version: 1,
    });
  });

  it('answers two first saves racing for a month: one saves, the other gets 409 with it', async () => {
    const route = { ...deadlineRoute, url: '/api/stats/deadlines/2026-07' };
    const answers = await Promise.all([
      put(route, { deadline: '2026-08-12' }),
      put(route, { deadline: '2026-08-14' }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.statusCode === 200)?.json();
    const loser = answers.find((answer) => answer.statusCode === 409);
    expectStale(loser as Awaited<ReturnType<typeof put>>, { deadline: winner.deadline, version: 1 });
  });
});
