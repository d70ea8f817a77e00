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
