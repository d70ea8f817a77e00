import { and, asc, eq } from 'drizzle-orm';
import type { AppContext } from '../../http/context.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { certificatePrefix, nextCertificateNumber } from '../../modules/brands/authorization-rules.ts';
import { withCopyTransaction } from '../../modules/stats/monthly-import-copy.ts';
import { traceCodeSigner, traceCodeUrl, traceMacKeyOf } from '../../modules/trace/trace-code.ts';
import { writeTraceCodeRun } from '../../modules/trace/trace-generation.ts';
import type { Executor } from '../client.ts';
import { brands, products } from '../schema/brands.ts';
import { entities } from '../schema/entities.ts';
import {
  batchInspections,
  brandAuthorizationEvents,
  brandAuthorizations,
  productBatches,
  productCertifications,
  traceCodeRuns,
  traceCodes,
} from '../schema/traceability.ts';

const ETOWN = '140827-E01';
const BRAND = '垣曲六宝';
const PRODUCT = '垣曲猴头菇礼盒';
const DEMO_CODES = 100;

/** A day `days` after (or before, when negative) a YYYY-MM-DD, as YYYY-MM-DD. */
function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * 演示数据 for traceability, on top of the demo ledger: 垣曲六宝 with a description and a summary of its
 * standard, authorized for 山西垣曲六宝电子商务有限公司 for 垣曲猴头菇礼盒; the product's catalogue details, a
 * certification, a batch with a passing inspection and a run of codes, so a newcomer can open a scan page.
 * Rows are written directly, as the system, without audit records (nobody did these things).
 */
export async function seedDemoTraceability(context: AppContext, label: string): Promise<void> {
  const today = shanghaiToday();
  const year = Number(today.slice(0, 4));
  const producedOn = addDays(today, -10);
  const signer = traceCodeSigner(traceMacKeyOf(context));
  await withCopyTransaction(context.database, async (transaction) => {
    const db = transaction.executor;
    const { brand, entity, product } = await findDemoRows(db, label);
    await authorizeDemoBrand(db, { brandId: brand.id, entityId: entity.id }, label, year);
    await describeDemoProduct(
      db,
      { productId: product.id, brandId: brand.id, entityId: entity.id },
      label,
      year,
    );

    const [batch] = await db
      .insert(productBatches)
      .values({
        productId: product.id,
        batchNumber: `HTG-${producedOn.slice(0, 7).replace('-', '')}-01`,
        producedOn,
        quantity: 2000,
        unit: '盒',
        originBase: `皋落乡历山猴头菇标准化种植基地（${label}）`,
      })
      .returning({ id: productBatches.id });
    const batchId = batch?.id as string;
    await db.insert(batchInspections).values({
      batchId,
      inspectedOn: addDays(producedOn, 3),
      agency: `运城市农产品质量安全检验检测中心（${label}）`,
      items: '农药残留、重金属',
      result: 'pass',
    });
    await writeTraceCodeRun(transaction, signer, {
      batchId,
      count: DEMO_CODES,
      createdBy: null,
      jobId: null,
    });
  });
}

/** The demo ledger's regional brand, e-commerce company and product the demo builds on. */
async function findDemoRows(db: Executor, label: string) {
  const [brand] = await db
    .select({ id: brands.id })
    .from(brands)
    .where(and(eq(brands.etownCode, ETOWN), eq(brands.name, BRAND), eq(brands.kind, 'regional_public')));
  const [entity] = await db
    .select({ id: entities.id })
    .from(entities)
    .where(and(eq(entities.etownCode, ETOWN), eq(entities.name, `山西垣曲六宝电子商务有限公司（${label}）`)));
  const [product] = await db
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.etownCode, ETOWN), eq(products.name, PRODUCT)));
  if (!brand || !entity || !product) {
    throw new Error(
      `demo traceability: the demo ledger lacks ${BRAND}, its e-commerce company or ${PRODUCT}`,
    );
  }
  return { brand, entity, product };
}

/** The brand's description and standard, and its authorization for the company (this year and next). */
async function authorizeDemoBrand(
  db: Executor,
  { brandId, entityId }: { brandId: string; entityId: string },
  label: string,
  year: number,
) {
  await db
    .update(brands)
    .set({
      description: `垣曲县区域公用品牌，以食用菌特色产业为基础，涵盖“地三宝”和“水三宝”六类特色农产品。（${label}）`,
      standardText: [
        `本文为演示用的品牌标准摘要，不是正式发布的品牌标准。（${label}）`,
        '“垣曲六宝”：地三宝——猴头菇、黑木耳、羊肚菌；水三宝——黄河大鲤鱼、库区小银鱼、历山娃娃鱼。',
        '使用品牌的产品须产自垣曲县域内备案基地，每个批次经检验检测合格，包装标注品牌授权证书编号和追溯码。',
      ].join('\n'),
    })
    .where(eq(brands.id, brandId));

  const certificateNumber = nextCertificateNumber(certificatePrefix(BRAND), year, []);
  const validFrom = `${year}-01-01`;
  const validTo = `${year + 1}-12-31`;
  const [authorization] = await db
    .insert(brandAuthorizations)
    .values({
      brandId,
      entityId,
      productNames: [PRODUCT],
      applicationNote: `猴头菇产自皋落乡历山备案基地，批批检测。（${label}）`,
      status: 'authorized',
      certificateNumber,
      validFrom,
      validTo,
    })
    .returning({ id: brandAuthorizations.id });
  await db.insert(brandAuthorizationEvents).values([
    { authorizationId: authorization?.id as string, action: 'applied', reason: null },
    {
      authorizationId: authorization?.id as string,
      action: 'authorized',
      reason: `证书 ${certificateNumber}，有效期 ${validFrom} 至 ${validTo}（${label}）`,
    },
  ]);
}

/** The product's catalogue details, linked to the brand and the company, and a green-food certification. */
async function describeDemoProduct(
  db: Executor,
  { productId, brandId, entityId }: { productId: string; brandId: string; entityId: string },
  label: string,
  year: number,
) {
  await db
    .update(products)
    .set({
      brandId,
      entityId,
      category: '食用菌',
      specification: '250g×4袋/盒',
      priceFen: 12800n,
      description: `皋落乡历山林下种植的猴头菇，烘干分装，礼盒装。（${label}）`,
    })
    .where(eq(products.id, productId));
  await db.insert(productCertifications).values({
    productId,
    kind: 'green_food',
    number: `LB-18-${year}0001（演示编号）`,
    issuer: '中国绿色食品发展中心',
    validFrom: `${year}-01-01`,
    validTo: `${year + 2}-12-31`,
  });
}

/** The scan page of the demo's first trace code, for the start-up message; null without the demo. */
export async function demoScanUrl(context: AppContext): Promise<string | null> {
  const [row] = await context.database.db
    .select({ code: traceCodes.code })
    .from(traceCodes)
    .innerJoin(traceCodeRuns, eq(traceCodeRuns.id, traceCodes.runId))
    .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
    .innerJoin(products, eq(products.id, productBatches.productId))
    .where(and(eq(products.etownCode, ETOWN), eq(products.name, PRODUCT)))
    .orderBy(asc(traceCodeRuns.runNumber), asc(traceCodes.serial))
    .limit(1);
  return row ? traceCodeUrl(context.config.publicUrl, row.code) : null;
}
