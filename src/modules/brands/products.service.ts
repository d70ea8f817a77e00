import { and, asc, desc, eq, ilike, inArray, or, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { brands, products } from '../../db/schema/brands.ts';
import { entities, entityShops } from '../../db/schema/entities.ts';
import {
  batchInspections,
  brandAuthorizations,
  productBatches,
  productCertifications,
  productPhotos,
  productShops,
} from '../../db/schema/traceability.ts';
import { staleVersion, updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { requireVisibleEntity } from '../entities/entities.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { invalidateScanPages } from '../trace/scan-cache.ts';
import { effectiveAuthorizationStatus } from './authorization-rules.ts';
import {
  brandScopeCondition,
  productScopeCondition,
  regionPrefix,
  requireVisibleProduct,
} from './brand-access.ts';
import type {
  BatchView,
  CertificationInput,
  CreateProductInput,
  ListProductsQuery,
  ProductDetail,
  ProductShopInput,
  ProductSummary,
  UpdateCertificationInput,
  UpdateProductInput,
} from './brands.schemas.ts';

type ProductRow = typeof products.$inferSelect;

const priceYuan = (fen: bigint | null) => (fen === null ? null : formatFen(fen));

async function presentProducts(executor: Executor, rows: ProductRow[]): Promise<ProductSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const [names, brandRows, entityRows, photos, certifications, batches] = await Promise.all([
    regionNames(
      executor,
      rows.map((row) => row.etownCode),
    ),
    executor
      .select({ id: brands.id, kind: brands.kind })
      .from(brands)
      .where(
        inArray(
          brands.id,
          rows.map((row) => row.brandId).filter((id): id is string => id !== null),
        ),
      ),
    executor
      .select({ id: entities.id, name: entities.name })
      .from(entities)
      .where(
        inArray(
          entities.id,
          rows.map((row) => row.entityId).filter((id): id is string => id !== null),
        ),
      ),
    executor
      .select({ productId: productPhotos.productId, id: productPhotos.id })
      .from(productPhotos)
      .where(inArray(productPhotos.productId, ids))
      .orderBy(asc(productPhotos.sortOrder), asc(productPhotos.createdAt)),
    executor
      .select({ productId: productCertifications.productId, count: sql<number>`count(*)::int` })
      .from(productCertifications)
      .where(inArray(productCertifications.productId, ids))
      .groupBy(productCertifications.productId),
    executor
      .select({ productId: productBatches.productId, count: sql<number>`count(*)::int` })
      .from(productBatches)
      .where(inArray(productBatches.productId, ids))
      .groupBy(productBatches.productId),
  ]);
  const brandKind = new Map(brandRows.map((row) => [row.id, row.kind]));
  const entityName = new Map(entityRows.map((row) => [row.id, row.name]));
  return rows.map((row) => ({
    id: row.id,
    etownCode: row.etownCode,
    etownName: names.get(row.etownCode) ?? row.etownCode,
    name: row.name,
    brandId: row.brandId,
    brandName: row.brandName,
    brandKind: row.brandId ? (brandKind.get(row.brandId) ?? null) : null,
    entityId: row.entityId,
    entityName: row.entityId ? (entityName.get(row.entityId) ?? null) : null,
    category: row.category,
    specification: row.specification,
    priceYuan: priceYuan(row.priceFen),
    online: row.online,
    coverPhotoId: photos.find((photo) => photo.productId === row.id)?.id ?? null,
    certificationCount: certifications.find((count) => count.productId === row.id)?.count ?? 0,
    batchCount: batches.find((count) => count.productId === row.id)?.count ?? 0,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  }));
}

export async function listProducts(context: AppContext, actor: Actor, query: ListProductsQuery) {
  const { db } = context.database;
  if (query.regionCode) await requireVisibleRegion(db, actor, query.regionCode);
  const keyword = query.keyword?.trim();
  const pattern = keyword ? `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const condition = and(
    productScopeCondition(actor.scope),
    regionPrefix(products.etownCode, query.regionCode),
    query.brandId ? eq(products.brandId, query.brandId) : undefined,
    query.entityId ? eq(products.entityId, query.entityId) : undefined,
    pattern ? or(ilike(products.name, pattern), ilike(products.brandName, pattern)) : undefined,
  );
  const [rows, [counted]] = await Promise.all([
    db
      .select()
      .from(products)
      .where(condition)
      .orderBy(asc(products.etownCode), asc(products.sortOrder), asc(products.createdAt), asc(products.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ count: sql<number>`count(*)::int` }).from(products).where(condition),
  ]);
  return {
    items: await presentProducts(db, rows),
    total: counted?.count ?? 0,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Batches with their inspections, newest first. */
export async function presentBatches(executor: Executor, productIds: string[], batchId?: string) {
  if (productIds.length === 0) return [];
  const rows = await executor
    .select({ batch: productBatches, productName: products.name, createdByName: users.displayName })
    .from(productBatches)
    .innerJoin(products, eq(products.id, productBatches.productId))
    .leftJoin(users, eq(users.id, productBatches.createdBy))
    .where(
      and(
        inArray(productBatches.productId, productIds),
        batchId ? eq(productBatches.id, batchId) : undefined,
      ),
    )
    .orderBy(desc(productBatches.producedOn), desc(productBatches.createdAt));
  const inspections = rows.length
    ? await executor
        .select()
        .from(batchInspections)
        .where(
          inArray(
            batchInspections.batchId,
            rows.map((row) => row.batch.id),
          ),
        )
        .orderBy(desc(batchInspections.inspectedOn), desc(batchInspections.createdAt))
    : [];
  return rows.map(
    ({ batch, productName, createdByName }): BatchView => ({
      id: batch.id,
      productId: batch.productId,
      productName,
      batchNumber: batch.batchNumber,
      producedOn: batch.producedOn,
      quantity: batch.quantity,
      unit: batch.unit,
      originBase: batch.originBase,
      recalledAt: batch.recalledAt?.toISOString() ?? null,
      recallReason: batch.recallReason,
      createdByName,
      createdAt: batch.createdAt.toISOString(),
      inspections: inspections
        .filter((inspection) => inspection.batchId === batch.id)
        .map((inspection) => ({
          id: inspection.id,
          inspectedOn: inspection.inspectedOn,
          agency: inspection.agency,
          items: inspection.items,
          result: inspection.result,
          reportFileName: inspection.reportFileName,
          createdAt: inspection.createdAt.toISOString(),
        })),
    }),
  );
}

export async function getProduct(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
): Promise<ProductDetail> {
  const row = await requireVisibleProduct(executor, actor, id);
  const today = shanghaiToday();
  const [[summary], photos, shops, ownShops, certifications, authorizations, batches] = await Promise.all([
    presentProducts(executor, [row]),
    executor
      .select()
      .from(productPhotos)
      .where(eq(productPhotos.productId, id))
      .orderBy(asc(productPhotos.sortOrder), asc(productPhotos.createdAt)),
    executor
      .select({ link: productShops, shop: entityShops })
      .from(productShops)
      .innerJoin(entityShops, eq(entityShops.id, productShops.shopId))
      .where(eq(productShops.productId, id))
      .orderBy(asc(entityShops.createdAt)),
    row.entityId
      ? executor
          .select({ id: entityShops.id, platform: entityShops.platform, shopName: entityShops.shopName })
          .from(entityShops)
          .where(eq(entityShops.entityId, row.entityId))
          .orderBy(asc(entityShops.createdAt))
      : Promise.resolve([]),
    executor
      .select()
      .from(productCertifications)
      .where(eq(productCertifications.productId, id))
      .orderBy(asc(productCertifications.createdAt)),
    row.entityId && row.brandId
      ? executor
          .select()
          .from(brandAuthorizations)
          .where(
            and(eq(brandAuthorizations.brandId, row.brandId), eq(brandAuthorizations.entityId, row.entityId)),
          )
          .orderBy(desc(brandAuthorizations.createdAt))
      : Promise.resolve([]),
    presentBatches(executor, [id]),
  ]);
  if (!summary) throw notFound('产品');
  const authorization = authorizations[0];
  return {
    ...summary,
    description: row.description,
    photos: photos.map((photo) => ({
      id: photo.id,
      fileName: photo.fileName,
      mediaType: photo.mediaType,
      sizeBytes: photo.sizeBytes,
    })),
    shops: shops.map(({ link, shop }) => ({
      shopId: shop.id,
      platform: shop.platform,
      shopName: shop.shopName,
      shopUrl: shop.url,
      url: link.url,
    })),
    entityShops: ownShops,
    certifications: certifications.map((certification) => ({
      id: certification.id,
      kind: certification.kind,
      number: certification.number,
      issuer: certification.issuer,
      validFrom: certification.validFrom,
      validTo: certification.validTo,
      expired: certification.validTo !== null && certification.validTo < today,
      version: certification.version,
    })),
    brandAuthorization: authorization
      ? {
          id: authorization.id,
          effectiveStatus: effectiveAuthorizationStatus(authorization, today),
          certificateNumber: authorization.certificateNumber,
          validTo: authorization.validTo,
        }
      : null,
    batches,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The brand a product sells under: visible, and of the product's county. */
async function requireProductBrand(tx: Executor, actor: Actor, brandId: string, etownCode: string) {
  const [brand] = await tx
    .select()
    .from(brands)
    .where(and(eq(brands.id, brandId), brandScopeCondition(actor.scope)));
  if (!brand || brand.etownCode.slice(0, 6) !== etownCode.slice(0, 6)) {
    throw invalidFields([{ path: 'brandId', message: '品牌须为生产主体所在县的品牌' }]);
  }
  return brand;
}

const auditView = ({ updatedAt: _updated, createdAt: _created, priceFen, ...rest }: Partial<ProductRow>) => ({
  ...rest,
  ...(priceFen === undefined ? {} : { priceYuan: priceYuan(priceFen) }),
});

async function refuseTakenName(tx: Executor, etownCode: string, name: string, exceptId?: string) {
  const [taken] = await tx
    .select({ id: products.id })
    .from(products)
    .where(and(eq(products.etownCode, etownCode), eq(products.name, name)));
  // Products are matched by name when a ledger is imported, so a name names one product per e-town.
  if (taken && taken.id !== exceptId) {
    throw conflict('product_name_taken', `本e镇已有产品“${name}”`, [
      { path: 'name', message: '本e镇已有同名产品' },
    ]);
  }
}

export async function createProduct(context: AppContext, actor: Actor, input: CreateProductInput) {
  const id = await context.database.db.transaction(async (tx) => {
    const entity = await requireVisibleEntity(tx, actor, input.entityId);
    if (entity.status === 'exited') {
      throw invalidFields([{ path: 'entityId', message: `${entity.name}已退出，不能登记新产品` }]);
    }
    const brand = await requireProductBrand(tx, actor, input.brandId, entity.etownCode);
    await refuseTakenName(tx, entity.etownCode, input.name);
    const [last] = await tx
      .select({ sortOrder: sql<number>`coalesce(max(${products.sortOrder}), -1)::int` })
      .from(products)
      .where(eq(products.etownCode, entity.etownCode));
    const [row] = await tx
      .insert(products)
      .values({
        etownCode: entity.etownCode,
        name: input.name,
        brandId: brand.id,
        brandName: brand.name,
        entityId: entity.id,
        category: input.category,
        specification: input.specification,
        priceFen: input.priceFen,
        online: input.online,
        description: input.description,
        sortOrder: (last?.sortOrder ?? -1) + 1,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'product.create',
      targetType: 'product',
      targetId: row.id,
      regionCode: entity.etownCode,
      diff: { after: auditView(row) },
    });
    return row.id;
  });
  invalidateScanPages();
  return getProduct(context, actor, id);
}

export async function updateProduct(
  context: AppContext,
  actor: Actor,
  id: string,
  input: UpdateProductInput,
) {
  await context.database.db.transaction(async (tx) => {
    const before = await requireVisibleProduct(tx, actor, id, { forUpdate: true });
    const current = async () => staleVersion(await getProduct(context, actor, id, tx));
    if (before.version !== input.version) throw await current();
    const { version, priceFen: price, entityId, brandId, ...fields } = input;
    const values: Partial<ProductRow> = { ...fields };
    if (price !== undefined) values.priceFen = price;
    if (entityId !== undefined && entityId !== before.entityId) {
      const entity = await requireVisibleEntity(tx, actor, entityId);
      if (entity.etownCode !== before.etownCode) {
        throw invalidFields([{ path: 'entityId', message: '生产主体须为产品所在e镇的市场主体' }]);
      }
      values.entityId = entityId;
      // Shops belong to the producer: a new producer starts with none.
      await tx.delete(productShops).where(eq(productShops.productId, id));
    }
    if (brandId !== undefined) {
      const brand = await requireProductBrand(tx, actor, brandId, before.etownCode);
      values.brandId = brand.id;
      values.brandName = brand.name;
    }
    if (fields.name !== undefined) await refuseTakenName(tx, before.etownCode, fields.name, id);
    const [after] = await tx
      .update(products)
      .set({ ...values, version: sql`${products.version} + 1`, updatedAt: new Date() })
      .where(and(eq(products.id, id), eq(products.version, version)))
      .returning();
    if (!after) throw await current();
    const changes = diffObjects(auditView(before), auditView(after));
    delete changes.version;
    await recordAudit(tx, actor, {
      action: 'product.update',
      targetType: 'product',
      targetId: id,
      regionCode: before.etownCode,
      diff: changes,
    });
  });
  invalidateScanPages();
  return getProduct(context, actor, id);
}

export async function deleteProduct(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const row = await requireVisibleProduct(tx, actor, id, { forUpdate: true });
    const [batches] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(productBatches)
      .where(eq(productBatches.productId, id));
    if ((batches?.n ?? 0) > 0) {
      throw conflict('product_has_batches', `“${row.name}”已有 ${batches?.n} 个批次，不能删除`);
    }
    await tx.delete(products).where(eq(products.id, id));
    await recordAudit(tx, actor, {
      action: 'product.delete',
      targetType: 'product',
      targetId: id,
      regionCode: row.etownCode,
      diff: { before: auditView(row) },
    });
  });
  invalidateScanPages();
}

/** Runs a change of a product's parts in a transaction with its audit record, then re-reads the product. */
async function changeProduct(
  context: AppContext,
  actor: Actor,
  id: string,
  change: (
    tx: Transaction,
    product: ProductRow,
  ) => Promise<{ action: string; diff: Record<string, unknown> }>,
) {
  await context.database.db.transaction(async (tx) => {
    const product = await requireVisibleProduct(tx, actor, id, { forUpdate: true });
    const { action, diff } = await change(tx, product);
    await recordAudit(tx, actor, {
      action,
      targetType: 'product',
      targetId: id,
      regionCode: product.etownCode,
      diff,
    });
  });
  invalidateScanPages();
  return getProduct(context, actor, id);
}

// ---- photos ----

export async function addProductPhoto(
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  // Scope first, so nothing is stored for a caller who may not see the product.
  await requireVisibleProduct(context.database.db, actor, id);
  const { sha256, mediaType } = await storeAttachment(
    context,
    'brands',
    { accepts: 'photo', what: '产品图片' },
    bytes,
  );
  return changeProduct(context, actor, id, async (tx) => {
    const [last] = await tx
      .select({ sortOrder: sql<number>`coalesce(max(${productPhotos.sortOrder}), -1)::int` })
      .from(productPhotos)
      .where(eq(productPhotos.productId, id));
    const [photo] = await tx
      .insert(productPhotos)
      .values({
        productId: id,
        fileSha256: sha256,
        fileName,
        mediaType,
        sizeBytes: bytes.length,
        sortOrder: (last?.sortOrder ?? -1) + 1,
      })
      .returning();
    return { action: 'product.photo.add', diff: { photo: { before: null, after: photo } } };
  });
}

export async function removeProductPhoto(context: AppContext, actor: Actor, id: string, photoId: string) {
  return changeProduct(context, actor, id, async (tx) => {
    const [removed] = await tx
      .delete(productPhotos)
      .where(and(eq(productPhotos.id, photoId), eq(productPhotos.productId, id)))
      .returning();
    if (!removed) throw notFound('产品图片');
    return { action: 'product.photo.remove', diff: { photo: { before: removed, after: null } } };
  });
}

export async function readProductPhoto(context: AppContext, actor: Actor, id: string, photoId: string) {
  await requireVisibleProduct(context.database.db, actor, id);
  const [photo] = await context.database.db
    .select()
    .from(productPhotos)
    .where(and(eq(productPhotos.id, photoId), eq(productPhotos.productId, id)));
  if (!photo) throw notFound('产品图片');
  return readAttachment(context, 'brands', photo);
}

// ---- shops ----

export async function addProductShop(context: AppContext, actor: Actor, id: string, input: ProductShopInput) {
  return changeProduct(context, actor, id, async (tx, product) => {
    const [shop] = await tx.select().from(entityShops).where(eq(entityShops.id, input.shopId));
    if (!shop || shop.entityId !== product.entityId) {
      throw invalidFields([{ path: 'shopId', message: '只能选择生产主体自己的网店' }]);
    }
    const inserted = await tx
      .insert(productShops)
      .values({ productId: id, shopId: shop.id, url: input.url })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) throw conflict('shop_linked', `该产品已关联网店“${shop.shopName}”`);
    return {
      action: 'product.shop.add',
      diff: {
        shop: { before: null, after: { shopName: shop.shopName, platform: shop.platform, url: input.url } },
      },
    };
  });
}

export async function removeProductShop(context: AppContext, actor: Actor, id: string, shopId: string) {
  return changeProduct(context, actor, id, async (tx) => {
    const [removed] = await tx
      .delete(productShops)
      .where(and(eq(productShops.productId, id), eq(productShops.shopId, shopId)))
      .returning();
    if (!removed) throw notFound('关联网店');
    return { action: 'product.shop.remove', diff: { shop: { before: removed, after: null } } };
  });
}

// ---- certifications ----

export async function addCertification(
  context: AppContext,
  actor: Actor,
  id: string,
  input: CertificationInput,
) {
  return changeProduct(context, actor, id, async (tx) => {
    const [row] = await tx
      .insert(productCertifications)
      .values({ productId: id, ...input })
      .returning();
    return { action: 'product.certification.add', diff: { certification: { before: null, after: row } } };
  });
}

export async function updateCertification(
  context: AppContext,
  actor: Actor,
  id: string,
  certificationId: string,
  input: UpdateCertificationInput,
) {
  return changeProduct(context, actor, id, async (tx) => {
    const where = and(eq(productCertifications.id, certificationId), eq(productCertifications.productId, id));
    const [before] = await tx.select().from(productCertifications).where(where);
    if (!before) throw notFound('认证');
    const { version, ...fields } = input;
    const after = await updateVersioned(
      tx,
      productCertifications,
      where,
      version,
      fields,
      () => getProduct(context, actor, id, tx),
      '认证',
    );
    const changes = diffObjects(before, after);
    delete changes.version;
    return { action: 'product.certification.update', diff: changes };
  });
}

export async function removeCertification(
  context: AppContext,
  actor: Actor,
  id: string,
  certificationId: string,
) {
  return changeProduct(context, actor, id, async (tx) => {
    const [removed] = await tx
      .delete(productCertifications)
      .where(and(eq(productCertifications.id, certificationId), eq(productCertifications.productId, id)))
      .returning();
    if (!removed) throw notFound('认证');
    return {
      action: 'product.certification.remove',
      diff: { certification: { before: removed, after: null } },
    };
  });
}
