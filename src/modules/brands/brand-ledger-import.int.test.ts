import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brands, products } from '../../db/schema/brands.ts';
import type { App } from '../../http/app.ts';
import { parseLedger } from '../../indicators/ledger-schema.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginReady, type TestContext, testBackends } from '../../test/test-context.ts';
import { exportLedger } from '../indicators/ledger-export.ts';
import { importLedger } from '../indicators/ledger-import.ts';

const ETOWN = '140827-E01';
const importer = { username: 'test', ip: 'local' };

/** A ledger import merges brands and products: platform data behind them survives a file that omits them. */
describe.each(testBackends)('ledger import keeps brands and products in use on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county = '';
  const year = Number(shanghaiToday().slice(0, 4));

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend));
    county = (await loginReady(app, 'county.yuanqu')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie: county }, ...(payload ? { payload } : {}) });
  const rowsOf = async () => ({
    brands: await context.database.db.select().from(brands).where(eq(brands.etownCode, ETOWN)),
    products: await context.database.db.select().from(products).where(eq(products.etownCode, ETOWN)),
  });

  it('matches by name, keeps an authorized brand and a product with a batch, deletes the unused', async () => {
    const entityId = (await call('GET', `/api/entities?regionCode=${ETOWN}`)).json().items[0].id;
    const brandList = (await call('GET', `/api/brands?regionCode=${ETOWN}`)).json();
    const regional = brandList.find((brand: { name: string }) => brand.name === '垣曲六宝');
    const applied = (
      await call('POST', '/api/brand-authorizations', {
        brandId: regional.id,
        entityId,
        productNames: ['垣曲猴头菇礼盒'],
      })
    ).json();
    const authorized = await call('POST', `/api/brand-authorizations/${applied.id}/authorize`, {
      version: applied.version,
      validFrom: shanghaiToday(),
      validTo: `${year + 2}-12-31`,
    });
    expect(authorized.statusCode).toBe(200);
    const product = (
      await call('POST', '/api/products', {
        entityId,
        brandId: regional.id,
        name: '猴头菇即食罐头',
        online: true,
        priceYuan: '29.80',
      })
    ).json();
    const batch = await call('POST', `/api/products/${product.id}/batches`, {
      batchNumber: 'GT-001',
      producedOn: shanghaiToday(),
      quantity: 100,
      unit: '罐',
      originBase: '皋落乡基地',
    });
    expect(batch.statusCode).toBe(201);

    const full = await exportLedger(context.database.db, ETOWN, year);
    expect(full.products.map((row) => row.name)).toContain('猴头菇即食罐头');
    const before = await rowsOf();

    // Importing the e-town's own export changes nothing: every row is matched, none re-created.
    const same = parseLedger(full);
    if (!same.ok) throw new Error(JSON.stringify(same.problems));
    const unchanged = await importLedger(context, importer, same.ledger, ETOWN);
    expect(unchanged).toMatchObject({ keptBrands: [], keptProducts: [] });
    const after = await rowsOf();
    expect(after.brands.map((row) => row.id).sort()).toEqual(before.brands.map((row) => row.id).sort());
    expect(after.products.map((row) => row.id).sort()).toEqual(before.products.map((row) => row.id).sort());
    expect(await exportLedger(context.database.db, ETOWN, year)).toEqual(full);

    // A file without 垣曲六宝, 菇翁, the canned product and 垣曲香菇, and with 垣曲黑木耳 offline.
    const trimmed = structuredClone(full);
    trimmed.brands = trimmed.brands.filter((row) => row.name !== '垣曲六宝' && row.name !== '菇翁');
    trimmed.products = trimmed.products
      .filter((row) => row.name !== '猴头菇即食罐头' && row.name !== '垣曲香菇')
      .map((row) => (row.name === '垣曲黑木耳' ? { ...row, online: false } : row));
    const parsed = parseLedger(trimmed);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const summary = await importLedger(context, importer, parsed.ledger, ETOWN);
    expect(summary.keptBrands).toEqual(['垣曲六宝']);
    expect(summary.keptProducts).toEqual(['猴头菇即食罐头']);

    const merged = await rowsOf();
    expect(merged.brands.find((row) => row.name === '垣曲六宝')?.id).toBe(regional.id);
    expect(merged.brands.some((row) => row.name === '菇翁')).toBe(false);
    expect(merged.products.find((row) => row.name === '猴头菇即食罐头')?.id).toBe(product.id);
    expect(merged.products.some((row) => row.name === '垣曲香菇')).toBe(false);
    const ear = merged.products.find((row) => row.name === '垣曲黑木耳');
    expect(ear?.id).toBe(before.products.find((row) => row.name === '垣曲黑木耳')?.id);
    expect(ear?.online).toBe(false);
    // The kept product still shows its batch, the kept brand its authorization.
    const kept = (await call('GET', `/api/products/${product.id}`)).json();
    expect(kept.batches.map((row: { batchNumber: string }) => row.batchNumber)).toEqual(['GT-001']);
    expect((await call('GET', `/api/brand-authorizations/${applied.id}`)).json().effectiveStatus).toBe(
      'active',
    );
  });
});
