import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/client.ts';
import { insertInChunks, withLedgerOrder } from '../../db/ledger-rows.ts';
import { brands, mediaChannels, products, promotionEvents } from '../../db/schema/brands.ts';
import { brandAuthorizations, productBatches } from '../../db/schema/traceability.ts';
import type { Ledger } from '../../indicators/ledger-schema.ts';

type BrandsLedgerSection = Pick<Ledger, 'brands' | 'products' | 'events' | 'mediaChannels'>;

/**
 * Writes the brands module's section of an e-town's ledger inside the caller's transaction: events and
 * media channels are replaced, brands and products merged (see below). Returns the brands and products
 * kept although the ledger omits them.
 */
export async function importBrandsLedgerSection(
  tx: Transaction,
  etownCode: string,
  ledger: BrandsLedgerSection,
): Promise<{ keptBrands: string[]; keptProducts: string[] }> {
  await tx.delete(promotionEvents).where(eq(promotionEvents.etownCode, etownCode));
  await tx.delete(mediaChannels).where(eq(mediaChannels.etownCode, etownCode));
  await insertInChunks(
    withLedgerOrder(
      ledger.events.map((row) => ({ kind: row.kind, heldOn: row.date, title: row.title })),
      etownCode,
    ),
    (chunk) => tx.insert(promotionEvents).values(chunk),
  );
  await insertInChunks(withLedgerOrder(ledger.mediaChannels, etownCode), (chunk) =>
    tx.insert(mediaChannels).values(chunk),
  );
  return mergeBrandsAndProducts(tx, ledger, etownCode);
}

/**
 * Brands and products carry platform data (authorizations, batches and so trace codes), so they are merged,
 * not replaced: a brand is matched by name and kind, a product by name. Matched rows take the ledger's
 * fields and order, new ones are inserted (linked to the e-town's brand of that name), and the others go
 * only when nothing refers to them; the rest are kept after the ledger's rows and reported.
 */
async function mergeBrandsAndProducts(
  tx: Transaction,
  ledger: Pick<Ledger, 'brands' | 'products'>,
  etownCode: string,
) {
  const { unmatchedBrands, brandIdByName } = await mergeLedgerBrands(tx, ledger.brands, etownCode);
  const unmatchedProducts = await mergeLedgerProducts(tx, ledger.products, etownCode, brandIdByName);
  const keptProducts = await removeProductsWithoutBatches(tx, unmatchedProducts);
  const keptBrands = await removeUnusedBrands(tx, unmatchedBrands, etownCode);

  // Kept rows go after the ledger's, in their previous order.
  for (const [index, row] of keptBrands.entries()) {
    await tx
      .update(brands)
      .set({ sortOrder: ledger.brands.length + index })
      .where(eq(brands.id, row.id));
  }
  for (const [index, row] of keptProducts.entries()) {
    await tx
      .update(products)
      .set({ sortOrder: ledger.products.length + index })
      .where(eq(products.id, row.id));
  }
  return { keptBrands: keptBrands.map((row) => row.name), keptProducts: keptProducts.map((row) => row.name) };
}

/** Matches the ledger's brands to the e-town's by name and kind; returns the unmatched and the ids by name. */
async function mergeLedgerBrands(tx: Transaction, ledgerBrands: Ledger['brands'], etownCode: string) {
  const previousBrands = await tx
    .select()
    .from(brands)
    .where(eq(brands.etownCode, etownCode))
    .orderBy(asc(brands.sortOrder), asc(brands.createdAt));
  const unmatchedBrands = [...previousBrands];
  const brandIdByName = new Map<string, string>();
  for (const [sortOrder, brand] of ledgerBrands.entries()) {
    const index = unmatchedBrands.findIndex((row) => row.name === brand.name && row.kind === brand.kind);
    const [matched] = index >= 0 ? unmatchedBrands.splice(index, 1) : [];
    let id = matched?.id;
    if (matched) {
      if (matched.sortOrder !== sortOrder)
        await tx.update(brands).set({ sortOrder }).where(eq(brands.id, matched.id));
    } else {
      const [row] = await tx
        .insert(brands)
        .values({ etownCode, name: brand.name, kind: brand.kind, sortOrder })
        .returning({ id: brands.id });
      id = row?.id;
    }
    if (id && !brandIdByName.has(brand.name)) brandIdByName.set(brand.name, id);
  }
  return { unmatchedBrands, brandIdByName };
}

/** Matches the ledger's products to the e-town's by name; returns the e-town's products left unmatched. */
async function mergeLedgerProducts(
  tx: Transaction,
  ledgerProducts: Ledger['products'],
  etownCode: string,
  brandIdByName: Map<string, string>,
) {
  const previousProducts = await tx
    .select()
    .from(products)
    .where(eq(products.etownCode, etownCode))
    .orderBy(asc(products.sortOrder), asc(products.createdAt));
  const unmatchedProducts = [...previousProducts];
  for (const [sortOrder, product] of ledgerProducts.entries()) {
    const index = unmatchedProducts.findIndex((row) => row.name === product.name);
    const [matched] = index >= 0 ? unmatchedProducts.splice(index, 1) : [];
    const linkedBrandId = brandIdByName.get(product.brand) ?? null;
    if (matched) {
      // A product keeps its brand link while the ledger names the same brand.
      const brandId =
        matched.brandName === product.brand && matched.brandId ? matched.brandId : linkedBrandId;
      await tx
        .update(products)
        .set({ brandName: product.brand, online: product.online, brandId, sortOrder })
        .where(eq(products.id, matched.id));
    } else {
      await tx.insert(products).values({
        etownCode,
        name: product.name,
        brandName: product.brand,
        online: product.online,
        brandId: linkedBrandId,
        sortOrder,
      });
    }
  }
  return unmatchedProducts;
}

/** Deletes the unmatched products without batches; returns those kept. */
async function removeProductsWithoutBatches(
  tx: Transaction,
  unmatchedProducts: (typeof products.$inferSelect)[],
) {
  const productsWithBatches = new Set(
    unmatchedProducts.length === 0
      ? []
      : (
          await tx
            .selectDistinct({ productId: productBatches.productId })
            .from(productBatches)
            .where(
              inArray(
                productBatches.productId,
                unmatchedProducts.map((row) => row.id),
              ),
            )
        ).map((row) => row.productId),
  );
  const keptProducts = unmatchedProducts.filter((row) => productsWithBatches.has(row.id));
  const removableProducts = unmatchedProducts.filter((row) => !productsWithBatches.has(row.id));
  if (removableProducts.length > 0) {
    await tx.delete(products).where(
      inArray(
        products.id,
        removableProducts.map((row) => row.id),
      ),
    );
  }
  return keptProducts;
}

/** Deletes the unmatched brands nothing refers to; returns those kept. */
async function removeUnusedBrands(
  tx: Transaction,
  unmatchedBrands: (typeof brands.$inferSelect)[],
  etownCode: string,
) {
  const unmatchedBrandIds = unmatchedBrands.map((row) => row.id);
  // In use: authorized, or the brand of a product with batches or of another e-town's product.
  const inUse = new Set(
    unmatchedBrandIds.length === 0
      ? []
      : [
          ...(
            await tx
              .selectDistinct({ brandId: brandAuthorizations.brandId })
              .from(brandAuthorizations)
              .where(inArray(brandAuthorizations.brandId, unmatchedBrandIds))
          ).map((row) => row.brandId),
          ...(
            await tx
              .selectDistinct({ brandId: products.brandId })
              .from(products)
              .where(
                and(
                  inArray(products.brandId, unmatchedBrandIds),
                  sql`(${products.etownCode} <> ${etownCode} or exists (select 1 from ${productBatches} where ${productBatches.productId} = ${products.id}))`,
                ),
              )
          ).map((row) => row.brandId),
        ],
  );
  const removable = new Set(unmatchedBrandIds.filter((id) => !inUse.has(id)));
  // A brand with a surviving own brand under it stays; repeat, as keeping a child may keep its parent.
  for (let changed = true; changed && removable.size > 0; ) {
    changed = false;
    const children = await tx
      .select({ id: brands.id, parentBrandId: brands.parentBrandId })
      .from(brands)
      .where(inArray(brands.parentBrandId, [...removable]));
    for (const child of children) {
      if (!removable.has(child.id) && child.parentBrandId && removable.delete(child.parentBrandId))
        changed = true;
    }
  }
  if (removable.size > 0) {
    // The e-town's products keep the brand's name; only the link to the removed row goes.
    await tx
      .update(products)
      .set({ brandId: null })
      .where(inArray(products.brandId, [...removable]));
    await tx.delete(brands).where(inArray(brands.id, [...removable]));
  }
  return unmatchedBrands.filter((row) => !removable.has(row.id));
}
