import { and, desc, eq, inArray, like, type SQL, sql } from 'drizzle-orm';
import { type Actor, canSeeRegion, isInSubtree, scopeRoots } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { products } from '../../db/schema/brands.ts';
import { regions } from '../../db/schema/regions.ts';
import {
  codeScans,
  productBatches,
  scanAnomalies,
  scanTallies,
  traceCodeRuns,
  traceCodes,
} from '../../db/schema/traceability.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { regionNames } from '../regions/region-names.ts';
import type { ScanAnomalyView, TraceAnalytics, TraceBatchView } from './trace.schemas.ts';
import { batchInScope } from './trace-access.ts';
import { traceCodeSigner, traceCodeUrl, traceMacKeyOf } from './trace-code.ts';

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : null);
const scanDay = sql<string>`to_char(${scanTallies.day}, 'YYYY-MM-DD')`;
const scanCount = sql<string>`coalesce(sum(${scanTallies.scans}), 0)`;

/** 赋码与扫码 of one batch: its runs, how many of their codes were scanned, scans per day, recent first scans. */
export async function traceBatchView(
  context: AppContext,
  actor: Actor,
  batchId: string,
): Promise<TraceBatchView> {
  const { db } = context.database;
  const batch = await batchInScope(db, actor, batchId);
  const runs = await db
    .select({
      id: traceCodeRuns.id,
      runNumber: traceCodeRuns.runNumber,
      firstSerial: traceCodeRuns.firstSerial,
      count: traceCodeRuns.count,
      createdAt: traceCodeRuns.createdAt,
      createdBy: users.displayName,
    })
    .from(traceCodeRuns)
    .leftJoin(users, eq(users.id, traceCodeRuns.createdBy))
    .where(eq(traceCodeRuns.batchId, batch.id))
    .orderBy(traceCodeRuns.firstSerial);
  const runIds = runs.map((run) => run.id);
  const { scansByRun, scanTimes, byDay, recent } = await runScanFigures(db, runIds);
  const byRun = new Map(scansByRun.map((row) => [row.runId, row]));
  const timesByRun = new Map(scanTimes.map((row) => [row.runId, row]));
  const first = runs[0];
  return {
    batch: { ...batch, recalledAt: iso(batch.recalledAt) },
    runs: runs.map((run) => {
      const scans = byRun.get(run.id);
      const times = timesByRun.get(run.id);
      return {
        id: run.id,
        runNumber: run.runNumber,
        firstSerial: run.firstSerial,
        lastSerial: run.firstSerial + run.count - 1,
        count: run.count,
        createdAt: run.createdAt.toISOString(),
        createdBy: run.createdBy,
        scannedCodes: Number(times?.scannedCodes ?? 0),
        scans: Number(scans?.scans ?? 0),
        firstScanAt: iso(times?.firstAt),
        lastScanAt: iso(times?.lastAt),
      };
    }),
    codes: {
      generated: runs.reduce((sum, run) => sum + run.count, 0),
      scanned: scanTimes.reduce((sum, row) => sum + Number(row.scannedCodes), 0),
      scans: scansByRun.reduce((sum, row) => sum + Number(row.scans), 0),
    },
    byDay: byDay.map((row) => ({ day: row.day, scans: Number(row.scans) })),
    recentFirstScans: recent.map((row) => ({
      code: row.code,
      serial: row.serial,
      firstScannedAt: row.firstScannedAt.toISOString(),
      scanCount: row.scanCount,
    })),
    sampleUrl: first
      ? traceCodeUrl(
          context.config.publicUrl,
          traceCodeSigner(traceMacKeyOf(context)).code({
            runNumber: first.runNumber,
            serial: first.firstSerial,
          }),
        )
      : null,
  };
}

/** Scans of a batch's runs: per run, per day, and the recent first scans (nothing without runs). */
async function runScanFigures(db: Executor, runIds: string[]) {
  // From the tallies (a row per run, day and client) and the scanned codes' rows, not by walking a million
  // codes per run.
  const scansByRun =
    runIds.length === 0
      ? []
      : await db
          .select({ runId: scanTallies.runId, scans: scanCount })
          .from(scanTallies)
          .where(inArray(scanTallies.runId, runIds))
          .groupBy(scanTallies.runId);
  const scanTimes =
    runIds.length === 0
      ? []
      : await db
          .select({
            runId: codeScans.runId,
            scannedCodes: sql<string>`count(*)`,
            firstAt: sql<string>`min(${codeScans.firstScannedAt})`,
            lastAt: sql<string>`max(${codeScans.lastScannedAt})`,
          })
          .from(codeScans)
          .where(inArray(codeScans.runId, runIds))
          .groupBy(codeScans.runId);
  const byDay =
    runIds.length === 0
      ? []
      : await db
          .select({ day: scanDay, scans: scanCount })
          .from(scanTallies)
          .where(inArray(scanTallies.runId, runIds))
          .groupBy(scanTallies.day)
          .orderBy(scanTallies.day);
  const recent =
    runIds.length === 0
      ? []
      : await db
          .select({
            code: codeScans.code,
            serial: traceCodes.serial,
            firstScannedAt: codeScans.firstScannedAt,
            scanCount: codeScans.scanCount,
          })
          .from(codeScans)
          .innerJoin(traceCodes, eq(traceCodes.code, codeScans.code))
          .where(inArray(codeScans.runId, runIds))
          .orderBy(desc(codeScans.firstScannedAt))
          .limit(20);
  return { scansByRun, scanTimes, byDay, recent };
}

/** The products the actor may see, narrowed to a region when asked (404 for a region outside the scope). */
function productScope(actor: Actor, regionCode: string | undefined): SQL | undefined {
  const roots = scopeRoots(actor.scope);
  // A region inside the scope, or one containing it (a county operator asking for the province).
  if (
    regionCode &&
    roots !== null &&
    !roots.some((root) => isInSubtree(root, regionCode) || isInSubtree(regionCode, root))
  ) {
    throw notFound('地区');
  }
  return and(
    regionScopeCondition(actor.scope, products.etownCode),
    regionCode ? like(products.etownCode, `${regionCode}%`) : undefined,
  );
}

/** Tallies are per China calendar day, so a period of days is a range of them. */
function periodCondition(from: string | undefined, to: string | undefined): SQL | undefined {
  return and(
    from ? sql`${scanTallies.day} >= ${from}::date` : undefined,
    to ? sql`${scanTallies.day} <= ${to}::date` : undefined,
  );
}

/** 扫码分析: scans per product, batch, day, region and client; codes generated against codes ever scanned. */
export async function traceAnalytics(
  context: AppContext,
  actor: Actor,
  query: { regionCode?: string; from?: string; to?: string },
): Promise<TraceAnalytics> {
  const { db } = context.database;
  const scope = productScope(actor, query.regionCode);
  const period = periodCondition(query.from, query.to);
  const generated = await codesGeneratedPerBatch(db, scope);
  const { inPeriod, ever } = await scansPerBatch(db, scope, period);
  const grouped = (key: SQL) =>
    db
      .select({ key, scans: scanCount })
      .from(scanTallies)
      .innerJoin(traceCodeRuns, eq(traceCodeRuns.id, scanTallies.runId))
      .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
      .innerJoin(products, eq(products.id, productBatches.productId))
      .where(and(scope, period))
      .groupBy(key)
      .orderBy(key);
  const days = await grouped(scanDay);
  const regionRows = await grouped(sql`${scanTallies.regionCode}`);
  const clients = await grouped(sql`${scanTallies.client}`);
  const regionCodes = regionRows.map((row) => row.key).filter((code): code is string => !!code);
  const namesOfRegions = await regionNames(db, regionCodes);

  const byBatch = analyticsByBatch(generated, ever, inPeriod);
  const codes = byBatch.reduce((sum, row) => sum + row.codes, 0);
  const scannedCodes = byBatch.reduce((sum, row) => sum + row.scannedCodes, 0);
  return {
    from: query.from ?? null,
    to: query.to ?? null,
    totals: {
      codes,
      scannedCodes,
      scans: byBatch.reduce((sum, row) => sum + row.scans, 0),
      scanRate: codes === 0 ? 0 : scannedCodes / codes,
    },
    byProduct: analyticsByProduct(generated, ever, inPeriod),
    byBatch,
    byDay: days.map((row) => ({ day: String(row.key), scans: Number(row.scans) })),
    byRegion: regionRows.map((row) => ({
      regionCode: (row.key as string | null) ?? null,
      regionName: row.key ? (namesOfRegions.get(row.key as string) ?? String(row.key)) : '未知',
      scans: Number(row.scans),
    })),
    byClient: clients.map((row) => ({ client: String(row.key), scans: Number(row.scans) })),
  };
}

/** Codes generated per batch of the products in scope. */
function codesGeneratedPerBatch(db: Executor, scope: SQL | undefined) {
  return db
    .select({
      batchId: productBatches.id,
      batchNumber: productBatches.batchNumber,
      recalledAt: productBatches.recalledAt,
      productId: products.id,
      productName: products.name,
      etownName: regions.name,
      codes: sql<string>`sum(${traceCodeRuns.count})`,
    })
    .from(traceCodeRuns)
    .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
    .innerJoin(products, eq(products.id, productBatches.productId))
    .innerJoin(regions, eq(regions.code, products.etownCode))
    .where(scope)
    .groupBy(productBatches.id, products.id, regions.name);
}

/** Per batch: scans in the period, and codes ever scanned. */
async function scansPerBatch(db: Executor, scope: SQL | undefined, period: SQL | undefined) {
  const inPeriod = new Map(
    (
      await db
        .select({ batchId: productBatches.id, scans: scanCount })
        .from(scanTallies)
        .innerJoin(traceCodeRuns, eq(traceCodeRuns.id, scanTallies.runId))
        .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
        .innerJoin(products, eq(products.id, productBatches.productId))
        .where(and(scope, period))
        .groupBy(productBatches.id)
    ).map((row) => [row.batchId, Number(row.scans)]),
  );
  // Codes ever scanned: the scanned codes' rows (few: "almost nobody scans").
  const ever = new Map(
    (
      await db
        .select({ batchId: productBatches.id, scannedCodes: sql<string>`count(*)` })
        .from(codeScans)
        .innerJoin(traceCodeRuns, eq(traceCodeRuns.id, codeScans.runId))
        .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
        .innerJoin(products, eq(products.id, productBatches.productId))
        .where(scope)
        .groupBy(productBatches.id)
    ).map((row) => [row.batchId, Number(row.scannedCodes)]),
  );
  return { inPeriod, ever };
}

type GeneratedRow = Awaited<ReturnType<typeof codesGeneratedPerBatch>>[number];

/** Batches, most scanned first. */
function analyticsByBatch(
  generated: GeneratedRow[],
  ever: Map<string, number>,
  inPeriod: Map<string, number>,
) {
  return generated
    .map((row) => ({
      batchId: row.batchId,
      batchNumber: row.batchNumber,
      productName: row.productName,
      recalled: !!row.recalledAt,
      codes: Number(row.codes),
      scannedCodes: ever.get(row.batchId) ?? 0,
      scans: inPeriod.get(row.batchId) ?? 0,
    }))
    .sort((a, b) => b.scans - a.scans || b.codes - a.codes);
}

/** The batches' figures summed per product, most scanned first. */
function analyticsByProduct(
  generated: GeneratedRow[],
  ever: Map<string, number>,
  inPeriod: Map<string, number>,
) {
  const productTotals = new Map<string, TraceAnalytics['byProduct'][number]>();
  for (const row of generated) {
    const entry = productTotals.get(row.productId) ?? {
      productId: row.productId,
      productName: row.productName,
      etownName: row.etownName,
      codes: 0,
      scannedCodes: 0,
      scans: 0,
    };
    entry.codes += Number(row.codes);
    entry.scannedCodes += ever.get(row.batchId) ?? 0;
    entry.scans += inPeriod.get(row.batchId) ?? 0;
    productTotals.set(row.productId, entry);
  }
  return [...productTotals.values()].sort((a, b) => b.scans - a.scans || b.codes - a.codes);
}

const anomalyColumns = {
  id: scanAnomalies.id,
  code: scanAnomalies.code,
  kind: scanAnomalies.kind,
  scanCount: scanAnomalies.scanCount,
  detectedAt: scanAnomalies.detectedAt,
  status: scanAnomalies.status,
  reviewNote: scanAnomalies.reviewNote,
  reviewedByName: users.displayName,
  reviewedAt: scanAnomalies.reviewedAt,
  serial: traceCodes.serial,
  batchId: productBatches.id,
  batchNumber: productBatches.batchNumber,
  recalledAt: productBatches.recalledAt,
  productName: products.name,
  etownCode: products.etownCode,
  etownName: regions.name,
};

function anomalyQuery(executor: Executor, where: SQL | undefined) {
  return executor
    .select(anomalyColumns)
    .from(scanAnomalies)
    .innerJoin(traceCodeRuns, eq(traceCodeRuns.id, scanAnomalies.runId))
    .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
    .innerJoin(products, eq(products.id, productBatches.productId))
    .innerJoin(regions, eq(regions.code, products.etownCode))
    .leftJoin(traceCodes, eq(traceCodes.code, scanAnomalies.code))
    .leftJoin(users, eq(users.id, scanAnomalies.reviewedBy))
    .where(where);
}

function presentAnomaly(
  context: AppContext,
  row: Awaited<ReturnType<typeof anomalyQuery>>[number],
): ScanAnomalyView {
  return {
    id: row.id,
    code: row.code,
    url: traceCodeUrl(context.config.publicUrl, row.code),
    kind: row.kind,
    scanCount: row.scanCount,
    detectedAt: row.detectedAt.toISOString(),
    status: row.status,
    reviewNote: row.reviewNote,
    reviewedByName: row.reviewedByName,
    reviewedAt: iso(row.reviewedAt),
    serial: row.serial,
    batchId: row.batchId,
    batchNumber: row.batchNumber,
    productName: row.productName,
    etownName: row.etownName,
    batchRecalled: !!row.recalledAt,
  };
}

/** 异常扫码 review queue: open ones first, newest first. */
export async function listScanAnomalies(
  context: AppContext,
  actor: Actor,
  query: { status?: 'open' | 'confirmed' | 'dismissed' },
): Promise<ScanAnomalyView[]> {
  const rows = await anomalyQuery(
    context.database.db,
    and(
      regionScopeCondition(actor.scope, products.etownCode),
      query.status ? eq(scanAnomalies.status, query.status) : undefined,
    ),
  )
    .orderBy(sql`${scanAnomalies.status} = 'open' desc`, desc(scanAnomalies.detectedAt))
    .limit(500);
  return rows.map((row) => presentAnomaly(context, row));
}

/** Confirms (a counterfeit or a recalled package in circulation) or dismisses an anomaly, with a note. */
export async function reviewScanAnomaly(
  context: AppContext,
  actor: Actor,
  id: string,
  input: { status: 'confirmed' | 'dismissed'; note: string },
): Promise<ScanAnomalyView> {
  return context.database.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ status: scanAnomalies.status, etownCode: products.etownCode })
      .from(scanAnomalies)
      .innerJoin(traceCodeRuns, eq(traceCodeRuns.id, scanAnomalies.runId))
      .innerJoin(productBatches, eq(productBatches.id, traceCodeRuns.batchId))
      .innerJoin(products, eq(products.id, productBatches.productId))
      .where(eq(scanAnomalies.id, id))
      .for('update', { of: scanAnomalies });
    if (!current || !canSeeRegion(actor.scope, current.etownCode)) throw notFound('异常扫码记录');
    if (current.status !== 'open') throw conflict('anomaly_already_reviewed', '该异常已处理，不能重复处理');
    await tx
      .update(scanAnomalies)
      .set({ status: input.status, reviewNote: input.note, reviewedBy: actor.userId, reviewedAt: new Date() })
      .where(eq(scanAnomalies.id, id));
    await recordAudit(tx, actor, {
      action: 'trace.anomaly.review',
      targetType: 'scan_anomaly',
      targetId: id,
      regionCode: current.etownCode,
      diff: { status: { before: 'open', after: input.status }, note: input.note },
    });
    const [row] = await anomalyQuery(tx, eq(scanAnomalies.id, id));
    if (!row) throw notFound('异常扫码记录');
    return presentAnomaly(context, row);
  });
}
