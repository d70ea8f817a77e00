import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema/accounts.ts';
import { policyDocuments } from '../db/schema/documents.ts';
import { monthlyStatistics } from '../db/schema/stats.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../test/test-context.ts';
import type { App } from './app.ts';

const ETOWN = '140827-E01';

type Method = 'GET' | 'POST' | 'PUT';

/**
 * Lost updates and double submission: an edit of a version someone else already replaced is refused with
 * the record as it is now, and a creating request repeated with its Idempotency-Key makes one record.
 */
describe.each(testBackends)('record versions and idempotent creation on %s', (backend) => {
  let app: App;
  let context: TestContext;
  const cookies = new Map<string, string>();
  let entityId: string;

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    for (const username of ['county.yuanqu', 'etown.gaotao', 'enterprise.demo']) {
      cookies.set(username, (await loginReady(app, username)).cookie);
    }
    const [account] = await context.database.db
      .select()
      .from(users)
      .where(eq(users.username, 'enterprise.demo'));
    entityId = account?.entityId as string;
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (username: string, method: Method, url: string, payload?: object, key?: string) =>
    app.inject({
      method,
      url,
      headers: { cookie: cookies.get(username) ?? '', ...(key ? { 'idempotency-key': key } : {}) },
      ...(payload ? { payload } : {}),
    });

  const documentFields = {
    kind: 'fund_management',
    title: '皋陶e镇资金管理办法',
    docNo: '皋政发〔2026〕3号',
    issuedOn: '2026-03-01',
    issuer: '皋陶镇人民政府',
  };

  it('refuses an edit of a stale version with 409 stale_version and the current record, changing nothing', async () => {
    const created = await call('county.yuanqu', 'POST', '/api/policy-documents', {
      etownCode: ETOWN,
      ...documentFields,
    });
    expect(created.statusCode, created.body).toBe(201);
    const loaded = created.json() as { id: string; version: number };
    expect(loaded.version).toBe(1);

    // The e-town and the county both loaded version 1; the e-town saves first.
    const first = await call('etown.gaotao', 'PUT', `/api/policy-documents/${loaded.id}`, {
      ...documentFields,
      title: '皋陶e镇资金管理办法（修订）',
      version: loaded.version,
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ title: '皋陶e镇资金管理办法（修订）', version: 2 });

    const stale = await call('county.yuanqu', 'PUT', `/api/policy-documents/${loaded.id}`, {
      ...documentFields,
      title: '皋陶e镇资金管理暂行办法',
      version: loaded.version,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      message: '该记录已被他人修改，已载入最新内容',
      details: { current: { id: loaded.id, title: '皋陶e镇资金管理办法（修订）', version: 2 } },
    });
    const [stored] = await context.database.db
      .select()
      .from(policyDocuments)
      .where(eq(policyDocuments.id, loaded.id));
    expect(stored).toMatchObject({ title: '皋陶e镇资金管理办法（修订）', version: 2 });

    // With the version it was handed, the county's edit goes through.
    const retried = await call('county.yuanqu', 'PUT', `/api/policy-documents/${loaded.id}`, {
      ...documentFields,
      title: '皋陶e镇资金管理暂行办法',
      version: stale.json().error.details.current.version,
    });
    expect(retried.json()).toMatchObject({ title: '皋陶e镇资金管理暂行办法', version: 3 });

    const withoutVersion = await call('county.yuanqu', 'PUT', `/api/policy-documents/${loaded.id}`, {
      ...documentFields,
    });
    expect(withoutVersion.statusCode).toBe(400);
    expect(withoutVersion.json().error.message).toContain('version');
  });

  it('refuses a stale monthly report, and a first save of a month someone saved meanwhile', async () => {
    const path = `/api/stats/monthly/${entityId}/2026-07`;
    const figures = {
      outputYuan: '100000',
      onlineRetailYuan: '50000',
      crossBorderYuan: '0',
      orders: 10,
      employees: 8,
      ecommerceEmployees: 2,
    };
    const saved = await call('enterprise.demo', 'PUT', path, figures);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().version).toBe(1);

    // Another tab that loaded no report for the month saves its first figures.
    const raced = await call('enterprise.demo', 'PUT', path, { ...figures, orders: 99 });
    expect(raced.statusCode).toBe(409);
    expect(raced.json().error).toMatchObject({
      code: 'stale_version',
      details: { current: { id: saved.json().id, version: 1, values: { orders: 10 } } },
    });

    const edited = await call('enterprise.demo', 'PUT', path, { ...figures, orders: 12, version: 1 });
    expect(edited.json()).toMatchObject({ version: 2, values: { orders: 12 } });
    const stale = await call('enterprise.demo', 'PUT', path, { ...figures, orders: 13, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.current).toMatchObject({ version: 2, values: { orders: 12 } });
    const [row] = await context.database.db
      .select()
      .from(monthlyStatistics)
      .where(eq(monthlyStatistics.id, saved.json().id));
    expect(row).toMatchObject({ orders: 12, version: 2 });
  });

  it('creates one record for a POST repeated with the same Idempotency-Key and answers it the same', async () => {
    const body = {
      etownCode: ETOWN,
      ...documentFields,
      title: '皋陶e镇品牌使用管理办法',
      kind: 'brand_management',
    };
    const key = 'form-submit-0001';
    const first = await call('county.yuanqu', 'POST', '/api/policy-documents', body, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await call('county.yuanqu', 'POST', '/api/policy-documents', body, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());

    // A double click: both requests of one submission arrive together.
    const twinKey = 'form-submit-0002';
    const twinBody = { ...body, title: '皋陶e镇电商公共服务管理办法' };
    const twins = await Promise.all([
      call('county.yuanqu', 'POST', '/api/policy-documents', twinBody, twinKey),
      call('county.yuanqu', 'POST', '/api/policy-documents', twinBody, twinKey),
    ]);
    expect(twins.map((answer) => answer.statusCode)).toEqual([201, 201]);
    expect(twins[0]?.json().id).toBe(twins[1]?.json().id);

    const titled = async (title: string) =>
      (await context.database.db.select().from(policyDocuments).where(eq(policyDocuments.title, title)))
        .length;
    expect(await titled('皋陶e镇品牌使用管理办法')).toBe(1);
    expect(await titled('皋陶e镇电商公共服务管理办法')).toBe(1);

    // The same key for other content is refused; another user's key is theirs.
    const reused = await call('county.yuanqu', 'POST', '/api/policy-documents', twinBody, key);
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('idempotency_key_reused');
    const byEtown = await call('etown.gaotao', 'POST', '/api/policy-documents', body, key);
    expect(byEtown.statusCode).toBe(201);
    expect(byEtown.json().id).not.toBe(first.json().id);
  });

  it('releases the key of a refused creation, so the corrected retry creates', async () => {
    const key = 'form-submit-0003';
    const refused = await call(
      'county.yuanqu',
      'POST',
      '/api/policy-documents',
      { etownCode: '140826-E01', ...documentFields, title: '越权登记' },
      key,
    );
    expect(refused.statusCode).toBe(404);
    const body = { etownCode: ETOWN, ...documentFields, title: '皋陶e镇人才培养办法', kind: 'plan' };
    const created = await call('county.yuanqu', 'POST', '/api/policy-documents', body, key);
    expect(created.statusCode, created.body).toBe(201);
  });
});
