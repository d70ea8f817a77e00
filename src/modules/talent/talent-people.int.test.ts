import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { peopleByEtown } from './people-list.ts';
import { replaceTalentLedgerSection } from './talent-ledger-section.ts';

const ETOWN = '140827-E01';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

type Indicator = { no: number; facts: Record<string, unknown> };

describe.each(testBackends)('experts, business leaders and influencers on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies: Record<string, string> = {};
  let entityId = '';
  let otherEtownEntityId = '';
  let influencerId = '';
  const year = Number(shanghaiToday().slice(0, 4));

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['county.yuanqu', 'county.other', 'etown.gaotao', 'city.yuncheng'])
      cookies[username] = (await loginReady(app, username)).cookie;
    const [own] = await context.database.query<{ id: string }>(
      'select id from entities where etown_code = $1 order by name limit 1',
      [ETOWN],
    );
    await context.database.query(
      `insert into regions (code, name, level, parent_code) values ('140827-E02', '人才测试二号e镇', 'etown', '140827')`,
    );
    const [other] = await context.database.query<{ id: string }>(
      `insert into entities (name, credit_code, etown_code) values ('人才测试外镇公司', '91140827MA0TP0001X', '140827-E02') returning id`,
    );
    entityId = own?.id as string;
    otherEtownEntityId = other?.id as string;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  function call(
    username: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) {
    return app.inject({
      method,
      url,
      headers: { cookie: cookies[username] as string },
      ...(payload ? { payload } : {}),
    });
  }

  const facts = async (no: number) => {
    const scorecard = (
      await call('county.yuanqu', 'GET', `/api/etowns/${ETOWN}/scorecard?year=${year}`)
    ).json();
    return (scorecard.indicators.find((indicator: Indicator) => indicator.no === no) as Indicator).facts;
  };

  it('lists the demo expert, leader and influencer of 皋陶 (演示数据) with ledger people apart', async () => {
    const list = (
      await call('etown.gaotao', 'GET', `/api/talent-people?regionCode=${ETOWN}&pageSize=100`)
    ).json();
    const platform = list.items.filter((item: { source: string }) => item.source === 'platform');
    expect(platform.map((item: { role: string }) => item.role).sort()).toEqual([
      'business_leader',
      'expert',
      'influencer',
    ]);
    expect(platform.every((item: { name: string }) => item.name.endsWith('（演示数据）'))).toBe(true);
    expect(platform.find((item: { role: string }) => item.role === 'influencer')).toMatchObject({
      platform: '抖音',
      monthlySalesYuan: '128000.50',
    });
    const influencers = (
      await call('etown.gaotao', 'GET', `/api/talent-people?regionCode=${ETOWN}&role=influencer&pageSize=100`)
    ).json();
    expect(influencers.items.every((item: { role: string }) => item.role === 'influencer')).toBe(true);
  });

  it('refuses missing role fields and a leader of another e-town, naming the field', async () => {
    const expert = await call('etown.gaotao', 'POST', '/api/talent-people', {
      etownCode: ETOWN,
      role: 'expert',
      name: '测试专家',
    });
    expect(expert.statusCode).toBe(400);
    expect(JSON.stringify(expert.json().error)).toContain('专业领域');
    const leader = await call('county.yuanqu', 'POST', '/api/talent-people', {
      etownCode: ETOWN,
      role: 'business_leader',
      name: '测试带头人',
      entityId: otherEtownEntityId,
      leads: '带动农户',
    });
    expect(leader.statusCode).toBe(400);
    expect(JSON.stringify(leader.json().error)).toContain('不在本e镇');
    const money = await call('etown.gaotao', 'POST', '/api/talent-people', {
      etownCode: ETOWN,
      role: 'influencer',
      name: '测试网红',
      platform: '快手',
      account: 'a',
      followers: 1,
      monthlySalesYuan: '12.345',
    });
    expect(money.statusCode).toBe(400);
    expect(JSON.stringify(money.json().error)).toContain('月销售额');
  });

  it('creates an influencer with exact sales, edits it under its version, and keeps other regions out', async () => {
    const created = await call('etown.gaotao', 'POST', '/api/talent-people', {
      etownCode: ETOWN,
      role: 'influencer',
      name: '黄河渔嫂二号',
      platform: '快手',
      account: 'huanghe-yusao',
      followers: 12_000,
      monthlySalesYuan: '98765432.10',
      salesMonth: `${year}-02`,
      expertise: '不应保存',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      source: 'platform',
      monthlySalesYuan: '98765432.10',
      expertise: null,
    });
    influencerId = created.json().id;
    const body = { ...created.json(), version: 1, followers: 15_000 };
    const edited = await call('etown.gaotao', 'PATCH', `/api/talent-people/${influencerId}`, {
      name: body.name,
      platform: body.platform,
      account: body.account,
      followers: 15_000,
      monthlySalesYuan: body.monthlySalesYuan,
      salesMonth: body.salesMonth,
      version: 1,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ followers: 15_000, version: 2 });
    const stale = await call('etown.gaotao', 'PATCH', `/api/talent-people/${influencerId}`, {
      name: body.name,
      platform: body.platform,
      account: body.account,
      followers: 1,
      version: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_version');
    expect((await call('county.other', 'GET', `/api/talent-people/${influencerId}`)).statusCode).toBe(404);
    expect(
      (await call('city.yuncheng', 'PATCH', `/api/talent-people/${influencerId}`, { ...body, version: 2 }))
        .statusCode,
    ).toBe(403);
    const audits = await context.database.query<{ action: string }>(
      `select action from audit_log where target_id = $1 order by action`,
      [influencerId],
    );
    expect(audits.map((row) => row.action)).toEqual(['talent.person.create', 'talent.person.update']);
  });

  it('keeps evidence by sha256, refuses other types, and downloads it', async () => {
    const upload = (bytes: Buffer, fileName: string) =>
      app.inject({
        method: 'POST',
        url: `/api/talent-people/${influencerId}/evidence?fileName=${encodeURIComponent(fileName)}`,
        headers: { cookie: cookies['etown.gaotao'] as string, 'content-type': 'application/octet-stream' },
        payload: bytes,
      });
    const refused = await upload(Buffer.from('not a document'), '截图.txt');
    expect(refused.statusCode).toBe(415);
    const stored = await upload(PDF, '带货合同.pdf');
    expect(stored.statusCode, stored.body).toBe(200);
    const [file] = stored.json().evidence;
    expect(file).toMatchObject({
      fileName: '带货合同.pdf',
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
    });
    const download = await call(
      'city.yuncheng',
      'GET',
      `/api/talent-people/${influencerId}/evidence/${file.id}`,
    );
    expect(download.statusCode).toBe(200);
    expect(download.headers['x-content-sha256']).toBe(file.sha256);
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect(
      (await call('county.other', 'GET', `/api/talent-people/${influencerId}/evidence/${file.id}`))
        .statusCode,
    ).toBe(404);
  });

  it('counts platform people in #12 and #13, once even when a ledger import names them again', async () => {
    const before = await facts(12);
    const leader = await call('county.yuanqu', 'POST', '/api/talent-people', {
      etownCode: ETOWN,
      role: 'business_leader',
      name: '测试带头人',
      entityId,
      leads: '带动农户线上销售',
    });
    expect(leader.statusCode, leader.body).toBe(201);
    const people = (await peopleByEtown(context.database.db, [ETOWN])).get(ETOWN) ?? [];
    await context.database.db.transaction((tx) =>
      replaceTalentLedgerSection(tx, ETOWN, {
        trainings: [],
        people: [...people, { role: 'expert', name: '台账专家' }],
      }),
    );
    const after = (await peopleByEtown(context.database.db, [ETOWN])).get(ETOWN) ?? [];
    expect(after).toHaveLength(people.length + 1);
    expect(after.filter((person) => person.name === '黄河渔嫂二号')).toHaveLength(1);
    const kept = await call('etown.gaotao', 'GET', `/api/talent-people/${influencerId}`);
    expect(kept.json().evidence).toHaveLength(1);
    const counted = (role: string) => after.filter((person) => person.role === role).length;
    const facts12 = await facts(12);
    expect(facts12).not.toEqual(before);
    expect(facts12).toMatchObject({
      experts: counted('expert'),
      businessLeaders: counted('business_leader'),
    });
    expect(await facts(13)).toMatchObject({ count: counted('influencer') });
  });

  it('leaves ledger rows to the ledger and removes a platform person', async () => {
    const list = (
      await call('etown.gaotao', 'GET', `/api/talent-people?regionCode=${ETOWN}&pageSize=100`)
    ).json();
    const ledgerRow = list.items.find((item: { source: string }) => item.source === 'ledger');
    const refused = await call('etown.gaotao', 'DELETE', `/api/talent-people/${ledgerRow.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('ledger_person_read_only');
    expect((await call('etown.gaotao', 'DELETE', `/api/talent-people/${influencerId}`)).statusCode).toBe(204);
    expect((await call('etown.gaotao', 'GET', `/api/talent-people/${influencerId}`)).statusCode).toBe(404);
  });
});
