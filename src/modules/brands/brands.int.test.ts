import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../db/schema/audit.ts';
import { products } from '../../db/schema/brands.ts';
import { brandAuthorizations } from '../../db/schema/traceability.ts';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { exportLedger } from '../indicators/ledger-export.ts';
import { scanPagesGeneration } from '../trace/scan-cache.ts';

const ETOWN = '140827-E01';
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(64, 1),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const TEXT = Buffer.from('just some text pretending to be a file');

const shiftDays = (date: string, days: number) => {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
};

describe.each(testBackends)('brands, authorizations, products and batches on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';
  let otherCounty = '';
  let city = '';
  let enterprise = '';
  let etownOperator = '';
  let ownEntityId = '';
  let otherEntityId = '';
  const today = shanghaiToday();
  const year = today.slice(0, 4);

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
    otherCounty = (await loginReady(app, 'county.other')).cookie;
    city = (await loginReady(app, 'city.yuncheng')).cookie;
    enterprise = (await loginReady(app, 'enterprise.demo')).cookie;
    etownOperator = (await loginReady(app, 'etown.gaotao')).cookie;
    ownEntityId = (await call(enterprise, 'GET', '/api/entities')).json().items[0].id;
    const others = (await call(county, 'GET', `/api/entities?regionCode=${ETOWN}&pageSize=50`)).json().items;
    otherEntityId = others.find((entity: { id: string }) => entity.id !== ownEntityId).id;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  function call(
    cookie: string,
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) {
    return app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  }
  const upload = (cookie: string, url: string, bytes: Buffer) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
  const audits = (action: string, targetId: string) =>
    context.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

  let regionalId = '';
  let brandVersion = 0;

  it('lets the county register a regional brand with its standard and own brands under it', async () => {
    const regional = await call(county, 'POST', '/api/brands', {
      etownCode: ETOWN,
      kind: 'regional_public',
      name: '历山山珍',
      standardText: '地三宝：猴头菇、黑木耳、羊肚菌；水三宝：黄河大鲤鱼、库区小银鱼、历山娃娃鱼。',
    });
    expect(regional.statusCode).toBe(201);
    regionalId = regional.json().id;
    brandVersion = regional.json().version;
    expect(regional.json()).toMatchObject({
      kind: 'regional_public',
      hasStandard: true,
      etownName: '皋陶乡村e镇',
    });

    const duplicate = await call(county, 'POST', '/api/brands', {
      etownCode: ETOWN,
      kind: 'regional_public',
      name: '历山山珍',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('brand_name_taken');

    const regionalWithOwner = await call(county, 'POST', '/api/brands', {
      etownCode: ETOWN,
      kind: 'regional_public',
      name: '另一个公用品牌',
      ownerEntityId: ownEntityId,
    });
    expect(regionalWithOwner.statusCode).toBe(400);
    expect(regionalWithOwner.json().error.details[0].path).toBe('ownerEntityId');

    const own = await call(county, 'POST', '/api/brands', {
      etownCode: ETOWN,
      kind: 'own',
      name: '菇语',
      trademarkNumber: '61234567',
      ownerEntityId: ownEntityId,
      parentBrandId: regionalId,
    });
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ parentBrandName: '历山山珍', trademarkNumber: '61234567' });
    const ownUnderOwn = await call(county, 'POST', '/api/brands', {
      etownCode: ETOWN,
      kind: 'own',
      name: '菇语二号',
      parentBrandId: own.json().id,
    });
    expect(ownUnderOwn.statusCode).toBe(400);
    expect(ownUnderOwn.json().error.details[0]).toMatchObject({ path: 'parentBrandId' });

    const detail = (await call(county, 'GET', `/api/brands/${regionalId}`)).json();
    expect(detail.childBrands.map((child: { name: string }) => child.name)).toEqual(['菇语']);
    expect((await audits('brand.create', regionalId)).length).toBe(1);
  });

  it('answers 404 outside the scope, lets the city and the enterprise read, and refuses stale edits', async () => {
    expect((await call(otherCounty, 'GET', `/api/brands/${regionalId}`)).statusCode).toBe(404);
    expect(
      (await call(otherCounty, 'PATCH', `/api/brands/${regionalId}`, { version: brandVersion, name: 'x' }))
        .statusCode,
    ).toBe(404);
    const otherList = (await call(otherCounty, 'GET', '/api/brands')).json();
    expect(otherList.map((brand: { id: string }) => brand.id)).not.toContain(regionalId);
    expect((await call(otherCounty, 'GET', `/api/brands?regionCode=${ETOWN}`)).statusCode).toBe(404);
    expect((await call(city, 'GET', `/api/brands/${regionalId}`)).statusCode).toBe(200);
    expect((await call(enterprise, 'GET', `/api/brands/${regionalId}`)).statusCode).toBe(200);
    expect(
      (await call(enterprise, 'POST', '/api/brands', { etownCode: ETOWN, kind: 'own', name: 'x' }))
        .statusCode,
    ).toBe(403);

    const renamed = await call(county, 'PATCH', `/api/brands/${regionalId}`, {
      version: brandVersion,
      description: '垣曲县区域公用品牌（测试）',
    });
    expect(renamed.statusCode).toBe(200);
    const stale = await call(county, 'PATCH', `/api/brands/${regionalId}`, {
      version: brandVersion,
      name: 'x',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      details: {
        current: {
          id: regionalId,
          description: '垣曲县区域公用品牌（测试）',
          version: renamed.json().version,
        },
      },
    });
    brandVersion = renamed.json().version;
  });

  it('stores the standards document after checking its type from the bytes', async () => {
    const refused = await upload(county, `/api/brands/${regionalId}/standard-file?fileName=标准.pdf`, TEXT);
    expect(refused.statusCode).toBe(415);
    expect(refused.json().error.code).toBe('unsupported_file_type');
    const stored = await upload(county, `/api/brands/${regionalId}/standard-file?fileName=品牌标准.pdf`, PDF);
    expect(stored.statusCode).toBe(200);
    expect(stored.json().standardFile.fileName).toBe('品牌标准.pdf');
    const download = await call(enterprise, 'GET', `/api/brands/${regionalId}/standard-file`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload.equals(PDF)).toBe(true);
    expect((await call(otherCounty, 'GET', `/api/brands/${regionalId}/standard-file`)).statusCode).toBe(404);
  });

  let authorizationId = '';

  it('runs the authorization lifecycle, refusing transitions the status does not allow', async () => {
    // An enterprise applies for its own entity only; another entity does not exist for it.
    const forOther = await call(enterprise, 'POST', '/api/brand-authorizations', {
      brandId: regionalId,
      entityId: otherEntityId,
      productNames: ['猴头菇'],
    });
    expect(forOther.statusCode).toBe(404);
    const applied = await call(enterprise, 'POST', '/api/brand-authorizations', {
      brandId: regionalId,
      entityId: ownEntityId,
      productNames: ['垣曲猴头菇干品', '黑木耳'],
      applicationNote: '基地已通过绿色食品认证',
    });
    expect(applied.statusCode).toBe(201);
    authorizationId = applied.json().id;
    expect(applied.json()).toMatchObject({
      status: 'applied',
      effectiveStatus: 'applied',
      certificateNumber: null,
    });
    const again = await call(enterprise, 'POST', '/api/brand-authorizations', {
      brandId: regionalId,
      entityId: ownEntityId,
      productNames: ['猴头菇'],
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('authorization_exists');

    const version = () =>
      call(county, 'GET', `/api/brand-authorizations/${authorizationId}`).then((r) => r.json().version);
    const suspendApplied = await call(
      county,
      'POST',
      `/api/brand-authorizations/${authorizationId}/suspend`,
      {
        version: await version(),
        reason: '抽检不合格',
      },
    );
    expect(suspendApplied.statusCode).toBe(409);
    expect(suspendApplied.json().error).toMatchObject({
      code: 'invalid_status_transition',
      message: expect.stringContaining('“待审核”，不能暂停'),
    });
    expect(
      (
        await call(enterprise, 'POST', `/api/brand-authorizations/${authorizationId}/authorize`, {
          version: await version(),
          validFrom: today,
          validTo: shiftDays(today, 365),
        })
      ).statusCode,
    ).toBe(403);
    expect((await call(otherCounty, 'GET', `/api/brand-authorizations/${authorizationId}`)).statusCode).toBe(
      404,
    );

    const generation = scanPagesGeneration();
    const authorized = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/authorize`, {
      version: await version(),
      validFrom: today,
      validTo: shiftDays(today, 365),
      reason: '符合品牌标准',
    });
    expect(authorized.statusCode).toBe(200);
    expect(authorized.json()).toMatchObject({
      status: 'authorized',
      effectiveStatus: 'active',
      certificateNumber: `LSSZ-${year}-0001`,
    });
    expect(scanPagesGeneration()).toBeGreaterThan(generation);
    const authorizeAgain = await call(
      county,
      'POST',
      `/api/brand-authorizations/${authorizationId}/authorize`,
      {
        version: authorized.json().version,
        validFrom: today,
        validTo: shiftDays(today, 30),
      },
    );
    expect(authorizeAgain.statusCode).toBe(409);

    // A failed supervision check prompts suspension.
    const failedCheck = await call(
      county,
      'POST',
      `/api/brand-authorizations/${authorizationId}/supervision-checks`,
      {
        checkedOn: today,
        result: 'fail',
        findings: '包装未标注品牌授权编号',
      },
    );
    expect(failedCheck.statusCode).toBe(201);
    expect(failedCheck.json()).toMatchObject({ suspensionSuggested: true, lastCheck: { result: 'fail' } });

    const noReason = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/suspend`, {
      version: failedCheck.json().version,
      reason: '',
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details[0].path).toBe('body.reason');
    const suspended = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/suspend`, {
      version: failedCheck.json().version,
      reason: '监督检查不合格，限期整改',
    });
    expect(suspended.json()).toMatchObject({
      status: 'suspended',
      effectiveStatus: 'suspended',
      suspensionSuggested: false,
    });
    const renewSuspended = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/renew`, {
      version: suspended.json().version,
      validTo: shiftDays(today, 800),
    });
    expect(renewSuspended.statusCode).toBe(409);
    const reinstated = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/reinstate`, {
      version: suspended.json().version,
      reason: '整改完成，复查合格',
    });
    expect(reinstated.json()).toMatchObject({
      status: 'authorized',
      effectiveStatus: 'active',
      statusReason: null,
    });
    const shorter = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/renew`, {
      version: reinstated.json().version,
      validTo: shiftDays(today, 100),
    });
    expect(shorter.statusCode).toBe(400);
    expect(shorter.json().error.details[0].path).toBe('validTo');
    const renewed = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/renew`, {
      version: reinstated.json().version,
      validTo: shiftDays(today, 730),
    });
    expect(renewed.json().validTo).toBe(shiftDays(today, 730));
    const staleRenewal = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/renew`, {
      version: reinstated.json().version,
      validTo: shiftDays(today, 900),
    });
    expect(staleRenewal.statusCode).toBe(409);
    expect(staleRenewal.json().error).toMatchObject({
      code: 'stale_version',
      details: {
        current: { id: authorizationId, validTo: shiftDays(today, 730), version: renewed.json().version },
      },
    });

    // Expiry is read from the term: a term that ended yesterday shows as expired at once.
    await context.database.db
      .update(brandAuthorizations)
      .set({ validFrom: shiftDays(today, -400), validTo: shiftDays(today, -1) })
      .where(eq(brandAuthorizations.id, authorizationId));
    const expired = (await call(county, 'GET', `/api/brand-authorizations/${authorizationId}`)).json();
    expect(expired).toMatchObject({ status: 'authorized', effectiveStatus: 'expired' });
    expect((await call(county, 'GET', `/api/brands/${regionalId}`)).json().activeAuthorizations).toBe(0);

    const revoked = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/revoke`, {
      version: expired.version,
      reason: '授权期满未续期，退出品牌使用',
    });
    expect(revoked.json()).toMatchObject({ status: 'revoked', statusReason: '授权期满未续期，退出品牌使用' });
    for (const action of ['revoke', 'reinstate', 'suspend']) {
      const refused = await call(county, 'POST', `/api/brand-authorizations/${authorizationId}/${action}`, {
        version: revoked.json().version,
        reason: '再试一次',
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('invalid_status_transition');
    }
    expect(revoked.json().events.map((event: { action: string }) => event.action)).toEqual([
      'applied',
      'authorized',
      'suspended',
      'reinstated',
      'renewed',
      'revoked',
    ]);
    const audited = await context.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.targetId, authorizationId), like(auditLog.action, 'brand_authorization.%')));
    expect(audited.map((row) => row.action).sort()).toEqual(
      [
        'brand_authorization.apply',
        'brand_authorization.authorize',
        'brand_authorization.supervise',
        'brand_authorization.suspend',
        'brand_authorization.reinstate',
        'brand_authorization.renew',
        'brand_authorization.revoke',
      ].sort(),
    );
    // The entity may apply again once the earlier authorization is closed.
    const reapplied = await call(enterprise, 'POST', '/api/brand-authorizations', {
      brandId: regionalId,
      entityId: ownEntityId,
      productNames: ['猴头菇'],
    });
    expect(reapplied.statusCode).toBe(201);
  });

  it('numbers certificates in series without duplicates and refuses a number already used', async () => {
    const applied = await call(county, 'POST', '/api/brand-authorizations', {
      brandId: regionalId,
      entityId: otherEntityId,
      productNames: ['黄河大鲤鱼'],
    });
    expect(applied.statusCode).toBe(201);
    const id = applied.json().id;
    const taken = await call(county, 'POST', `/api/brand-authorizations/${id}/authorize`, {
      version: applied.json().version,
      validFrom: today,
      validTo: shiftDays(today, 365),
      certificateNumber: `LSSZ-${year}-0001`,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('certificate_number_taken');
    const second = await call(county, 'POST', `/api/brand-authorizations/${id}/authorize`, {
      version: applied.json().version,
      validFrom: today,
      validTo: shiftDays(today, 365),
    });
    expect(second.json().certificateNumber).toBe(`LSSZ-${year}-0002`);
    // Rejecting needs a reason and is only for applications.
    const rejectAuthorized = await call(county, 'POST', `/api/brand-authorizations/${id}/reject`, {
      version: second.json().version,
      reason: '不符合标准',
    });
    expect(rejectAuthorized.statusCode).toBe(409);
    const list = (await call(enterprise, 'GET', `/api/brand-authorizations?brandId=${regionalId}`)).json();
    expect(list.every((row: { entityId: string }) => row.entityId === ownEntityId)).toBe(true);
    expect((await call(enterprise, 'GET', `/api/brand-authorizations/${id}`)).statusCode).toBe(404);
  });

  let productId = '';

  it('keeps prices exact in fen and the brand name in sync', async () => {
    const bad = await call(county, 'POST', '/api/products', {
      entityId: ownEntityId,
      brandId: regionalId,
      name: '猴头菇礼盒',
      online: true,
      priceYuan: '12.345',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.priceYuan');
    const created = await call(county, 'POST', '/api/products', {
      entityId: ownEntityId,
      brandId: regionalId,
      name: '猴头菇礼盒',
      category: '食用菌',
      specification: '250g×4袋/盒',
      online: true,
      priceYuan: '12345678.99',
    });
    expect(created.statusCode).toBe(201);
    productId = created.json().id;
    expect(created.json()).toMatchObject({
      priceYuan: '12345678.99',
      brandName: '历山山珍',
      brandKind: 'regional_public',
    });
    const [row] = await context.database.db.select().from(products).where(eq(products.id, productId));
    expect(row?.priceFen).toBe(1234567899n);
    const cheaper = await call(county, 'PATCH', `/api/products/${productId}`, {
      version: created.json().version,
      priceYuan: '0.1',
    });
    expect(cheaper.json().priceYuan).toBe('0.10');
    const staleProduct = await call(county, 'PATCH', `/api/products/${productId}`, {
      version: created.json().version,
      priceYuan: '99',
    });
    expect(staleProduct.statusCode).toBe(409);
    expect(staleProduct.json().error).toMatchObject({
      code: 'stale_version',
      details: { current: { id: productId, priceYuan: '0.10', version: cheaper.json().version } },
    });
    const duplicate = await call(county, 'POST', '/api/products', {
      entityId: otherEntityId,
      brandId: regionalId,
      name: '猴头菇礼盒',
      online: false,
    });
    expect(duplicate.json().error.code).toBe('product_name_taken');

    // The standards upload moved the version on.
    brandVersion = (await call(county, 'GET', `/api/brands/${regionalId}`)).json().version;
    const renamed = await call(county, 'PATCH', `/api/brands/${regionalId}`, {
      version: brandVersion,
      name: '垣曲山珍',
    });
    expect(renamed.statusCode).toBe(200);
    brandVersion = renamed.json().version;
    expect((await call(county, 'GET', `/api/products/${productId}`)).json().brandName).toBe('垣曲山珍');
    expect(
      (await call(county, 'PATCH', `/api/brands/${regionalId}`, { version: brandVersion, name: '历山山珍' }))
        .statusCode,
    ).toBe(200);
  });

  it('lets an enterprise keep only its own products', async () => {
    const forOther = await call(enterprise, 'POST', '/api/products', {
      entityId: otherEntityId,
      brandId: regionalId,
      name: '别家的产品',
      online: true,
    });
    expect(forOther.statusCode).toBe(404);
    const own = await call(enterprise, 'POST', '/api/products', {
      entityId: ownEntityId,
      brandId: regionalId,
      name: '本企业黑木耳',
      online: true,
      priceYuan: '39.9',
    });
    expect(own.statusCode).toBe(201);
    const listed = (await call(enterprise, 'GET', '/api/products')).json();
    expect(listed.items.every((item: { entityId: string }) => item.entityId === ownEntityId)).toBe(true);
    const foreign = (
      await call(county, 'GET', `/api/products?entityId=${otherEntityId}&regionCode=${ETOWN}`)
    ).json();
    if (foreign.items[0]) {
      expect((await call(enterprise, 'GET', `/api/products/${foreign.items[0].id}`)).statusCode).toBe(404);
    }
    expect((await call(otherCounty, 'GET', `/api/products/${own.json().id}`)).statusCode).toBe(404);
  });

  it('checks photos by their bytes, links only the producer’s shops and marks expired certifications', async () => {
    const notImage = await upload(county, `/api/products/${productId}/photos?fileName=a.png`, PDF);
    expect(notImage.statusCode).toBe(415);
    const photo = await upload(county, `/api/products/${productId}/photos?fileName=礼盒.png`, PNG);
    expect(photo.statusCode).toBe(201);
    const photoId = photo.json().photos[0].id;
    expect(photo.json().coverPhotoId).toBe(photoId);
    const image = await call(county, 'GET', `/api/products/${productId}/photos/${photoId}`);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(PNG)).toBe(true);
    expect((await call(otherCounty, 'GET', `/api/products/${productId}/photos/${photoId}`)).statusCode).toBe(
      404,
    );

    const ownShop = (
      await call(county, 'POST', `/api/entities/${ownEntityId}/shops`, {
        platform: '抖音',
        shopName: '垣曲菇语旗舰店',
      })
    ).json().shops[0];
    const otherShop = (
      await call(county, 'POST', `/api/entities/${otherEntityId}/shops`, {
        platform: '淘宝',
        shopName: '别家小店',
      })
    ).json().shops[0];
    const wrongShop = await call(county, 'POST', `/api/products/${productId}/shops`, {
      shopId: otherShop.id,
    });
    expect(wrongShop.statusCode).toBe(400);
    const linked = await call(county, 'POST', `/api/products/${productId}/shops`, {
      shopId: ownShop.id,
      url: 'https://example.com/item/1',
    });
    expect(linked.json().shops).toEqual([
      expect.objectContaining({ shopName: '垣曲菇语旗舰店', url: 'https://example.com/item/1' }),
    ]);

    const certified = await call(county, 'POST', `/api/products/${productId}/certifications`, {
      kind: 'green_food',
      number: 'LB-18-2301140827A',
      issuer: '中国绿色食品发展中心',
      validFrom: '2021-01-01',
      validTo: '2023-12-31',
    });
    expect(certified.json().certifications[0]).toMatchObject({ kind: 'green_food', expired: true });
    const certificationId = certified.json().certifications[0].id;
    const updated = await call(
      county,
      'PUT',
      `/api/products/${productId}/certifications/${certificationId}`,
      {
        kind: 'green_food',
        number: 'LB-18-2301140827A',
        issuer: '中国绿色食品发展中心',
        validFrom: '2024-01-01',
        validTo: shiftDays(today, 300),
        version: certified.json().certifications[0].version,
      },
    );
    expect(updated.json().certifications[0]).toMatchObject({ expired: false, version: 2 });
    const backwards = await call(county, 'POST', `/api/products/${productId}/certifications`, {
      kind: 'organic',
      number: 'X1',
      validFrom: '2024-01-01',
      validTo: '2023-01-01',
    });
    expect(backwards.statusCode).toBe(400);
  });

  let batchId = '';

  it('registers batches by the rules, with inspections, reports and an irreversible recall', async () => {
    const base = {
      batchNumber: 'HTG-2025-001',
      producedOn: today,
      quantity: 500,
      unit: '盒',
      originBase: '皋落乡食用菌基地',
    };
    const future = await call(county, 'POST', `/api/products/${productId}/batches`, {
      ...base,
      producedOn: shiftDays(today, 1),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.details[0].path).toBe('producedOn');
    const empty = await call(county, 'POST', `/api/products/${productId}/batches`, { ...base, quantity: 0 });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].path).toBe('body.quantity');
    const created = await call(county, 'POST', `/api/products/${productId}/batches`, base);
    expect(created.statusCode).toBe(201);
    batchId = created.json().id;
    const duplicate = await call(county, 'POST', `/api/products/${productId}/batches`, base);
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('batch_number_taken');

    const early = await call(county, 'POST', `/api/batches/${batchId}/inspections`, {
      inspectedOn: shiftDays(today, -3),
      agency: '运城市农产品质量检测中心',
      items: '农药残留、重金属',
      result: 'pass',
    });
    expect(early.statusCode).toBe(400);
    const inspected = await call(county, 'POST', `/api/batches/${batchId}/inspections`, {
      inspectedOn: today,
      agency: '运城市农产品质量检测中心',
      items: '农药残留、重金属',
      result: 'pass',
    });
    expect(inspected.statusCode).toBe(201);
    const inspectionId = inspected.json().inspections[0].id;
    const textReport = await upload(
      county,
      `/api/batches/${batchId}/inspections/${inspectionId}/report?fileName=r.pdf`,
      TEXT,
    );
    expect(textReport.statusCode).toBe(415);
    const report = await upload(
      county,
      `/api/batches/${batchId}/inspections/${inspectionId}/report?fileName=检测报告.pdf`,
      PDF,
    );
    expect(report.json().inspections[0].reportFileName).toBe('检测报告.pdf');
    const downloaded = await call(
      county,
      'GET',
      `/api/batches/${batchId}/inspections/${inspectionId}/report`,
    );
    expect(downloaded.rawPayload.equals(PDF)).toBe(true);
    expect((await call(otherCounty, 'GET', `/api/batches/${batchId}`)).statusCode).toBe(404);

    const recalled = await call(county, 'POST', `/api/batches/${batchId}/recall`, {
      reason: '包装破损，主动召回',
    });
    expect(recalled.json()).toMatchObject({
      recallReason: '包装破损，主动召回',
      recalledAt: expect.any(String),
    });
    const again = await call(county, 'POST', `/api/batches/${batchId}/recall`, { reason: '再次召回' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('batch_recalled');
    expect((await audits('batch.recall', batchId)).length).toBe(1);

    const deleteProduct = await call(county, 'DELETE', `/api/products/${productId}`);
    expect(deleteProduct.statusCode).toBe(409);
    expect(deleteProduct.json().error.code).toBe('product_has_batches');
    const deleteBrand = await call(county, 'DELETE', `/api/brands/${regionalId}`);
    expect(deleteBrand.json().error.code).toBe('brand_in_use');
  });

  it('keeps the e-town’s events and media channels, which indicator 10 counts', async () => {
    const event = await call(etownOperator, 'POST', '/api/promotion/events', {
      etownCode: ETOWN,
      kind: 'expo',
      heldOn: today,
      title: '中国农民丰收节垣曲展区',
    });
    expect(event.statusCode).toBe(201);
    const channel = await call(county, 'POST', '/api/promotion/media-channels', {
      etownCode: ETOWN,
      kind: 'traditional',
      name: '运城日报',
    });
    expect(channel.statusCode).toBe(201);
    expect((await call(otherCounty, 'DELETE', `/api/promotion/events/${event.json().id}`)).statusCode).toBe(
      404,
    );
    expect((await call(enterprise, 'GET', '/api/promotion/events')).statusCode).toBe(403);
    const updated = await call(county, 'PUT', `/api/promotion/events/${event.json().id}`, {
      kind: 'publicity',
      heldOn: today,
      title: '品牌宣传周',
      version: event.json().version,
    });
    expect(updated.json()).toMatchObject({ kind: 'publicity', version: 2 });
    const events = (await call(city, 'GET', `/api/promotion/events?regionCode=${ETOWN}`)).json();
    expect(events.map((row: { title: string }) => row.title)).toContain('品牌宣传周');
    const ledger = await exportLedger(context.database.db, ETOWN, Number(year));
    expect(ledger.mediaChannels).toContainEqual({ kind: 'traditional', name: '运城日报' });
    expect(ledger.events).toContainEqual({ kind: 'publicity', date: today, title: '品牌宣传周' });
    expect(
      (await call(county, 'DELETE', `/api/promotion/media-channels/${channel.json().id}`)).statusCode,
    ).toBe(204);
  });
});
