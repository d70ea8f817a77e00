import { like, or } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../http/app.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { createSeededApp, loginAs, type TestContext, testBackends } from '../../test/test-context.ts';
import { auditLog } from '../schema/audit.ts';
import { demoScanUrl } from './demo-traceability.ts';

const PUBLIC_URL = 'https://ez.example.cn';

describe.each(testBackends)('the demo traceability story on %s', (backend) => {
  let app: App;
  let context: TestContext;
  let county: string;
  const year = Number(shanghaiToday().slice(0, 4));

  beforeAll(async () => {
    ({ app, context } = await createSeededApp(backend, { EZHEN_PUBLIC_URL: PUBLIC_URL }));
    county = await loginAs(app, 'county.yuanqu');
  });
  afterAll(async () => {
    await app.close();
    await context.close();
  });

  it('gives a newcomer a scan page for 垣曲猴头菇礼盒, authorized under 垣曲六宝, labelled as demo data', async () => {
    const url = await demoScanUrl(context);
    expect(url).toMatch(/^https:\/\/ez\.example\.cn\/t\/[0-9A-Z]+$/);
    const page = await app.inject({ method: 'GET', url: new URL(url as string).pathname });
    expect(page.statusCode).toBe(200);
    for (const expected of [
      '<span class="tag demo">演示数据</span>',
      '<h1>垣曲猴头菇礼盒</h1>',
      '规格 250g×4袋/盒 · 食用菌',
      '<b>垣曲六宝</b> <span class="tag ok">品牌授权有效</span>',
      `授权证书 YQLB-${year}-0001，有效期 ${year}-01-01 至 ${year + 1}-12-31`,
      '山西垣曲六宝电子商务有限公司（演示数据）',
      '皋落乡历山猴头菇标准化种植基地（演示数据）',
      '2000 盒',
      '合格',
      '运城市农产品质量安全检验检测中心（演示数据）：农药残留、重金属',
      '绿色食品',
      '演示编号',
    ]) {
      expect(page.body).toContain(expected);
    }
    // No shop pretending to be real.
    expect(page.body).not.toContain('class="buy"');
  });

  it('shows the county its batch with 100 codes, and the brand its standard and authorization', async () => {
    const listed = (
      await app.inject({
        method: 'GET',
        url: `/api/products?keyword=${encodeURIComponent('猴头菇礼盒')}`,
        headers: { cookie: county },
      })
    ).json().items as { id: string; name: string }[];
    const giftBox = listed.find((product) => product.name === '垣曲猴头菇礼盒');
    const detail = (
      await app.inject({ method: 'GET', url: `/api/products/${giftBox?.id}`, headers: { cookie: county } })
    ).json();
    expect(detail).toMatchObject({ category: '食用菌', specification: '250g×4袋/盒', priceYuan: '128.00' });
    const [batch] = detail.batches as {
      id: string;
      batchNumber: string;
      producedOn: string;
      quantity: number;
    }[];
    expect(batch?.batchNumber).toMatch(/^HTG-\d{6}-01$/);
    expect(batch?.quantity).toBe(2000);
    expect(batch?.producedOn).toBe(shanghaiToday(new Date(Date.now() - 10 * 86_400_000)));
    const trace = (
      await app.inject({ method: 'GET', url: `/api/trace/batches/${batch?.id}`, headers: { cookie: county } })
    ).json();
    expect(trace.codes).toEqual({ generated: 100, scanned: 0, scans: 0 });

    const brands = (
      await app.inject({
        method: 'GET',
        url: '/api/brands?regionCode=140827-E01',
        headers: { cookie: county },
      })
    ).json() as { id: string; name: string }[];
    const regional = brands.find((brand) => brand.name === '垣曲六宝');
    const brand = (
      await app.inject({ method: 'GET', url: `/api/brands/${regional?.id}`, headers: { cookie: county } })
    ).json();
    expect(brand.standardText).toContain('地三宝——猴头菇、黑木耳、羊肚菌');
    expect(brand.standardText).toContain('不是正式发布的品牌标准');
    expect(brand.authorizations).toMatchObject([
      { entityName: '山西垣曲六宝电子商务有限公司（演示数据）', effectiveStatus: 'active' },
    ]);
  });

  it('writes no audit records for things nobody did', async () => {
    const records = await context.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(or(like(auditLog.action, 'trace.%'), like(auditLog.action, 'brand_authorization.%')));
    expect(records).toEqual([]);
  });
});
