import { randomUUID } from 'node:crypto';
import type { Executor } from '../../db/client.ts';
import { brands, products } from '../../db/schema/brands.ts';
import { entities, entityShops } from '../../db/schema/entities.ts';
import {
  type BrandAuthorizationStatus,
  batchInspections,
  brandAuthorizations,
  productBatches,
  productCertifications,
  productShops,
} from '../../db/schema/traceability.ts';

type AuthorizationOption = { status: BrandAuthorizationStatus; validFrom: string; validTo: string };

/**
 * A product with everything a scan page shows, written straight into the tables (tests and benches;
 * the brands module owns the real forms): regional brand, authorization, producer, batch, inspection,
 * certification and a shop.
 */
export async function buildTracedProduct(
  db: Executor,
  options: {
    etownCode: string;
    productName?: string;
    authorization?: AuthorizationOption | null;
    contactPhone?: string;
  },
): Promise<{
  productId: string;
  batchId: string;
  brandId: string;
  entityId: string;
  authorizationId: string | null;
}> {
  const suffix = randomUUID().slice(0, 8);
  const productName = options.productName ?? `垣曲香菇 ${suffix}`;
  const [entity] = await db
    .insert(entities)
    .values({
      creditCode: `91140827T${suffix.toUpperCase()}X`.slice(0, 18),
      name: `垣曲县溯源测试合作社${suffix}`,
      etownCode: options.etownCode,
      contactName: '王联系人',
      contactPhoneMasked: options.contactPhone
        ? `${options.contactPhone.slice(0, 3)}****${options.contactPhone.slice(-4)}`
        : null,
    })
    .returning({ id: entities.id });
  const entityId = entity?.id as string;
  const [brand] = await db
    .insert(brands)
    .values({ etownCode: options.etownCode, name: `垣曲六宝${suffix}`, kind: 'regional_public' })
    .returning({ id: brands.id });
  const brandId = brand?.id as string;
  const [product] = await db
    .insert(products)
    .values({
      etownCode: options.etownCode,
      name: productName,
      brandName: `垣曲六宝${suffix}`,
      online: true,
      brandId,
      entityId,
      category: '食用菌',
      specification: '250g×4袋/盒',
      priceFen: 5990n,
    })
    .returning({ id: products.id });
  const productId = product?.id as string;
  const authorizationId =
    options.authorization === null
      ? null
      : await insertAuthorization(db, options.authorization, { brandId, entityId, productName, suffix });
  const [batch] = await db
    .insert(productBatches)
    .values({
      productId,
      batchNumber: `XG-2025-${suffix}`,
      producedOn: '2025-09-18',
      quantity: 1200,
      unit: '盒',
      originBase: '皋落乡香菇种植基地',
    })
    .returning({ id: productBatches.id });
  const batchId = batch?.id as string;
  await db.insert(batchInspections).values({
    batchId,
    inspectedOn: '2025-09-20',
    agency: '垣曲县农产品质量安全检测站',
    items: '农药残留、重金属',
    result: 'pass',
  });
  await db.insert(productCertifications).values({
    productId,
    kind: 'green_food',
    number: `LB-${suffix}`,
    issuer: '中国绿色食品发展中心',
    validFrom: '2024-01-01',
    validTo: '2027-12-31',
  });
  const [shop] = await db
    .insert(entityShops)
    .values({ entityId, platform: '抖音', shopName: '皋陶农品官方店', url: 'https://shop.example.cn/yq' })
    .returning({ id: entityShops.id });
  await db.insert(productShops).values({ productId, shopId: shop?.id as string, url: null });
  return { productId, batchId, brandId, entityId, authorizationId };
}

/** The producer's authorization to use the brand for the product; valid until 2099 unless given. */
async function insertAuthorization(
  db: Executor,
  option: AuthorizationOption | undefined,
  of: { brandId: string; entityId: string; productName: string; suffix: string },
): Promise<string | null> {
  const authorization = option ?? {
    status: 'authorized' as const,
    validFrom: '2024-01-01',
    validTo: '2099-12-31',
  };
  const [row] = await db
    .insert(brandAuthorizations)
    .values({
      brandId: of.brandId,
      entityId: of.entityId,
      productNames: [of.productName],
      status: authorization.status,
      certificateNumber: `YQLB-${of.suffix}`,
      validFrom: authorization.validFrom,
      validTo: authorization.validTo,
    })
    .returning({ id: brandAuthorizations.id });
  return row?.id ?? null;
}
