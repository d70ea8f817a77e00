import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../http/app.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../test/test-context.ts';

const YUANQU = { county: '140827', etown: '140827-E01' };
const JIANGXIAN = { county: '140826', etown: '140826-E01' };

type Expectation = 200 | 403 | 404;

/** What each demo user gets for the resources of 垣曲县 (own) and 绛县 (other county); see DESIGN.md scopes. */
const matrix: Record<
  string,
  {
    yuanqu: { county: Expectation; etown: Expectation; group: Expectation };
    jiangxian: { county: Expectation; etown: Expectation };
  }
> = {
  'province.admin': {
    yuanqu: { county: 200, etown: 200, group: 200 },
    jiangxian: { county: 200, etown: 200 },
  },
  'city.yuncheng': {
    yuanqu: { county: 200, etown: 200, group: 200 },
    jiangxian: { county: 200, etown: 200 },
  },
  'county.yuanqu': {
    yuanqu: { county: 200, etown: 200, group: 200 },
    jiangxian: { county: 404, etown: 404 },
  },
  'county.other': { yuanqu: { county: 404, etown: 404, group: 404 }, jiangxian: { county: 200, etown: 200 } },
  // The county's oversight bodies (附件1), scoped to 垣曲县 like its operator. The statistics and finance
  // bureaus read the region tree, not the e-towns' profiles or leading groups; the discipline commission
  // reads everything the county operator reads.
  'county.yuanqu.stats': {
    yuanqu: { county: 200, etown: 403, group: 403 },
    jiangxian: { county: 404, etown: 403 },
  },
  'county.yuanqu.finance': {
    yuanqu: { county: 200, etown: 403, group: 403 },
    jiangxian: { county: 404, etown: 403 },
  },
  'county.yuanqu.discipline': {
    yuanqu: { county: 200, etown: 200, group: 200 },
    jiangxian: { county: 404, etown: 404 },
  },
  'etown.gaotao': { yuanqu: { county: 404, etown: 200, group: 200 }, jiangxian: { county: 404, etown: 404 } },
  'enterprise.demo': {
    yuanqu: { county: 404, etown: 200, group: 403 },
    jiangxian: { county: 404, etown: 404 },
  },
  'expert.demo': { yuanqu: { county: 404, etown: 200, group: 200 }, jiangxian: { county: 404, etown: 404 } },
  auditor: { yuanqu: { county: 403, etown: 403, group: 403 }, jiangxian: { county: 403, etown: 403 } },
  // Reads the region tree to assign scopes, not the e-towns' business data.
  'security.admin': {
    yuanqu: { county: 200, etown: 403, group: 403 },
    jiangxian: { county: 200, etown: 403 },
  },
  'system.admin': { yuanqu: { county: 403, etown: 403, group: 403 }, jiangxian: { county: 403, etown: 403 } },
};

function collectCodes(nodes: { code: string; children: unknown[] }[]): string[] {
  return nodes.flatMap((node) => [
    node.code,
    ...collectCodes(node.children as { code: string; children: unknown[] }[]),
  ]);
}

describe.each(testBackends)('scope isolation across two counties on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  let yuanquGroupId = '';

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of Object.keys(matrix))
      cookies.set(username, (await loginReady(app, username)).cookie);
    const groups = await app.inject({
      method: 'GET',
      url: '/api/leading-groups',
      headers: { cookie: cookies.get('province.admin') },
    });
    yuanquGroupId = groups.json()[0].id;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const get = (username: string, url: string) =>
    app.inject({ method: 'GET', url, headers: { cookie: cookies.get(username) } });

  it.each(Object.entries(matrix))('%s reads exactly its own scope', async (username, expected) => {
    const results = {
      yuanqu: {
        county: (await get(username, `/api/regions/${YUANQU.county}`)).statusCode,
        etown: (await get(username, `/api/etowns/${YUANQU.etown}`)).statusCode,
        group: (await get(username, `/api/leading-groups/${yuanquGroupId}`)).statusCode,
      },
      jiangxian: {
        county: (await get(username, `/api/regions/${JIANGXIAN.county}`)).statusCode,
        etown: (await get(username, `/api/etowns/${JIANGXIAN.etown}`)).statusCode,
      },
    };
    expect(results).toEqual(expected);
  });

  it.each(Object.keys(matrix).filter((u) => matrix[u]?.yuanqu.etown !== 403))(
    '%s never sees the other county in lists, trees or counts',
    async (username) => {
      const entry = matrix[username];
      const hidden = [YUANQU, JIANGXIAN].filter((side) =>
        side === YUANQU ? entry?.yuanqu.etown === 404 : entry?.jiangxian.etown === 404,
      );
      const tree = collectCodes((await get(username, '/api/regions')).json().roots);
      const etowns = (await get(username, '/api/etowns')).json().map((e: { code: string }) => e.code);
      for (const side of hidden) {
        expect(tree.some((code) => code.startsWith(side.county))).toBe(false);
        expect(etowns).not.toContain(side.etown);
      }
      if (entry?.yuanqu.group === 200 || entry?.yuanqu.group === 404) {
        const groups = (await get(username, '/api/leading-groups')).json();
        expect(groups.some((g: { id: string }) => g.id === yuanquGroupId)).toBe(entry.yuanqu.group === 200);
      }
    },
  );

  it('the city sees both counties and counts both e-towns; a county cannot see its city', async () => {
    const city = (await get('city.yuncheng', '/api/regions/1408')).json();
    expect(city.children.map((c: { code: string }) => c.code)).toEqual(
      expect.arrayContaining(['140826', '140827']),
    );
    expect(city.etownCount).toBe(2);
    expect((await get('county.yuanqu', '/api/regions/1408')).statusCode).toBe(404);
    expect((await get('county.yuanqu', '/api/regions/14')).statusCode).toBe(404);
  });

  it('writes into the other county answer 404 and change nothing', async () => {
    const other = cookies.get('county.other');
    const etown = (await get('county.yuanqu', `/api/etowns/${YUANQU.etown}`)).json();
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/etowns/${YUANQU.etown}`,
      headers: { cookie: other },
      payload: { version: etown.version, operatingEntity: '越权写入' },
    });
    expect(patch.statusCode).toBe(404);
    expect(patch.json().error.code).toBe('not_found');
    const group = (await get('county.yuanqu', `/api/leading-groups/${yuanquGroupId}`)).json();
    const head = group.members.find((m: { position: string }) => m.position === 'head');
    const replace = await app.inject({
      method: 'POST',
      url: `/api/leading-groups/${yuanquGroupId}/members/${head.id}/replace`,
      headers: { cookie: other },
      payload: { personName: '越权', effectiveOn: '2026-01-01' },
    });
    expect(replace.statusCode).toBe(404);
    const create = await app.inject({
      method: 'POST',
      url: '/api/etowns',
      headers: { cookie: other },
      payload: { countyCode: YUANQU.county, name: '越权新建e镇' },
    });
    expect(create.statusCode).toBe(404);
    const after = (await get('county.yuanqu', `/api/etowns/${YUANQU.etown}`)).json();
    expect(after.version).toBe(etown.version);
    expect(after.operatingEntity).toBe(etown.operatingEntity);
    const denied = await context.database.query<{ action: string }>(
      "select action from audit_log where username = 'county.other' and result = 'denied' order by id",
    );
    expect(denied.map((row) => row.action)).toEqual([
      'PATCH /api/etowns/:code',
      'POST /api/leading-groups/:id/members/:memberId/replace',
      'POST /api/etowns',
    ]);
  });

  it('the oversight roles never see the other county in their trees, lists and counts', async () => {
    const month = new Date().toISOString().slice(0, 7);
    const year = new Date().getFullYear();
    for (const username of ['county.yuanqu.stats', 'county.yuanqu.finance', 'county.yuanqu.discipline']) {
      const tree = collectCodes((await get(username, '/api/regions')).json().roots);
      expect(tree).toContain(YUANQU.county);
      expect(tree.some((code) => code.startsWith(JIANGXIAN.county))).toBe(false);
      expect((await get(username, '/api/regions/1408')).statusCode).toBe(404);
    }
    // Statistics: the month's reports, progress and aggregates of the county only; the other county is 404.
    for (const username of ['county.yuanqu.stats', 'county.yuanqu.discipline']) {
      const reports = await get(username, `/api/stats/monthly?month=${month}`);
      expect(reports.statusCode).toBe(200);
      for (const item of reports.json().items)
        expect(item.entity.etownCode.startsWith(YUANQU.county)).toBe(true);
      const progress = (await get(username, `/api/stats/monthly/progress?month=${month}`)).json();
      expect(
        progress.regions.every((region: { code: string }) => region.code.startsWith(YUANQU.county)),
      ).toBe(true);
      expect(
        (await get(username, `/api/stats/monthly?month=${month}&regionCode=${JIANGXIAN.county}`)).statusCode,
      ).toBe(404);
      expect((await get(username, `/api/stats/aggregates?regionCode=${JIANGXIAN.county}`)).statusCode).toBe(
        404,
      );
      expect((await get(username, `/api/stats/aggregates?regionCode=${YUANQU.county}`)).statusCode).toBe(200);
    }
    // Funds and projects: the county's own; the other county's settings are 404, its budgets absent.
    for (const username of ['county.yuanqu.finance', 'county.yuanqu.discipline']) {
      expect((await get(username, `/api/funds/county-settings/${YUANQU.county}`)).statusCode).toBe(200);
      expect((await get(username, `/api/funds/county-settings/${JIANGXIAN.county}`)).statusCode).toBe(404);
      const budgets = await get(username, '/api/funds/budgets');
      expect(budgets.statusCode).toBe(200);
      expect(JSON.stringify(budgets.json())).not.toContain(JIANGXIAN.etown);
      const applications = (await get(username, '/api/funds/applications')).json();
      expect(
        applications.items.every((item: { etownCode: string }) => item.etownCode.startsWith(YUANQU.county)),
      ).toBe(true);
      const projects = (await get(username, '/api/projects')).json();
      expect(
        projects.items.every((item: { etownCode: string }) => item.etownCode.startsWith(YUANQU.county)),
      ).toBe(true);
    }
    // The other county's e-town profile, scorecard and ledger do not exist for the discipline commission.
    for (const url of [
      `/api/etowns/${JIANGXIAN.etown}/scorecard?year=${year}`,
      `/api/etowns/${JIANGXIAN.etown}/ledger?year=${year}`,
      `/api/audit?regionCode=${JIANGXIAN.county}`,
    ]) {
      expect((await get('county.yuanqu.discipline', url)).statusCode, url).toBe(404);
    }
    const own = await get('county.yuanqu.discipline', `/api/etowns/${YUANQU.etown}/scorecard?year=${year}`);
    expect(own.statusCode).toBe(200);
  });

  it('answers 403 to every write of the discipline commission, and to every write the bureaus are not given', async () => {
    const writes = app.registeredRoutes.filter(
      (route) =>
        route.url.startsWith('/api/') &&
        !['GET', 'HEAD', 'OPTIONS'].includes(route.method) &&
        route.policy !== undefined &&
        typeof route.policy.access !== 'string',
    );
    expect(writes.length).toBeGreaterThan(100);
    const concrete = (url: string) =>
      url
        .replace(/:code|:countyCode/g, YUANQU.county)
        .replace(/:etownCode/g, YUANQU.etown)
        .replace(/:month/g, '2026-01')
        .replace(/:token/g, 'token')
        .replace(/:no/g, '1')
        .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
    const allowed: Record<string, string[]> = {
      'county.yuanqu.discipline': [],
      'county.yuanqu.stats': [
        '/api/stats/monthly/:entityId/:month/review',
        '/api/stats/monthly/:entityId/:month/reopen',
      ],
      'county.yuanqu.finance': [
        '/api/funds/disbursement-requests/:id/approve',
        '/api/funds/disbursement-requests/:id/return',
      ],
    };
    for (const [username, own] of Object.entries(allowed)) {
      for (const route of writes.filter((candidate) => !own.includes(candidate.url))) {
        const response = await app.inject({
          method: route.method as 'POST',
          url: concrete(route.url),
          headers: { cookie: cookies.get(username) },
          payload: {},
        });
        expect(response.statusCode, `${username} ${route.method} ${route.url}`).toBe(403);
        expect(response.json().error.code).toBe('forbidden');
      }
      const [written] = await context.database.query<{ count: number }>(
        "select count(*)::int as count from audit_log where username = $1 and result = 'success' and action not like 'auth.%'",
        [username],
      );
      expect(written?.count, username).toBe(0);
    }
  });

  it('only the province sets county tiers', async () => {
    const payload = { tier: 'overall_advance', reason: '测试' };
    const county = await app.inject({
      method: 'PUT',
      url: `/api/regions/${YUANQU.county}/tier`,
      headers: { cookie: cookies.get('county.yuanqu') },
      payload,
    });
    expect(county.statusCode).toBe(403);
    const city = await app.inject({
      method: 'PUT',
      url: `/api/regions/${YUANQU.county}/tier`,
      headers: { cookie: cookies.get('city.yuncheng') },
      payload,
    });
    expect(city.statusCode).toBe(403);
  });
});
