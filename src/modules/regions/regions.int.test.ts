import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';

type Node = { code: string; name: string; level: string; tier: string | null; children: Node[] };

const square = (lon: number, lat: number, size: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [lon, lat],
      [lon + size, lat],
      [lon + size, lat + size],
      [lon, lat + size],
      [lon, lat],
    ],
  ],
});

describe.each(testBackends)('regions, e-towns and leading groups on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let province = '';
  let county = '';
  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    province = (await loginReady(app, 'province.admin')).cookie;
    county = (await loginReady(app, 'county.yuanqu')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (
    cookie: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  it('holds Shanxi: 11 cities and 117 counties with GB/T 2260 codes, and the demo e-towns', async () => {
    const { roots } = (await call(province, 'GET', '/api/regions')).json() as { roots: Node[] };
    expect(roots).toHaveLength(1);
    const shanxi = roots[0] as Node;
    expect(shanxi).toMatchObject({ code: '14', name: '山西省', level: 'province' });
    expect(shanxi.children).toHaveLength(11);
    const counties = shanxi.children.flatMap((city) => city.children);
    expect(counties).toHaveLength(117);
    const yuncheng = shanxi.children.find((city) => city.code === '1408') as Node;
    expect(yuncheng.name).toBe('运城市');
    const yuanqu = yuncheng.children.find((c) => c.code === '140827') as Node;
    expect(yuanqu).toMatchObject({ name: '垣曲县', tier: 'key_support' });
    expect(yuanqu.children).toEqual([
      { code: '140827-E01', name: '皋陶乡村e镇', level: 'etown', tier: null, children: [] },
    ]);
  });

  it('shows the plan facts of 皋陶乡村e镇 with the boundary area computed geodesically', async () => {
    const etown = (await call(county, 'GET', '/api/etowns/140827-E01')).json();
    expect(etown).toMatchObject({
      name: '皋陶乡村e镇',
      countyName: '垣曲县',
      cityName: '运城市',
      tier: 'key_support',
      villages: ['新城镇坡底村', '皋落乡皋落村'],
      boundaryEast: '鲁家坡',
      boundaryWest: '滨河东路',
      boundarySouth: '皋落村',
      boundaryNorth: '学府路',
      leadingIndustries: ['食用菌', '特色农产品'],
    });
    expect(Number(etown.landAreaKm2)).toBe(1.5);
    // The example boundary's geodesic area, as @turf/area computes it.
    expect(etown.boundaryAreaKm2).toBe('1.494499');
    expect(etown.phases.map((p: { phase: string }) => p.phase)).toEqual([
      'launch',
      'implementation',
      'evaluation',
      'acceptance',
    ]);
  });

  it('keeps the tier history with who changed it and when', async () => {
    const loaded = (await call(province, 'GET', '/api/regions/140827')).json();
    const changed = await call(province, 'PUT', '/api/regions/140827/tier', {
      tier: 'overall_advance',
      reason: '2026 年度调整',
      version: loaded.version,
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ tier: 'overall_advance', version: loaded.version + 1 });
    const back = (
      await call(province, 'PUT', '/api/regions/140827/tier', {
        tier: 'key_support',
        reason: '恢复',
        version: changed.json().version,
      })
    ).json();
    expect(back.tierHistory.map((h: { tier: string }) => h.tier)).toEqual([
      'key_support',
      'overall_advance',
      'key_support',
    ]);
    expect(back.tierHistory[0]).toMatchObject({ previousTier: 'overall_advance', reason: '恢复' });
    expect(back.tierHistory[0].changedByName).toContain('province.admin');
    const bad = await call(province, 'PUT', '/api/regions/140827/tier', { tier: 'gold', reason: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(bad.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.tier',
      'body.reason',
    ]);
    const city = await call(province, 'PUT', '/api/regions/1408/tier', {
      tier: 'pilot_demo',
      reason: '市不能分类',
    });
    expect(city.statusCode).toBe(400);
  });

  it('creates, edits (with boundary and optimistic locking) and deletes an e-town', async () => {
    const created = await call(county, 'POST', '/api/etowns', {
      countyCode: '140827',
      name: '历山乡村e镇',
      leadingIndustries: ['中药材'],
      landAreaKm2: '2.1',
    });
    expect(created.statusCode).toBe(201);
    const etown = created.json();
    expect(etown.code).toBe('140827-E02');
    const boundary = square(111.9, 35.3, 0.01);
    const edited = await call(county, 'PATCH', `/api/etowns/${etown.code}`, {
      version: etown.version,
      boundary,
      boundaryEast: '历山',
    });
    expect(edited.statusCode).toBe(200);
    // A 0.01° square at 35.3°N is about 1.11 km × 0.907 km.
    expect(Number(edited.json().boundaryAreaKm2)).toBeCloseTo(1.0075, 2);
    expect(edited.json().boundaryWarnings).toEqual([]);
    // Parts that do not touch are saved, with the warning #24 will give; parts sharing an edge are one area.
    const separate = await call(county, 'PATCH', `/api/etowns/${etown.code}`, {
      version: edited.json().version,
      boundary: {
        type: 'MultiPolygon',
        coordinates: [square(111.9, 35.3, 0.005).coordinates, square(111.92, 35.3, 0.005).coordinates],
      },
    });
    expect(separate.statusCode).toBe(200);
    expect(separate.json().boundaryWarnings).toEqual(['建设边界由2块互不相连的区域组成，不符合集中连片要求']);
    const adjoining = await call(county, 'PATCH', `/api/etowns/${etown.code}`, {
      version: separate.json().version,
      boundary: {
        type: 'MultiPolygon',
        coordinates: [square(111.9, 35.3, 0.005).coordinates, square(111.9 + 0.005, 35.3, 0.005).coordinates],
      },
    });
    expect(adjoining.json().boundaryWarnings).toEqual([]);
    const stale = await call(county, 'PATCH', `/api/etowns/${etown.code}`, {
      version: etown.version,
      boundaryWest: '旧版本',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      details: { current: { code: etown.code, version: adjoining.json().version, boundaryWarnings: [] } },
    });
    const openRing = await call(county, 'PATCH', `/api/etowns/${etown.code}`, {
      version: adjoining.json().version,
      boundary: {
        type: 'Polygon',
        coordinates: [
          [
            [111, 35],
            [112, 35],
            [112, 36],
            [111, 36],
          ],
        ],
      },
    });
    expect(openRing.statusCode).toBe(400);
    expect(openRing.json().error.details[0].path).toMatch(/^body\.boundary/);
    expect(openRing.json().error.message).toContain('闭合');
    const duplicate = await call(county, 'POST', '/api/etowns', {
      countyCode: '140827',
      name: '历山乡村e镇',
    });
    expect(duplicate.statusCode).toBe(409);
    expect((await call(county, 'DELETE', `/api/etowns/${etown.code}`)).statusCode).toBe(204);
    expect((await call(county, 'GET', `/api/etowns/${etown.code}`)).statusCode).toBe(404);
    // The group of 皋陶 keeps it from being deleted.
    const inUse = await call(county, 'DELETE', '/api/etowns/140827-E01');
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.code).toBe('etown_in_use');
  });

  it('has the 附件1 leading group and replaces a member without reissuing the group', async () => {
    const [summary] = (await call(county, 'GET', '/api/leading-groups?regionCode=140827')).json();
    expect(summary).toMatchObject({
      name: '垣曲县培育皋陶乡村e镇工作领导小组',
      docNo: '垣政办发〔2023〕8号',
      unitCount: 23,
    });
    const group = (await call(county, 'GET', `/api/leading-groups/${summary.id}`)).json();
    // 22 member units of the annex plus 县人民政府 for the head and deputy; 24 member seats incl. the office director.
    const seats = group.members.filter(
      (m: { position: string }) => m.position === 'member' || m.position === 'office_director',
    );
    expect(seats).toHaveLength(24);
    expect(group.members.find((m: { position: string }) => m.position === 'head')).toMatchObject({
      personName: '马巍',
      title: '县委副书记、县长',
    });
    expect(group.units.find((u: { name: string }) => u.name === '县统计局').duties).toContain(
      '为项目验收提供指标性数据',
    );
    const finance = group.members.find((m: { personName: string }) => m.personName === '赵建刚');
    const replaced = await call(
      county,
      'POST',
      `/api/leading-groups/${summary.id}/members/${finance.id}/replace`,
      {
        personName: '孙财政',
        title: '县财政局局长',
        effectiveOn: '2025-02-01',
        note: '工作调动，接任领导自行替补',
      },
    );
    expect(replaced.statusCode).toBe(200);
    const members = replaced.json().members as {
      id: string;
      personName: string;
      until: string | null;
      replacesId: string | null;
      replacedById: string | null;
      unitName: string;
    }[];
    const old = members.find((m) => m.id === finance.id);
    const successor = members.find((m) => m.replacesId === finance.id);
    expect(old).toMatchObject({ until: '2025-02-01', replacedById: successor?.id });
    expect(successor).toMatchObject({ personName: '孙财政', until: null, unitName: '县财政局' });
    expect(replaced.json().docNo).toBe('垣政办发〔2023〕8号');
    const again = await call(
      county,
      'POST',
      `/api/leading-groups/${summary.id}/members/${finance.id}/replace`,
      {
        personName: '再次',
        effectiveOn: '2025-03-01',
      },
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('member_already_ended');
  });

  it('creates a group for an e-town, adds a unit and a member, and dissolves it', async () => {
    const created = await call(county, 'POST', '/api/leading-groups', {
      regionCode: '140827',
      name: '垣曲县电商工作专班',
      establishedOn: '2025-06-01',
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const withUnit = (
      await call(county, 'POST', `/api/leading-groups/${id}/units`, { name: '县工科局', duties: '牵头' })
    ).json();
    const unitId = withUnit.units[0].id;
    const withMember = await call(county, 'POST', `/api/leading-groups/${id}/members`, {
      unitId,
      position: 'head',
      personName: '张三',
      since: '2025-06-01',
    });
    expect(withMember.json().members[0]).toMatchObject({ personName: '张三', unitName: '县工科局' });
    const cityGroup = await call(province, 'POST', '/api/leading-groups', {
      regionCode: '1408',
      name: '市级小组',
    });
    expect(cityGroup.statusCode).toBe(400);
    expect((await call(county, 'DELETE', `/api/leading-groups/${id}`)).statusCode).toBe(204);
    expect((await call(county, 'GET', `/api/leading-groups/${id}`)).statusCode).toBe(404);
  });

  it('answers every failure with the error envelope, including unknown routes', async () => {
    const unknown = await call(county, 'GET', '/api/nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: { code: 'not_found', message: expect.stringContaining('/api/nope') },
    });
    const badCode = await call(county, 'GET', '/api/etowns/not-a-code');
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error).toMatchObject({
      code: 'validation_failed',
      details: [{ path: 'params.code' }],
    });
    const anonymous = await app.inject({ method: 'GET', url: '/api/regions' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('publishes an OpenAPI 3.1 document and readable docs', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/regions', '/api/etowns/{code}', '/api/auth/login']),
    );
    const docs = await app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});
