import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.ts';
import { brands, products } from '../../db/schema/brands.ts';
import { entities, entityShops } from '../../db/schema/entities.ts';
import { regions } from '../../db/schema/regions.ts';
import {
  batchInspections,
  brandAuthorizations,
  productBatches,
  productCertifications,
  productShops,
  traceCodeRuns,
} from '../../db/schema/traceability.ts';
import type { AppContext } from '../../http/context.ts';
import { makeRoom } from '../../lib/bounded-map.ts';
import { scanPagesGeneration } from './scan-cache.ts';
import { readTraceRules } from './trace-rules.ts';

/**
 * Everything a scan page shows about a run (product, brand, producer, batch, inspections, certifications,
 * shops), read once per run and kept in memory. Only public facts: no phones, no contact names, no addresses
 * of people. Validity (authorization, certificates) is decided at render time from the dates kept here,
 * so an authorization that ends at midnight stops showing the brand at midnight.
 */
export type ScanRunData = {
  runId: string;
  runNumber: number;
  firstSerial: number;
  count: number;
  excessiveScanThreshold: number;
  product: { name: string; specification: string | null; category: string | null };
  /** The brand the product is linked to; whether to show it is decided per render. */
  brand: {
    name: string;
    kind: 'regional_public' | 'own';
    /** An own brand of the producer itself needs no authorization. */
    ownedByProducer: boolean;
    trademarkNumber: string | null;
    authorizations: {
      status: string;
      certificateNumber: string | null;
      validFrom: string | null;
      validTo: string | null;
    }[];
  } | null;
  producer: { name: string } | null;
  etown: { name: string; countyName: string | null };
  batch: {
    batchNumber: string;
    producedOn: string;
    quantity: number;
    unit: string;
    originBase: string;
    recalledAt: Date | null;
    recallReason: string | null;
  };
  inspections: { inspectedOn: string; agency: string; items: string; result: 'pass' | 'fail' }[];
  certifications: {
    kind: string;
    number: string;
    issuer: string | null;
    validFrom: string | null;
    validTo: string | null;
  }[];
  shops: { platform: string; shopName: string; url: string }[];
  demo: boolean;
};

const county = alias(regions, 'county');

/** Reads a run's page data; null when the run does not exist. */
export async function loadScanRunData(context: AppContext, runNumber: number): Promise<ScanRunData | null> {
  const { db } = context.database;
  const row = await readRunRow(db, runNumber);
  if (!row) return null;

  const [producer] = row.entityId
    ? await db.select({ name: entities.name }).from(entities).where(eq(entities.id, row.entityId))
    : [];
  const [brandRow] = row.brandId ? await db.select().from(brands).where(eq(brands.id, row.brandId)) : [];
  const authorizations =
    brandRow && row.entityId
      ? await readAuthorizations(db, {
          brandId: brandRow.id,
          entityId: row.entityId,
          productName: row.productName,
        })
      : [];
  const { inspections, certifications, shopRows } = await readBatchFacts(db, row.batchId, row.productId);
  const rules = await readTraceRules(db);

  const texts = [row.productName, row.batchNumber, row.etownName, producer?.name, brandRow?.name];
  return {
    runId: row.runId,
    runNumber: row.runNumber,
    firstSerial: row.firstSerial,
    count: row.count,
    excessiveScanThreshold: rules.excessiveScanThreshold,
    product: { name: row.productName, specification: row.specification, category: row.category },
    brand: brandRow
      ? {
          name: brandRow.name,
          kind: brandRow.kind,
          ownedByProducer:
            brandRow.kind === 'own' && !!row.entityId && brandRow.ownerEntityId === row.entityId,
          trademarkNumber: brandRow.trademarkNumber,
          authorizations,
        }
      : null,
    producer: producer ? { name: producer.name } : null,
    etown: { name: row.etownName, countyName: row.countyName },
    batch: {
      batchNumber: row.batchNumber,
      producedOn: row.producedOn,
      quantity: row.quantity,
      unit: row.unit,
      originBase: row.originBase,
      recalledAt: row.recalledAt,
      recallReason: row.recallReason,
    },
    inspections,
    certifications,
    // Only web links become "buy" buttons: a stored `javascript:` URL must never reach a page.
    shops: shopRows.flatMap((shop) =>
      shop.url && /^https?:\/\//i.test(shop.url)
        ? [{ platform: shop.platform, shopName: shop.shopName, url: shop.url }]
        : [],
    ),
    // The demo seed marks everything it invents with 演示.
    demo: texts.some((text) => text?.includes('演示')),
  };
}

/** The run with its batch, product and e-town, by run number. */
async function readRunRow(db: Executor, runNumber: number) {
  const [row] = await db
    .select({
      runId: traceCodeRuns.id,
      runNumber: traceCodeRuns.runNumber,
      firstSerial: traceCodeRuns.firstSerial,
      count: traceCodeRuns.count,
      batchId: productBatches.id,
      batchNumber: productBatches.batchNumber,
      producedOn: productBatches.producedOn,
      quantity: productBatches.quantity,
      unit: productBatches.unit,
      originBase: productBatches.originBase,
      recalledAt: productBatches.recalledAt,
      recallReason: productBatches.recallReason,
      productId: products.id,
      productName: products.name,
      specification: products.specification,
      category: products.category,
      brandId: products.brandId,
      entityId: products.entityId,
      etownName: regions.name,
      countyName: county.name,
    })
    .from(traceCodeRuns)
    .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
    .innerJoin(products, eq(products.id, productBatches.productId))
    .innerJoin(regions, eq(regions.code, products.etownCode))
    .leftJoin(county, eq(county.code, regions.parentCode))
    .where(eq(traceCodeRuns.runNumber, runNumber));
  return row;
}

/** The producer's authorizations to use the brand for this product, latest first. */
function readAuthorizations(db: Executor, of: { brandId: string; entityId: string; productName: string }) {
  return db
    .select({
      status: brandAuthorizations.status,
      certificateNumber: brandAuthorizations.certificateNumber,
      validFrom: brandAuthorizations.validFrom,
      validTo: brandAuthorizations.validTo,
    })
    .from(brandAuthorizations)
    .where(
      and(
        eq(brandAuthorizations.brandId, of.brandId),
        eq(brandAuthorizations.entityId, of.entityId),
        // The authorization names the products it covers.
        sql`${of.productName} = any(${brandAuthorizations.productNames})`,
      ),
    )
    .orderBy(desc(brandAuthorizations.updatedAt));
}

/** The batch's inspections, the product's certifications and the shops selling it. */
async function readBatchFacts(db: Executor, batchId: string, productId: string) {
  const inspections = await db
    .select({
      inspectedOn: batchInspections.inspectedOn,
      agency: batchInspections.agency,
      items: batchInspections.items,
      result: batchInspections.result,
    })
    .from(batchInspections)
    .where(eq(batchInspections.batchId, batchId))
    .orderBy(desc(batchInspections.inspectedOn));
  const certifications = await db
    .select({
      kind: productCertifications.kind,
      number: productCertifications.number,
      issuer: productCertifications.issuer,
      validFrom: productCertifications.validFrom,
      validTo: productCertifications.validTo,
    })
    .from(productCertifications)
    .where(eq(productCertifications.productId, productId))
    .orderBy(asc(productCertifications.kind));
  const shopRows = await db
    .select({
      platform: entityShops.platform,
      shopName: entityShops.shopName,
      url: sql<string | null>`coalesce(${productShops.url}, ${entityShops.url})`,
    })
    .from(productShops)
    .innerJoin(entityShops, eq(entityShops.id, productShops.shopId))
    .where(eq(productShops.productId, productId))
    .orderBy(asc(entityShops.platform));
  return { inspections, certifications, shopRows };
}

/**
 * Longest a cached run is trusted without a write in this process: other server instances' writes
 * (which bump their own generation, not ours) show within this time.
 */
const CACHE_TTL_MS = 10_000;
const CACHE_MAX_RUNS = 5_000;

type CacheEntry = {
  generation: number;
  loadedAt: number;
  data: Promise<ScanRunData | null>;
  /** The data once read, so a page can be answered without waiting on a promise. */
  value?: ScanRunData | null;
};
const caches = new WeakMap<AppContext, Map<number, CacheEntry>>();

function cacheOf(context: AppContext): Map<number, CacheEntry> {
  let cache = caches.get(context);
  if (!cache) {
    cache = new Map();
    caches.set(context, cache);
  }
  return cache;
}

/**
 * A run's page data if the cache holds it, read and still fresh (null: no such run); undefined when it has
 * to be read first (`scanRunData`).
 */
export function cachedScanRunData(context: AppContext, runNumber: number): ScanRunData | null | undefined {
  const cached = cacheOf(context).get(runNumber);
  if (
    cached === undefined ||
    cached.generation !== scanPagesGeneration() ||
    Date.now() - cached.loadedAt >= CACHE_TTL_MS
  ) {
    return undefined;
  }
  return cached.value;
}

/** A run's page data from the per-process cache, re-read after any write that changes scan pages. */
export function scanRunData(context: AppContext, runNumber: number): Promise<ScanRunData | null> {
  const cache = cacheOf(context);
  const generation = scanPagesGeneration();
  const now = Date.now();
  const cached = cache.get(runNumber);
  if (cached && cached.generation === generation && now - cached.loadedAt < CACHE_TTL_MS) return cached.data;
  const data = loadScanRunData(context, runNumber);
  const entry: CacheEntry = { generation, loadedAt: now, data };
  cache.delete(runNumber);
  makeRoom(cache, CACHE_MAX_RUNS);
  cache.set(runNumber, entry);
  data.then(
    (value) => {
      entry.value = value;
    },
    () => {
      // A failed read is not remembered.
      if (cache.get(runNumber) === entry) cache.delete(runNumber);
    },
  );
  return data;
}
