import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit.ts';
import type { App } from '../../http/app.ts';
import { creditCodeCheckCharacter } from '../../lib/credit-code.ts';
import {
  createSeededApp,
  DEMO_PASSWORD,
  loginReady,
  type TestContext,
  testBackends,
} from '../../test/test-context.ts';
import { createUser } from '../accounts/user.service.ts';

/** A valid 统一社会信用代码 from its first 17 characters. */
const validCode = (first17: string) => `${first17}${creditCodeCheckCharacter(first17)}`;
/** The same code with a wrong check character. */
const invalidCode = (first17: string) => {
  const right = creditCodeCheckCharacter(first17);
  return `${first17}${right === '0' ? '1' : '0'}`;
};

const ownEtown = '140827-E01';

describe.each(testBackends)('market entity registry on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';
  let otherCounty = '';
  let city = '';
  let province = '';
  let enterprise = '';

  let seeded = 0;
  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
    otherCounty = (await loginReady(app, 'county.other')).cookie;
    city = (await loginReady(app, 'city.yuncheng')).cookie;
    province = (await loginReady(app, 'province.admin')).cookie;
    enterprise = (await loginReady(app, 'enterprise.demo')).cookie;
    // The demo seed registers 垣曲县's demo entity and the demo ledger's entities; tests add to those.
    seeded = (
      await context.database.query<{ n: number }>(
        `select count(*)::int as n from entities where etown_code like '140827%'`,
      )
    )[0]?.n as number;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (cookie: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  const register = (cookie: string, overrides: Record<string, unknown> = {}) =>
    call(cookie, 'POST', '/api/entities', {
      etownCode: ownEtown,
      creditCode: validCode('91140827MA0TEXT01'),
      name: '垣曲县测试菌业有限公司',
      entityType: 'enterprise',
      legalEntity: true,
      registeredOn: '2023-06-01',
      address: '垣曲县新城镇坡底村',
      contactName: '王经理',
      contactPhone: '13812341234',
      ...overrides,
    });

  const auditRecords = (action: string, targetId: string) =>
    context.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

  let entityId = '';

  it('refuses a code failing its check character, naming the expected one, and registers a valid one', async () => {
    const first17 = '91140827MA0TEXT01';
    const refused = await register(county, { creditCode: invalidCode(first17) });
    expect(refused.statusCode).toBe(400);
    const error = refused.json().error;
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([
      { path: 'creditCode', message: expect.stringContaining(`应为“${creditCodeCheckCharacter(first17)}”`) },
    ]);
    // Positions 3–8 are a division code: letters there are refused, even with a right check character.
    const lettered = await register(county, { creditCode: validCode('9114MA27MA0TEXT01') });
    expect(lettered.statusCode).toBe(400);
    expect(lettered.json().error.details).toEqual([
      {
        path: 'body.creditCode',
        message: expect.stringContaining(
          '第 3—8 位须为 6 位数字的登记管理机关行政区划码（GB/T 2260），第 5 位是“M”',
        ),
      },
    ]);
    const malformed = await register(county, { creditCode: '123', name: '' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.creditCode',
      'body.name',
    ]);
    expect(malformed.json().error.message).toContain('统一社会信用代码');
    expect(malformed.json().error.message).toContain('请填写主体名称');

    const created = await register(county, {
      tags: [{ tag: 'ecommerce', reason: '在拼多多开店经营', effectiveOn: '2023-07-01' }],
    });
    expect(created.statusCode).toBe(201);
    const entity = created.json();
    entityId = entity.id;
    expect(entity).toMatchObject({
      etownName: '皋陶乡村e镇',
      countyName: '垣曲县',
      status: 'active',
      tags: ['ecommerce'],
      contactPhoneMasked: '138****1234',
      credit: { score: 100, grade: 'A' },
    });
    expect(JSON.stringify(entity)).not.toContain('13812341234');
    expect(entity.tagHistory).toHaveLength(1);

    const duplicate = await register(county);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('credit_code_taken');
  });

  it('lets only the province record a documented override of a failing check character', async () => {
    const code = invalidCode('91140827MA0QWER01');
    const body = {
      etownCode: ownEtown,
      creditCode: code,
      name: '垣曲县历史登记合作社',
      entityType: 'cooperative',
      legalEntity: true,
      creditCodeOverride: '营业执照为 2015 年前换发，代码经市场监管局核实无误',
    };
    expect((await call(county, 'POST', '/api/entities/credit-code-override', body)).statusCode).toBe(403);
    const noReason = await call(province, 'POST', '/api/entities/credit-code-override', {
      ...body,
      creditCodeOverride: '',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('body.creditCodeOverride');
    const accepted = await call(province, 'POST', '/api/entities/credit-code-override', body);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ creditCode: code, creditCodeOverride: body.creditCodeOverride });
    const [audit] = await auditRecords('entity.credit_code_override', accepted.json().id);
    expect(audit?.diff).toMatchObject({ creditCode: code, reason: body.creditCodeOverride });
    // The county then sees and manages it like any other entity of its e-town.
    const seen = await call(county, 'GET', `/api/entities/${accepted.json().id}`);
    expect(seen.statusCode).toBe(200);
  });

  it('keeps another county out: 404 on every route and never in lists or counts', async () => {
    expect((await call(otherCounty, 'GET', `/api/entities/${entityId}`)).statusCode).toBe(404);
    const patched = await call(otherCounty, 'PATCH', `/api/entities/${entityId}`, {
      version: 1,
      name: '改名',
    });
    expect(patched.statusCode).toBe(404);
    expect((await call(otherCounty, 'POST', `/api/entities/${entityId}/contact/reveal`)).statusCode).toBe(
      404,
    );
    const tagged = await call(otherCounty, 'POST', `/api/entities/${entityId}/tags`, {
      tag: 'leading',
      reason: '越权',
      effectiveOn: '2024-01-01',
    });
    expect(tagged.statusCode).toBe(404);
    expect((await call(otherCounty, 'GET', '/api/entities?regionCode=140827')).statusCode).toBe(404);
    const list = (await call(otherCounty, 'GET', '/api/entities')).json();
    expect(list.total).toBe(0);
    expect(list.items).toEqual([]);
    const intoOtherEtown = await register(otherCounty, { creditCode: validCode('91140827MA0TEXT02') });
    expect(intoOtherEtown.statusCode).toBe(404);

    const cityList = (await call(city, 'GET', '/api/entities?regionCode=140827')).json();
    expect(cityList.total).toBe(seeded + 2);
    // The enterprise account sees its own entity only.
    const own = (await call(enterprise, 'GET', '/api/entities')).json();
    expect(own.total).toBe(1);
    expect(own.items[0].name).toContain('演示食用菌电商');
    expect((await call(enterprise, 'GET', `/api/entities/${entityId}`)).statusCode).toBe(404);
  });

  it('filters the list by type, tag, status and keyword', async () => {
    const query = async (search: string) =>
      (await call(county, 'GET', `/api/entities?${search}`)).json() as {
        total: number;
        items: { name: string }[];
      };
    const ecommerce = (await query('tag=ecommerce&pageSize=100')).items.map((item) => item.name);
    expect(ecommerce).toContain('垣曲县测试菌业有限公司');
    expect(ecommerce).not.toContain('垣曲县历史登记合作社');
    expect((await query('entityType=cooperative')).items.map((item) => item.name)).toEqual([
      '垣曲县历史登记合作社',
    ]);
    expect((await query(`keyword=${encodeURIComponent('测试菌业')}`)).total).toBe(1);
    expect((await query('keyword=91140827MA0TEXT')).total).toBe(1);
    // Two characters (no trigram: the name's character pairs), upper or lower case, and one character.
    const names = async (keyword: string) =>
      (await query(`keyword=${encodeURIComponent(keyword)}&pageSize=200`)).items.map((item) => item.name);
    for (const keyword of ['菌业', '测试', 'ma', 'TE', '菌']) {
      expect(await names(keyword), keyword).toContain('垣曲县测试菌业有限公司');
    }
    expect(await names('业测')).toEqual([]);
    // Wildcards are plain characters.
    expect((await query(`keyword=${encodeURIComponent('%_')}`)).total).toBe(0);
    expect((await query(`keyword=${encodeURIComponent('菌%')}`)).total).toBe(0);
    expect((await query('status=exited')).total).toBe(0);
    const paged = await query('pageSize=2&page=2');
    expect(paged).toMatchObject({ total: seeded + 2, items: [expect.anything(), expect.anything()] });
  });

  it('shows the phone masked and audits every reveal', async () => {
    const revealed = await call(county, 'POST', `/api/entities/${entityId}/contact/reveal`);
    expect(revealed.statusCode).toBe(200);
    expect(revealed.json()).toEqual({ contactName: '王经理', phone: '13812341234' });
    const audits = await auditRecords('entity.contact.reveal', entityId);
    expect(audits).toHaveLength(1);
    expect(audits[0]?.username).toBe('county.yuanqu');
    expect(JSON.stringify(audits[0]?.diff)).not.toContain('13812341234');
    // The city may read the entity but not reveal the phone.
    expect((await call(city, 'POST', `/api/entities/${entityId}/contact/reveal`)).statusCode).toBe(403);
    // The create audit record keeps only the masked phone.
    const [created] = await auditRecords('entity.create', entityId);
    expect(JSON.stringify(created?.diff)).toContain('138****1234');
    expect(JSON.stringify(created?.diff)).not.toContain('13812341234');
  });

  it('keeps the tag history with reasons and dates when tags are added and removed', async () => {
    const add = await call(county, 'POST', `/api/entities/${entityId}/tags`, {
      tag: 'leading',
      reason: '县级龙头企业认定',
      effectiveOn: '2024-03-01',
    });
    expect(add.statusCode).toBe(200);
    expect(add.json().tags).toEqual(['ecommerce', 'leading']);
    const again = await call(county, 'POST', `/api/entities/${entityId}/tags`, {
      tag: 'leading',
      reason: '重复',
      effectiveOn: '2024-03-02',
    });
    expect(again.statusCode).toBe(409);
    const removed = await call(county, 'POST', `/api/entities/${entityId}/tags/remove`, {
      tag: 'leading',
      reason: '年度复核未通过',
      effectiveOn: '2025-01-15',
    });
    expect(removed.statusCode).toBe(200);
    const detail = removed.json();
    expect(detail.tags).toEqual(['ecommerce']);
    expect(
      detail.tagHistory.map((event: { tag: string; action: string; effectiveOn: string; reason: string }) => [
        event.tag,
        event.action,
        event.effectiveOn,
        event.reason,
      ]),
    ).toEqual([
      ['leading', 'removed', '2025-01-15', '年度复核未通过'],
      ['leading', 'added', '2024-03-01', '县级龙头企业认定'],
      ['ecommerce', 'added', '2023-07-01', '在拼多多开店经营'],
    ]);
    expect(detail.tagHistory[0].actorName).toContain('垣曲县');
    const absent = await call(county, 'POST', `/api/entities/${entityId}/tags/remove`, {
      tag: 'rnd',
      reason: '无此标签',
      effectiveOn: '2025-01-15',
    });
    expect(absent.statusCode).toBe(409);
  });

  it('edits with optimistic locking, manages shops and exits with a reason', async () => {
    const before = (await call(county, 'GET', `/api/entities/${entityId}`)).json();
    const edited = await call(county, 'PATCH', `/api/entities/${entityId}`, {
      version: before.version,
      address: '垣曲县皋落乡皋落村',
      contactPhone: '13900001111',
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ address: '垣曲县皋落乡皋落村', contactPhoneMasked: '139****1111' });
    const stale = await call(county, 'PATCH', `/api/entities/${entityId}`, {
      version: before.version,
      name: '旧版本改名',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      details: {
        current: { id: entityId, address: '垣曲县皋落乡皋落村', version: edited.json().version },
      },
    });
    const [update] = await auditRecords('entity.update', entityId);
    expect(update?.diff).toMatchObject({
      address: { before: '垣曲县新城镇坡底村', after: '垣曲县皋落乡皋落村' },
      contactPhoneMasked: { before: '138****1234', after: '139****1111' },
    });

    const shop = await call(county, 'POST', `/api/entities/${entityId}/shops`, {
      platform: '拼多多',
      shopName: '皋陶香菇旗舰店',
      url: 'https://pinduoduo.example/shop/1',
    });
    expect(shop.statusCode).toBe(200);
    const shopId = shop.json().shops[0].id;
    const badUrl = await call(county, 'POST', `/api/entities/${entityId}/shops`, {
      platform: '淘宝',
      shopName: '店',
      url: 'javascript:alert(1)',
    });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error.message).toContain('店铺链接');
    const withoutShop = await call(county, 'DELETE', `/api/entities/${entityId}/shops/${shopId}`);
    expect(withoutShop.json().shops).toEqual([]);

    const current = edited.json();
    const exited = await call(county, 'POST', `/api/entities/${entityId}/exit`, {
      version: current.version,
      exitedOn: '2025-06-30',
      reason: '迁出本县经营',
    });
    expect(exited.statusCode).toBe(200);
    expect(exited.json()).toMatchObject({
      status: 'exited',
      exitedOn: '2025-06-30',
      exitReason: '迁出本县经营',
    });
    const exitedList = (await call(county, 'GET', '/api/entities?status=exited')).json();
    expect(exitedList.items.map((item: { id: string }) => item.id)).toEqual([entityId]);
    const activeList = (await call(county, 'GET', '/api/entities?status=active')).json();
    expect(activeList.items.map((item: { id: string }) => item.id)).not.toContain(entityId);
  });

  it('computes a transparent credit grade and shares violations province-wide with county operators', async () => {
    const violation = await call(county, 'POST', `/api/entities/${entityId}/credit-records`, {
      kind: 'violation',
      category: '侵权假冒',
      description: '销售假冒注册商标的香菇礼盒',
      source: '垣曲县市场监督管理局行政处罚决定书',
      occurredOn: '2025-03-10',
    });
    expect(violation.statusCode).toBe(200);
    const good = await call(county, 'POST', `/api/entities/${entityId}/credit-records`, {
      kind: 'good',
      category: '质量认证',
      description: '取得绿色食品认证',
      source: '中国绿色食品发展中心',
      occurredOn: '2025-05-01',
    });
    const detail = good.json();
    expect(detail.credit).toEqual({ score: 85, grade: 'B', formula: '100 + (-20) + 5 = 85' });
    expect(detail.creditRecords.map((record: { points: number }) => record.points)).toEqual([5, -20]);
    // The list shows the same grade (its page reads the points in the same statement as the rows).
    const listed = (
      await call(county, 'GET', `/api/entities?keyword=${encodeURIComponent('测试菌业')}`)
    ).json();
    expect(listed.items.find((item: { id: string }) => item.id === entityId).credit).toMatchObject({
      score: 85,
      grade: 'B',
    });
    const wrongCategory = await call(county, 'POST', `/api/entities/${entityId}/credit-records`, {
      kind: 'violation',
      category: '诚信经营表彰',
      description: '类别不符',
      source: '测试',
      occurredOn: '2025-05-01',
      points: 3,
    });
    expect(wrongCategory.statusCode).toBe(400);
    expect(wrongCategory.json().error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.category',
      'body.points',
    ]);
    const byCity = await call(city, 'POST', `/api/entities/${entityId}/credit-records`, {
      kind: 'good',
      category: '其他',
      description: '市级无权记录',
      source: '测试',
      occurredOn: '2025-05-01',
    });
    expect(byCity.statusCode).toBe(403);

    // The other county cannot open the entity but finds the violation in the shared list, without contacts.
    const shared = await call(otherCounty, 'GET', '/api/entities/credit/violations');
    expect(shared.statusCode).toBe(200);
    expect(shared.json().items).toEqual([
      {
        id: expect.any(String),
        entityId,
        entityName: '垣曲县测试菌业有限公司',
        creditCode: validCode('91140827MA0TEXT01'),
        etownCode: ownEtown,
        etownName: '皋陶乡村e镇',
        category: '侵权假冒',
        occurredOn: '2025-03-10',
        inScope: false,
      },
    ]);
    const ownView = (await call(county, 'GET', '/api/entities/credit/violations')).json();
    expect(ownView.items[0].inScope).toBe(true);
    expect((await call(city, 'GET', '/api/entities/credit/violations')).json().total).toBe(1);
    // Everyone else keeps their own scope: the demo enterprise sees no one else's violations.
    expect((await call(enterprise, 'GET', '/api/entities/credit/violations')).json().total).toBe(0);
  });

  it('admits an entry application into the e-town and binds the applicant account to the new entity', async () => {
    await createUser(
      context,
      { username: 'test.setup', ip: 'local' },
      {
        username: 'enterprise.newcomer',
        displayName: '新入驻企业填报员',
        role: 'enterprise',
        scopeRegionCode: ownEtown,
        entityId: null,
      },
      { password: DEMO_PASSWORD, mustChangePassword: false },
    );
    const newcomer = (await loginReady(app, 'enterprise.newcomer')).cookie;
    // Before admission the account has no entity: it sees none.
    expect((await call(newcomer, 'GET', '/api/entities')).json().total).toBe(0);
    const conditions = (await call(newcomer, 'GET', `/api/entities/entry-conditions/${ownEtown}`)).json();
    expect(conditions.conditions.some((condition: string) => condition.includes('食用菌'))).toBe(true);
    expect(conditions.basis).toContain('垣政办发〔2023〕8号');
    expect((await call(newcomer, 'GET', '/api/entities/entry-conditions/140826-E01')).statusCode).toBe(404);

    const proposal = {
      creditCode: validCode('92140827MA0NEW001'),
      name: '垣曲县新来香菇网店',
      entityType: 'individual',
      legalEntity: false,
      registeredOn: '2025-02-01',
      address: '垣曲县皋落乡',
      contactName: '李店主',
      contactPhone: '13700002222',
    };
    const badCode = await call(newcomer, 'POST', '/api/entities/applications', {
      etownCode: ownEtown,
      proposal: { ...proposal, creditCode: invalidCode('92140827MA0NEW001') },
      statement: '申请入驻',
      conditionsAccepted: true,
    });
    expect(badCode.statusCode).toBe(400);
    expect(badCode.json().error.details[0].path).toBe('proposal.creditCode');
    const submitted = await call(newcomer, 'POST', '/api/entities/applications', {
      etownCode: ownEtown,
      proposal,
      statement: '主营香菇网络零售，已在抖音开店',
      conditionsAccepted: true,
    });
    expect(submitted.statusCode).toBe(201);
    const application = submitted.json();
    expect(application).toMatchObject({ status: 'submitted', etownName: '皋陶乡村e镇' });
    expect(application.proposal.contactPhoneMasked).toBe('137****2222');
    expect(JSON.stringify(application)).not.toContain('13700002222');
    expect(application.conditions.length).toBeGreaterThan(3);
    const twice = await call(newcomer, 'POST', '/api/entities/applications', {
      etownCode: ownEtown,
      proposal,
      statement: '再次申请',
      conditionsAccepted: true,
    });
    expect(twice.statusCode).toBe(409);

    expect((await call(otherCounty, 'GET', `/api/entities/applications/${application.id}`)).statusCode).toBe(
      404,
    );
    expect((await call(otherCounty, 'GET', '/api/entities/applications')).json()).toEqual([]);
    const otherAdmit = await call(
      otherCounty,
      'POST',
      `/api/entities/applications/${application.id}/admit`,
      {},
    );
    expect(otherAdmit.statusCode).toBe(404);
    expect((await call(enterprise, 'GET', `/api/entities/applications/${application.id}`)).statusCode).toBe(
      404,
    );

    const pending = (await call(county, 'GET', '/api/entities/applications?status=submitted')).json();
    expect(pending.map((item: { id: string }) => item.id)).toEqual([application.id]);
    const admitted = await call(county, 'POST', `/api/entities/applications/${application.id}/admit`, {
      reason: '符合入驻条件',
    });
    expect(admitted.statusCode).toBe(200);
    expect(admitted.json()).toMatchObject({ status: 'admitted', reviewReason: '符合入驻条件' });
    const newEntityId = admitted.json().entityId;
    const entity = (await call(county, 'GET', `/api/entities/${newEntityId}`)).json();
    expect(entity).toMatchObject({
      name: '垣曲县新来香菇网店',
      etownCode: ownEtown,
      entityType: 'individual',
      contactPhoneMasked: '137****2222',
    });
    expect((await call(county, 'POST', `/api/entities/${newEntityId}/contact/reveal`)).json().phone).toBe(
      '13700002222',
    );
    // The applicant now sees its own entity, and only that.
    const own = (await call(newcomer, 'GET', '/api/entities')).json();
    expect(own.items.map((item: { id: string }) => item.id)).toEqual([newEntityId]);
    const again = await call(county, 'POST', `/api/entities/applications/${application.id}/reject`, {
      reason: '重复处理',
    });
    expect(again.statusCode).toBe(409);
    const [audit] = await auditRecords('entry.admit', application.id);
    expect(audit?.diff).toMatchObject({ applicantAccountLinked: true });
  });

  it('rejects an entry application with a reason the applicant sees', async () => {
    await createUser(
      context,
      { username: 'test.setup', ip: 'local' },
      {
        username: 'enterprise.refused',
        displayName: '被退回企业填报员',
        role: 'enterprise',
        scopeRegionCode: ownEtown,
        entityId: null,
      },
      { password: DEMO_PASSWORD, mustChangePassword: false },
    );
    const applicant = (await loginReady(app, 'enterprise.refused')).cookie;
    const submitted = (
      await call(applicant, 'POST', '/api/entities/applications', {
        etownCode: ownEtown,
        proposal: {
          creditCode: validCode('91140827MA0REF001'),
          name: '垣曲县不符条件公司',
          entityType: 'enterprise',
          legalEntity: true,
        },
        statement: '申请入驻',
        conditionsAccepted: true,
      })
    ).json();
    const noReason = await call(county, 'POST', `/api/entities/applications/${submitted.id}/reject`, {
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.message).toContain('请填写退回理由');
    const rejected = await call(county, 'POST', `/api/entities/applications/${submitted.id}/reject`, {
      reason: '经营范围与e镇主导产业无关',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', entityId: null });
    const mine = (await call(applicant, 'GET', '/api/entities/applications')).json();
    expect(mine).toEqual([
      expect.objectContaining({ status: 'rejected', reviewReason: '经营范围与e镇主导产业无关' }),
    ]);
    expect((await call(applicant, 'GET', '/api/entities')).json().total).toBe(0);
  });
});
