import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Actor, Scope } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { brands, products } from '../../db/schema/brands.ts';
import { brandAuthorizations, productBatches } from '../../db/schema/traceability.ts';
import { notFound } from '../../http/errors.ts';

/** Brands of the e-towns in scope; an enterprise sees its own e-town's brands (to apply for one). */
export const brandScopeCondition = (scope: Scope): SQL | undefined =>
  regionScopeCondition(scope, brands.etownCode);

/** Authorizations under brands in scope; an enterprise only its own entity's. */
export function authorizationScopeCondition(scope: Scope): SQL | undefined {
  if (scope.kind === 'entity') {
    return scope.entityId ? eq(brandAuthorizations.entityId, scope.entityId) : sql`false`;
  }
  return regionScopeCondition(scope, brands.etownCode);
}

/** Products of the e-towns in scope; an enterprise only the products it makes. */
export function productScopeCondition(scope: Scope): SQL | undefined {
  if (scope.kind === 'entity') return scope.entityId ? eq(products.entityId, scope.entityId) : sql`false`;
  return regionScopeCondition(scope, products.etownCode);
}

type Lock = { forUpdate?: boolean };

export async function requireVisibleBrand(executor: Executor, actor: Actor, id: string, lock: Lock = {}) {
  const query = executor
    .select()
    .from(brands)
    .where(and(eq(brands.id, id), brandScopeCondition(actor.scope)));
  const [row] = lock.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('品牌');
  return row;
}

export async function requireVisibleAuthorization(
  executor: Executor,
  actor: Actor,
  id: string,
  lock: Lock = {},
) {
  const query = executor
    .select({ authorization: brandAuthorizations, brand: brands })
    .from(brandAuthorizations)
    .innerJoin(brands, eq(brands.id, brandAuthorizations.brandId))
    .where(and(eq(brandAuthorizations.id, id), authorizationScopeCondition(actor.scope)));
  const [row] = lock.forUpdate ? await query.for('update', { of: brandAuthorizations }) : await query;
  if (!row) throw notFound('品牌授权');
  return row;
}

export async function requireVisibleProduct(executor: Executor, actor: Actor, id: string, lock: Lock = {}) {
  const query = executor
    .select()
    .from(products)
    .where(and(eq(products.id, id), productScopeCondition(actor.scope)));
  const [row] = lock.forUpdate ? await query.for('update') : await query;
  if (!row) throw notFound('产品');
  return row;
}

export async function requireVisibleBatch(executor: Executor, actor: Actor, id: string, lock: Lock = {}) {
  const query = executor
    .select({ batch: productBatches, product: products })
    .from(productBatches)
    .innerJoin(products, eq(products.id, productBatches.productId))
    .where(and(eq(productBatches.id, id), productScopeCondition(actor.scope)));
  const [row] = lock.forUpdate ? await query.for('update', { of: productBatches }) : await query;
  if (!row) throw notFound('批次');
  return row;
}

/** A list filter for `regionCode`: the subtree of a region the caller may see. */
export const regionPrefix = (column: Parameters<typeof regionScopeCondition>[1], code: string | undefined) =>
  code ? sql`${column} like ${`${code}%`}` : undefined;
