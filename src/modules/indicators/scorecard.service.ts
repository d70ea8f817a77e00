import { setImmediate } from 'node:timers/promises';
import { and, asc, eq, like, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { type Actor, scopeRoots } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { DatabaseHandle, Executor } from '../../db/client.ts';
import { answerCache, keptAt, regionVersions, subtreeVersion } from '../../db/data-versions.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, conflict, notFound } from '../../http/errors.ts';
import { addOnCatalogsFor, currentProvinceCatalog, type IndicatorCatalog } from '../../indicators/catalog.ts';
import {
  type ExplainedEvaluation,
  explainLedger,
  type IndicatorEvaluation,
  type IndicatorStatus,
  type LedgerEvaluation,
  type PlatformCounts,
  traceLedger,
} from '../../indicators/engine.ts';
import { type Ledger, parseLedger } from '../../indicators/ledger-schema.ts';
import { previousMonthEnd, shanghaiToday } from '../../lib/china-date.ts';
import { requireVisibleRegion, requireVisibleRegionAt } from '../regions/regions.service.ts';
import { catalogsWithAddOns, countableEntitiesCondition } from './countable-entities.ts';
import type { Drilldown } from './drilldown.schemas.ts';
import { describeFacts, drilldownSections } from './drilldown.ts';
import { talentOriginsFor } from './drilldown-origins.ts';
import { buildLedgerFromDatabase, platformEvaluationOptions } from './ledger-builder.ts';
import { exportLedgers, type LedgerJson } from './ledger-export.ts';
import { loadPlatformCounts, platformCountsOf } from './platform-counts.ts';
import type { Overview, OverviewQuery, Scorecard } from './scorecard.schemas.ts';

export { previousMonthEnd };

/**
 * The ledger as it stood on `asOf`: every dated row (documents, registrations, monthly figures,
 * investments, events, trainings, incidents) dated after it left out. Undated lists stay as they are.
 */
export function ledgerAsOf(ledger: Ledger, asOf: string): Ledger {
  const month = asOf.slice(0, 7);
  return {
    ...ledger,
    documents: ledger.documents.filter((row) => row.issuedOn <= asOf),
    entities: ledger.entities.filter((row) => row.registeredOn <= asOf),
    monthlyStats: ledger.monthlyStats.filter((row) => row.month <= month),
    investments: ledger.investments.filter((row) => row.date <= asOf),
    events: ledger.events.filter((row) => row.date <= asOf),
    trainings: ledger.trainings.filter((row) => row.date <= asOf),
    complianceIncidents: ledger.complianceIncidents.filter((row) => row.date <= asOf),
  };
}

/** Builds the e-town's ledger once; a missing county tier or invalid data is the county's to fix (409). */
async function loadLedger(executor: Executor, etownCode: string, year: number): Promise<Ledger> {
  try {
    return await buildLedgerFromDatabase(executor, etownCode, year);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw conflict('ledger_invalid', error instanceof Error ? error.message : 'e镇平台数据不能构成有效台账');
  }
}

/** Evaluated as on `asOf` (today by default): a year not yet closed then is judged as running. */
const explain = (
  ledger: Ledger,
  catalog: IndicatorCatalog,
  counts: PlatformCounts,
  asOf?: string,
): ExplainedEvaluation =>
  explainLedger(ledger, catalog, platformEvaluationOptions(ledger, catalog, counts, asOf));
const evaluate = (ledger: Ledger, catalog: IndicatorCatalog, counts: PlatformCounts, asOf?: string) =>
  explain(ledger, catalog, counts, asOf).evaluation;

function presentIndicators(
  catalog: Pick<IndicatorCatalog, 'id' | 'indicators'> | undefined,
  explanations: ReadonlyMap<string, string[]>,
  results: readonly IndicatorEvaluation[],
  previous: readonly IndicatorEvaluation[],
) {
  return results.map((result) => {
    const definition = catalog?.indicators.find((candidate) => candidate.no === result.no);
    return {
      no: result.no,
      title: result.title,
      category: definition?.category ?? '',
      content: definition?.content ?? '',
      standard: definition?.standard ?? '',
      status: result.status,
      values: explanations.get(`${catalog?.id}#${result.no}`) ?? [],
      facts: result.facts,
      reasons: result.reasons,
      previousStatus: previous.find((candidate) => candidate.no === result.no)?.status ?? null,
    };
  });
}

/** The live evaluation of one e-town in the actor's scope, with each status at the previous month's end. */
export async function getScorecard(
  context: AppContext,
  actor: Actor,
  etownCode: string,
  year: number,
  now = new Date(),
): Promise<Scorecard> {
  const { db } = context.database;
  // The e-town checked and its data's version read by one statement; the version also moves with the
  // province-wide settings, which the evaluation reads.
  const { version } = await requireVisibleRegionAt(context.database, actor, etownCode, 'etown');
  const catalog = currentProvinceCatalog();
  const today = shanghaiToday(now);
  const asOf = previousMonthEnd(now);
  // The same for every reader who may see the e-town: kept per version of its data, day and catalog.
  return keptAt(
    context.database,
    'scorecard',
    version,
    [etownCode, year, today, asOf, catalog.id, catalog.version],
    () => computeScorecard(db, etownCode, year, catalog, today, asOf),
  );
}

async function computeScorecard(
  db: Executor,
  etownCode: string,
  year: number,
  catalog: IndicatorCatalog,
  today: string,
  asOf: string,
): Promise<Scorecard> {
  const ledger = await loadLedger(db, etownCode, year);
  const counts = await platformCountsOf(db, etownCode, year);
  const { evaluation: current, explanations } = explain(ledger, catalog, counts, today);
  const previous = evaluate(ledgerAsOf(ledger, asOf), catalog, counts, asOf);
  const addOnCatalogs = addOnCatalogsFor(catalog, ledger.etown.countyCode);
  return {
    etown: current.etown,
    year: current.year,
    tier: current.tier,
    catalog: current.catalog,
    summary: current.summary,
    running: current.running,
    indicators: presentIndicators(catalog, explanations, current.indicators, previous.indicators),
    trend: { asOf, summary: previous.summary },
    addOns: current.addOns.map((addOn, index) => ({
      catalog: addOn.catalog,
      summary: addOn.summary,
      indicators: presentIndicators(
        addOnCatalogs[index],
        explanations,
        addOn.indicators,
        previous.addOns[index]?.indicators ?? [],
      ),
    })),
  };
}

/** The e-town's current evaluation and its catalog for the Annex-2 export (scope checked). */
export async function getEtownEvaluation(
  context: AppContext,
  actor: Actor,
  etownCode: string,
  year: number,
): Promise<ExplainedEvaluation & { catalog: IndicatorCatalog }> {
  const { db } = context.database;
  await requireVisibleRegion(db, actor, etownCode, 'etown');
  const catalog = currentProvinceCatalog();
  const counts = await platformCountsOf(db, etownCode, year);
  return { ...explain(await loadLedger(db, etownCode, year), catalog, counts), catalog };
}

/**
 * The ledger rows behind one indicator of one e-town's live scorecard (the province's catalog, or a county
 * add-on by id), evaluated exactly as the scorecard is: the engine traces what it counted, this formats it.
 */
export async function getDrilldown(
  context: AppContext,
  actor: Actor,
  etownCode: string,
  year: number,
  no: number,
  catalogId: string | undefined,
  now = new Date(),
): Promise<Drilldown> {
  const { db } = context.database;
  await requireVisibleRegion(db, actor, etownCode, 'etown');
  const province = currentProvinceCatalog();
  const ledger = await loadLedger(db, etownCode, year);
  const counts = await platformCountsOf(db, etownCode, year);
  const options = platformEvaluationOptions(ledger, province, counts, shanghaiToday(now));
  const catalog = [province, ...(options.addOns ?? [])].find(
    (candidate) => candidate.id === (catalogId ?? province.id),
  );
  const definition = catalog?.indicators.find((indicator) => indicator.no === no);
  if (!catalog || !definition) throw notFound('指标');
  const traced = traceLedger(ledger, province, options);
  const { evaluation } = traced;
  const results =
    catalog === province
      ? evaluation.indicators
      : (evaluation.addOns.find((addOn) => addOn.catalog.id === catalog.id)?.indicators ?? []);
  const facts = results.find((result) => result.no === no)?.facts ?? {};
  const origins = await talentOriginsFor(db, actor, ledger, definition, options.addOns ?? []);
  const input = { ledger, running: evaluation.running, facts, origins };
  return {
    etown: evaluation.etown,
    year: evaluation.year,
    catalog: { id: catalog.id, version: catalog.version, title: catalog.title },
    indicator: { no: definition.no, title: definition.title },
    facts: describeFacts(input, definition),
    sections: drilldownSections(input, definition, traced.rows.get(`${catalog.id}#${no}`) ?? []),
  };
}

const county = alias(regions, 'county');
const city = alias(regions, 'city');

/** Every e-town (optionally within a subtree or a county tier) with its county and city, in code order. */
export async function listEtownsForEvaluation(
  executor: Executor,
  filter: { scope?: SQL; within?: readonly (string | undefined)[]; tier?: OverviewQuery['tier'] },
) {
  return executor
    .select({
      code: regions.code,
      name: regions.name,
      countyCode: county.code,
      countyName: county.name,
      tier: county.tier,
      cityCode: city.code,
      cityName: city.name,
    })
    .from(regions)
    .innerJoin(county, eq(county.code, regions.parentCode))
    .innerJoin(city, eq(city.code, county.parentCode))
    .where(
      and(
        eq(regions.level, 'etown'),
        filter.scope,
        ...(filter.within ?? []).map((code) => (code ? like(regions.code, `${code}%`) : undefined)),
        filter.tier ? eq(county.tier, filter.tier) : undefined,
      ),
    )
    .orderBy(asc(regions.code));
}

export type EtownEvaluationResult = { code: string; evaluation?: LedgerEvaluation; error?: string };

function evaluateExported(
  code: string,
  json: LedgerJson | AppError | undefined,
  catalog: IndicatorCatalog,
  counts: PlatformCounts,
  asOf: string | undefined,
): EtownEvaluationResult {
  if (!json || json instanceof AppError) return { code, error: json?.message ?? `e镇 ${code} 不存在` };
  const parsed = parseLedger(json);
  if (parsed.ok) return { code, evaluation: evaluate(parsed.ledger, catalog, counts, asOf) };
  const problems = parsed.problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
  return { code, error: `e镇 ${code} 的平台数据不能构成有效台账：${problems}` };
}

/** E-towns per round trip when evaluating many: a fixed number of queries per batch, bounded memory. */
const EVALUATION_BATCH = 1000;
const YIELD_EVERY = 50;

/**
 * Evaluates each e-town from the platform's data, a batch of e-towns per set of queries with monthly
 * figures summed in SQL; an e-town whose data does not make a valid ledger gets its error instead of
 * failing the whole list. `onProgress` hears after each e-town.
 */
export async function evaluateEtownsForOverview(
  executor: Executor,
  etownCodes: readonly string[],
  year: number,
  options: {
    catalog?: IndicatorCatalog;
    /** Hears after each e-town. */
    onProgress?: (done: number, total: number, result: EtownEvaluationResult) => void;
    /** The day the evaluation stands on (today by default). */
    asOf?: string;
  } = {},
): Promise<EtownEvaluationResult[]> {
  const { catalog = currentProvinceCatalog(), onProgress, asOf } = options;
  const results: EtownEvaluationResult[] = [];
  const countable = countableEntitiesCondition(catalogsWithAddOns(catalog), year);
  for (let start = 0; start < etownCodes.length; start += EVALUATION_BATCH) {
    const batch = etownCodes.slice(start, start + EVALUATION_BATCH);
    const ledgers = await exportLedgers(executor, batch, year, {
      monthly: 'monthTotals',
      entities: countable,
    });
    const counts = await loadPlatformCounts(executor, batch, year);
    for (const code of batch) {
      // Evaluating is synchronous work: let other requests in every few e-towns.
      if (results.length % YIELD_EVERY === 0) await setImmediate();
      const result = evaluateExported(code, ledgers.get(code), catalog, counts.get(code) ?? {}, asOf);
      results.push(result);
      onProgress?.(results.length, etownCodes.length, result);
    }
  }
  return results;
}

/** What the overview keeps of one e-town's evaluation: its statuses and summary, or why it has none. */
type OverviewEvaluation = {
  code: string;
  statuses?: IndicatorStatus[];
  summary?: LedgerEvaluation['summary'];
  error?: string;
};

/**
 * Each e-town's overview evaluation, from the cache when its data's version is unchanged; the others
 * evaluated in one batch (after their versions were read, so a change meanwhile is seen next time).
 */
async function overviewEvaluations(
  database: DatabaseHandle,
  codes: readonly string[],
  year: number,
  catalog: IndicatorCatalog,
  asOf: string,
): Promise<Map<string, OverviewEvaluation>> {
  const cache = answerCache<OverviewEvaluation>(database, 'overview-etown', 20_000);
  const versions = await regionVersions(database.db, codes);
  const keyOf = (code: string) => JSON.stringify([code, year, asOf, catalog.id, catalog.version]);
  const results = new Map<string, OverviewEvaluation>();
  const stale: string[] = [];
  for (const code of codes) {
    const kept = cache.peek(keyOf(code), versions.get(code) ?? '0');
    if (kept) results.set(code, await kept);
    else stale.push(code);
  }
  for (const { code, evaluation, error } of await evaluateEtownsForOverview(database.db, stale, year, {
    catalog,
    asOf,
  })) {
    const kept: OverviewEvaluation = evaluation
      ? {
          code,
          statuses: evaluation.indicators.map((indicator) => indicator.status),
          summary: evaluation.summary,
        }
      : { code, error };
    results.set(code, kept);
    cache.get(keyOf(code), versions.get(code) ?? '0', async () => kept);
  }
  return results;
}

/**
 * Every e-town in the actor's scope × the binding indicators, with per-indicator counts: kept per version
 * of the data under the narrowest region asked, so a dashboard opened again costs one read of the versions.
 */
export async function getOverview(
  context: AppContext,
  actor: Actor,
  query: OverviewQuery,
): Promise<Overview> {
  const { db } = context.database;
  const catalog = currentProvinceCatalog();
  const today = shanghaiToday();
  const narrowest = query.regionCode ?? query.cityCode;
  // With a region asked for, checking it reads the version of the data under it, the narrowest region.
  const version = query.regionCode
    ? (await requireVisibleRegionAt(context.database, actor, query.regionCode)).version
    : await subtreeVersion(db, narrowest ? [narrowest] : scopeRoots(actor.scope));
  return keptAt(
    context.database,
    'overview',
    version,
    [actor.scope, query, today, catalog.id, catalog.version],
    () => computeOverview(context.database, actor, query, catalog, today),
  );
}

async function computeOverview(
  database: DatabaseHandle,
  actor: Actor,
  query: OverviewQuery,
  catalog: IndicatorCatalog,
  today: string,
): Promise<Overview> {
  const definitions = [...catalog.indicators].sort((a, b) => a.no - b.no);
  const rows = await listEtownsForEvaluation(database.db, {
    scope: regionScopeCondition(actor.scope, regions.code),
    within: [query.regionCode, query.cityCode],
    tier: query.tier,
  });
  const evaluable = rows.filter((row) => row.tier).map((row) => row.code);
  const evaluated = await overviewEvaluations(database, evaluable, query.year, catalog, today);
  const totals = definitions.map((definition) => ({ no: definition.no, met: 0, unmet: 0, pending: 0 }));
  const etowns: Overview['etowns'] = [];
  const notEvaluated: Overview['notEvaluated'] = [];
  for (const row of rows) {
    if (!row.tier) {
      notEvaluated.push({ code: row.code, name: row.name, reason: `${row.countyName}尚未设定县域类别` });
      continue;
    }
    const result = evaluated.get(row.code);
    if (!result?.statuses || !result.summary) {
      notEvaluated.push({ code: row.code, name: row.name, reason: result?.error ?? '未能评价' });
      continue;
    }
    result.statuses.forEach((status, index) => {
      const total = totals[index];
      if (total) total[status] += 1;
    });
    etowns.push({
      code: row.code,
      name: row.name,
      county: { code: row.countyCode, name: row.countyName },
      city: { code: row.cityCode, name: row.cityName },
      tier: row.tier,
      statuses: result.statuses,
      summary: result.summary,
    });
  }
  return {
    year: query.year,
    running: query.year >= Number(today.slice(0, 4)),
    indicators: definitions.map(({ no, title, category }) => ({ no, title, category })),
    etowns,
    totals,
    notEvaluated,
  };
}
