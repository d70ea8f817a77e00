import { aliasedTable, and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { brands, products } from '../../db/schema/brands.ts';
import { entities } from '../../db/schema/entities.ts';
import { brandAuthorizations } from '../../db/schema/traceability.ts';
import { staleVersion } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { type AppError, conflict, invalidFields, notFound } from '../../http/errors.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { invalidateScanPages } from '../trace/scan-cache.ts';
import { authorizationsOfBrand } from './authorizations.service.ts';
import {
  brandScopeCondition,
  productScopeCondition,
  regionPrefix,
  requireVisibleBrand,
} from './brand-access.ts';
import {
  type BrandDetail,
  type BrandSummary,
  brandKindLabels,
  type CreateBrandInput,
  type UpdateBrandInput,
} from './brands.schemas.ts';

type BrandRow = typeof brands.$inferSelect;

const parentBrands = aliasedTable(brands, 'parent_brand');

async function presentBrands(executor: Executor, rows: BrandRow[]): Promise<BrandSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const today = shanghaiToday();
  const [names, owners, parents, authorizationCounts, productCounts] = await Promise.all([
    regionNames(
      executor,
      rows.map((row) => row.etownCode),
    ),
    executor
      .select({ id: entities.id, name: entities.name })
      .from(entities)
      .where(
        inArray(
          entities.id,
          rows.map((row) => row.ownerEntityId).filter((id): id is string => id !== null),
        ),
      ),
    executor
      .select({ id: parentBrands.id, name: parentBrands.name })
      .from(parentBrands)
      .where(
        inArray(
          parentBrands.id,
          rows.map((row) => row.parentBrandId).filter((id): id is string => id !== null),
        ),
      ),
    executor
      .select({
        brandId: brandAuthorizations.brandId,
        active: sql<number>`count(*) filter (where ${brandAuthorizations.status} = 'authorized'
          and ${brandAuthorizations.validFrom} <= ${today} and ${brandAuthorizations.validTo} >= ${today})::int`,
        pending: sql<number>`count(*) filter (where ${brandAuthorizations.status} = 'applied')::int`,
      })
      .from(brandAuthorizations)
      .where(inArray(brandAuthorizations.brandId, ids))
      .groupBy(brandAuthorizations.brandId),
    executor
      .select({ brandId: products.brandId, count: sql<number>`count(*)::int` })
      .from(products)
      .where(inArray(products.brandId, ids))
      .groupBy(products.brandId),
  ]);
  const ownerName = new Map(owners.map((row) => [row.id, row.name]));
  const parentName = new Map(parents.map((row) => [row.id, row.name]));
  return rows.map((row) => {
    const counts = authorizationCounts.find((count) => count.brandId === row.id);
    return {
      id: row.id,
      etownCode: row.etownCode,
      etownName: names.get(row.etownCode) ?? row.etownCode,
      name: row.name,
      kind: row.kind,
      description: row.description,
      trademarkNumber: row.trademarkNumber,
      ownerEntityId: row.ownerEntityId,
      ownerEntityName: row.ownerEntityId ? (ownerName.get(row.ownerEntityId) ?? null) : null,
      parentBrandId: row.parentBrandId,
      parentBrandName: row.parentBrandId ? (parentName.get(row.parentBrandId) ?? null) : null,
      hasStandard: Boolean(row.standardText || row.standardFileSha256),
      activeAuthorizations: counts?.active ?? 0,
      pendingApplications: counts?.pending ?? 0,
      productCount: productCounts.find((count) => count.brandId === row.id)?.count ?? 0,
      version: row.version,
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

export async function listBrands(
  context: AppContext,
  actor: Actor,
  query: { regionCode?: string; kind?: BrandRow['kind'] },
) {
  const { db } = context.database;
  if (query.regionCode) await requireVisibleRegion(db, actor, query.regionCode);
  const rows = await db
    .select()
    .from(brands)
    .where(
      and(
        brandScopeCondition(actor.scope),
        regionPrefix(brands.etownCode, query.regionCode),
        query.kind ? eq(brands.kind, query.kind) : undefined,
      ),
    )
    // Regional public brands first: they head their own brands.
    .orderBy(
      asc(brands.etownCode),
      sql`${brands.kind} = 'own'`,
      asc(brands.sortOrder),
      asc(brands.createdAt),
    );
  return presentBrands(db, rows);
}

export async function getBrand(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
): Promise<BrandDetail> {
  const row = await requireVisibleBrand(executor, actor, id);
  const [[summary], children, authorizations, productRows] = await Promise.all([
    presentBrands(executor, [row]),
    executor
      .select({ id: brands.id, name: brands.name, trademarkNumber: brands.trademarkNumber })
      .from(brands)
      .where(and(eq(brands.parentBrandId, id), brandScopeCondition(actor.scope)))
      .orderBy(asc(brands.sortOrder), asc(brands.createdAt)),
    authorizationsOfBrand(executor, actor, id),
    executor
      .select({ id: products.id, name: products.name, online: products.online, entityName: entities.name })
      .from(products)
      .leftJoin(entities, eq(entities.id, products.entityId))
      .where(and(eq(products.brandId, id), productScopeCondition(actor.scope)))
      .orderBy(asc(products.sortOrder), asc(products.createdAt)),
  ]);
  if (!summary) throw notFound('品牌');
  return {
    ...summary,
    standardText: row.standardText,
    standardFile:
      row.standardFileSha256 && row.standardFileName
        ? { fileName: row.standardFileName, sha256: row.standardFileSha256 }
        : null,
    childBrands: children,
    authorizations,
    products: productRows,
    createdAt: row.createdAt.toISOString(),
  };
}

type BrandLinks = Pick<BrandRow, 'etownCode' | 'kind'> &
  Partial<Pick<BrandRow, 'ownerEntityId' | 'parentBrandId' | 'name'>> & { id?: string };

/** Owner and parent must fit the kind: an own brand's owner lives in its e-town, its parent is a regional brand of its county. */
async function checkLinks(tx: Executor, brand: BrandLinks) {
  if (brand.kind === 'regional_public') {
    const problems = [];
    if (brand.ownerEntityId)
      problems.push({ path: 'ownerEntityId', message: '区域公用品牌由县级管理，不设权利人主体' });
    if (brand.parentBrandId)
      problems.push({ path: 'parentBrandId', message: '区域公用品牌不能隶属于其他品牌' });
    if (problems.length > 0) throw invalidFields(problems);
  }
  if (brand.ownerEntityId) {
    const [owner] = await tx
      .select({ etownCode: entities.etownCode })
      .from(entities)
      .where(eq(entities.id, brand.ownerEntityId));
    if (owner?.etownCode !== brand.etownCode) {
      throw invalidFields([{ path: 'ownerEntityId', message: '权利人须为品牌所在e镇的市场主体' }]);
    }
  }
  if (brand.parentBrandId) {
    const [parent] = await tx
      .select({ kind: brands.kind, etownCode: brands.etownCode })
      .from(brands)
      .where(eq(brands.id, brand.parentBrandId));
    if (parent?.kind !== 'regional_public' || parent.etownCode.slice(0, 6) !== brand.etownCode.slice(0, 6)) {
      throw invalidFields([{ path: 'parentBrandId', message: '母品牌须为本县的区域公用品牌' }]);
    }
  }
  if (brand.name !== undefined) {
    const [taken] = await tx
      .select({ id: brands.id })
      .from(brands)
      .where(
        and(eq(brands.etownCode, brand.etownCode), eq(brands.name, brand.name), eq(brands.kind, brand.kind)),
      );
    if (taken && taken.id !== brand.id) {
      throw conflict('brand_name_taken', `本e镇已有${brandKindLabels[brand.kind]}“${brand.name}”`, [
        { path: 'name', message: '本e镇已有同名品牌' },
      ]);
    }
  }
}

const auditView = ({ updatedAt: _updated, createdAt: _created, ...rest }: Partial<BrandRow>) => rest;

export async function createBrand(context: AppContext, actor: Actor, input: CreateBrandInput) {
  const id = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    await checkLinks(tx, input);
    const [last] = await tx
      .select({ sortOrder: sql<number>`coalesce(max(${brands.sortOrder}), -1)::int` })
      .from(brands)
      .where(eq(brands.etownCode, input.etownCode));
    const [row] = await tx
      .insert(brands)
      .values({ ...input, sortOrder: (last?.sortOrder ?? -1) + 1 })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await recordAudit(tx, actor, {
      action: 'brand.create',
      targetType: 'brand',
      targetId: row.id,
      regionCode: row.etownCode,
      diff: { after: auditView(row) },
    });
    return row.id;
  });
  invalidateScanPages();
  return getBrand(context, actor, id);
}

async function bumpVersion(
  tx: Transaction,
  id: string,
  version: number,
  values: Partial<BrandRow>,
  stale: () => Promise<AppError>,
) {
  const [updated] = await tx
    .update(brands)
    .set({ ...values, version: sql`${brands.version} + 1`, updatedAt: new Date() })
    .where(and(eq(brands.id, id), eq(brands.version, version)))
    .returning();
  if (!updated) throw await stale();
  return updated;
}

export async function updateBrand(context: AppContext, actor: Actor, id: string, input: UpdateBrandInput) {
  await context.database.db.transaction(async (tx) => {
    const before = await requireVisibleBrand(tx, actor, id, { forUpdate: true });
    const stale = async () => staleVersion(await getBrand(context, actor, id, tx));
    if (before.version !== input.version) throw await stale();
    const { version, ...fields } = input;
    await checkLinks(tx, {
      id,
      etownCode: before.etownCode,
      kind: before.kind,
      ownerEntityId: fields.ownerEntityId === undefined ? before.ownerEntityId : fields.ownerEntityId,
      parentBrandId: fields.parentBrandId === undefined ? before.parentBrandId : fields.parentBrandId,
      name: fields.name,
    });
    const after = await bumpVersion(tx, id, version, fields, stale);
    // The ledger keeps a product's brand by name.
    if (after.name !== before.name) {
      await tx.update(products).set({ brandName: after.name }).where(eq(products.brandId, id));
    }
    const changes = diffObjects(auditView(before), auditView(after));
    delete changes.version;
    await recordAudit(tx, actor, {
      action: 'brand.update',
      targetType: 'brand',
      targetId: id,
      regionCode: before.etownCode,
      diff: changes,
    });
  });
  invalidateScanPages();
  return getBrand(context, actor, id);
}

/** A brand goes only while nothing refers to it: authorizations, linked products, own brands under it. */
export async function deleteBrand(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const row = await requireVisibleBrand(tx, actor, id, { forUpdate: true });
    const count = async (table: typeof brandAuthorizations | typeof products | typeof brands, where: SQL) =>
      (await tx.select({ n: sql<number>`count(*)::int` }).from(table).where(where))[0]?.n ?? 0;
    const uses = [
      [await count(brandAuthorizations, eq(brandAuthorizations.brandId, id)), '条授权记录'],
      [await count(products, eq(products.brandId, id)), '个产品'],
      [await count(brands, eq(brands.parentBrandId, id)), '个子品牌'],
    ] as const;
    const inUse = uses.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
    if (inUse.length > 0) {
      throw conflict('brand_in_use', `“${row.name}”仍有${inUse.join('、')}，不能删除`);
    }
    await tx.delete(brands).where(eq(brands.id, id));
    await recordAudit(tx, actor, {
      action: 'brand.delete',
      targetType: 'brand',
      targetId: id,
      regionCode: row.etownCode,
      diff: { before: auditView(row) },
    });
  });
  invalidateScanPages();
}

export async function uploadBrandStandard(
  context: AppContext,
  actor: Actor,
  id: string,
  fileName: string,
  bytes: Buffer,
) {
  const brand = await requireVisibleBrand(context.database.db, actor, id);
  if (brand.kind !== 'regional_public') {
    throw conflict('brand_not_regional', '只有区域公用品牌需要上传品牌标准');
  }
  const { sha256 } = await storeAttachment(
    context,
    'brands',
    { accepts: 'document', what: '品牌标准文件' },
    bytes,
  );
  await context.database.db.transaction(async (tx) => {
    const before = await requireVisibleBrand(tx, actor, id, { forUpdate: true });
    await tx
      .update(brands)
      .set({
        standardFileSha256: sha256,
        standardFileName: fileName,
        version: sql`${brands.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(brands.id, id));
    await recordAudit(tx, actor, {
      action: 'brand.standard.upload',
      targetType: 'brand',
      targetId: id,
      regionCode: before.etownCode,
      diff: {
        standardFile: {
          before: before.standardFileName
            ? { name: before.standardFileName, sha256: before.standardFileSha256 }
            : null,
          after: { name: fileName, sha256, sizeBytes: bytes.length },
        },
      },
    });
  });
  invalidateScanPages();
  return getBrand(context, actor, id);
}

export async function readBrandStandard(context: AppContext, actor: Actor, id: string) {
  const brand = await requireVisibleBrand(context.database.db, actor, id);
  if (!brand.standardFileSha256 || !brand.standardFileName) throw notFound('品牌标准文件');
  return readAttachment(context, 'brands', {
    fileSha256: brand.standardFileSha256,
    fileName: brand.standardFileName,
  });
}
