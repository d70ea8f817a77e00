import { and, asc, eq, gte, like, lte, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { cachedForSubtree, versionRootsOf } from '../../db/data-versions.ts';
import { entities } from '../../db/schema/entities.ts';
import { regions } from '../../db/schema/regions.ts';
import { monthlyStatistics } from '../../db/schema/stats.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, notFound } from '../../http/errors.ts';
import { formatFen } from '../../indicators/exact.ts';
import { shanghaiMonth } from '../../lib/china-date.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import {
  type AggregateCell,
  type AggregateMeasures,
  type AggregateQuery,
  type AggregateRow,
  type AggregateRows,
  type AggregateRowsQuery,
  type AggregateSeries,
  type AggregateSeriesLevel,
  MAX_AGGREGATE_MONTHS,
  type MonthlyAggregates,
} from './monthly-aggregate.schemas.ts';
import {
  aggregateMonthlyStatistics,
  growthPct,
  type MonthlyMeasures,
  shiftMonth,
} from './monthly-aggregate.ts';

type RegionRow = typeof regions.$inferSelect;
type Window = { fromMonth: string; toMonth: string; months: string[] };

const childLevels: Record<RegionRow['level'], AggregateSeriesLevel> = {
  province: 'city',
  city: 'county',
  county: 'etown',
  etown: 'entity',
};

const noMeasures = (): MonthlyMeasures => ({
  rows: 0,
  outputFen: 0n,
  onlineRetailFen: 0n,
  crossBorderFen: 0n,
  orders: 0n,
  employees: 0n,
  ecommerceEmployees: 0n,
});

function addMeasures(into: MonthlyMeasures, values: MonthlyMeasures) {
  into.rows += values.rows;
  into.outputFen += values.outputFen;
  into.onlineRetailFen += values.onlineRetailFen;
  into.crossBorderFen += values.crossBorderFen;
  into.orders += values.orders;
  into.employees += values.employees;
  into.ecommerceEmployees += values.ecommerceEmployees;
}

const present = (values: MonthlyMeasures): AggregateMeasures => ({
  rows: values.rows,
  outputYuan: formatFen(values.outputFen),
  onlineRetailYuan: formatFen(values.onlineRetailFen),
  crossBorderYuan: formatFen(values.crossBorderFen),
  orders: Number(values.orders),
  employees: Number(values.employees),
  ecommerceEmployees: Number(values.ecommerceEmployees),
});

/** Sums over a set of rows, as text from the database (a province's bigint totals exceed a JS number). */
const sums = {
  rows: sql<number>`count(*)::int`,
  outputFen: sql<string>`coalesce(sum(${monthlyStatistics.outputFen}), 0)::text`,
  onlineRetailFen: sql<string>`coalesce(sum(${monthlyStatistics.onlineRetailFen}), 0)::text`,
  crossBorderFen: sql<string>`coalesce(sum(${monthlyStatistics.crossBorderFen}), 0)::text`,
  orders: sql<string>`coalesce(sum(${monthlyStatistics.orders}), 0)::text`,
  employees: sql<string>`coalesce(sum(${monthlyStatistics.employees}), 0)::text`,
  ecommerceEmployees: sql<string>`coalesce(sum(${monthlyStatistics.ecommerceEmployees}), 0)::text`,
};
type Sums = { [Key in keyof typeof sums]: Key extends 'rows' ? number : string };
const parseSums = (row: Sums): MonthlyMeasures => ({
  rows: Number(row.rows),
  outputFen: BigInt(row.outputFen),
  onlineRetailFen: BigInt(row.onlineRetailFen),
  crossBorderFen: BigInt(row.crossBorderFen),
  orders: BigInt(row.orders),
  employees: BigInt(row.employees),
  ecommerceEmployees: BigInt(row.ecommerceEmployees),
});

const monthIndex = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

/** The last complete month on the Shanghai calendar. */
export function lastCompleteMonth(now = new Date()): string {
  return shiftMonth(shanghaiMonth(now), -1);
}

/** The months asked for: by default the last twelve complete ones; at most 36, in order. */
export function monthWindow(query: { fromMonth?: string; toMonth?: string }, now = new Date()): Window {
  const toMonth = query.toMonth ?? lastCompleteMonth(now);
  const fromMonth = query.fromMonth ?? shiftMonth(toMonth, -11);
  const count = monthIndex(toMonth) - monthIndex(fromMonth) + 1;
  if (count < 1) {
    throw new AppError(400, 'month_range_reversed', `起始月份 ${fromMonth} 晚于结束月份 ${toMonth}`, [
      { path: 'fromMonth', message: '起始月份不能晚于结束月份' },
    ]);
  }
  if (count > MAX_AGGREGATE_MONTHS) {
    throw new AppError(
      400,
      'month_range_too_long',
      `月份范围最多 ${MAX_AGGREGATE_MONTHS} 个月，所选 ${fromMonth} 至 ${toMonth} 共 ${count} 个月，请缩小范围`,
      [{ path: 'toMonth', message: `月份范围最多 ${MAX_AGGREGATE_MONTHS} 个月` }],
    );
  }
  return {
    fromMonth,
    toMonth,
    months: Array.from({ length: count }, (_, index) => shiftMonth(fromMonth, index)),
  };
}

/** The region asked for, or the root of the actor's scope; 404 for anything outside it. */
export async function resolveRegion(executor: Executor, actor: Actor, code?: string): Promise<RegionRow> {
  if (code) return requireVisibleRegion(executor, actor, code);
  const scope = actor.scope;
  let root: string | undefined;
  if (scope.kind === 'region') root = scope.code;
  else if (scope.kind === 'etowns') root = scope.codes[0];
  else if (scope.kind === 'entity') root = scope.etownCode;
  else if (scope.kind === 'all') {
    const [province] = await executor
      .select({ code: regions.code })
      .from(regions)
      .where(eq(regions.level, 'province'))
      .orderBy(asc(regions.code))
      .limit(1);
    root = province?.code;
  }
  if (!root) throw notFound('区划');
  return requireVisibleRegion(executor, actor, root);
}

/** An enterprise sees only its own entity's figures, even inside its e-town. */
function entityCondition(actor: Actor): SQL | undefined {
  if (actor.scope.kind !== 'entity') return undefined;
  return actor.scope.entityId ? eq(monthlyStatistics.entityId, actor.scope.entityId) : sql`false`;
}

const regionCondition = (region: RegionRow) =>
  region.level === 'etown'
    ? eq(monthlyStatistics.etownCode, region.code)
    : like(monthlyStatistics.etownCode, `${region.code}%`);

function buildSeries(
  head: Pick<AggregateSeries, 'code' | 'name' | 'level' | 'creditCode'>,
  months: readonly string[],
  byMonth: ReadonlyMap<string, MonthlyMeasures>,
): AggregateSeries {
  const total = noMeasures();
  const totalLastYear = noMeasures();
  let lastYearSeen = false;
  const cells: AggregateCell[] = months.map((month) => {
    const current = byMonth.get(month);
    const lastYear = byMonth.get(shiftMonth(month, -12));
    if (lastYear) {
      lastYearSeen = true;
      addMeasures(totalLastYear, lastYear);
    }
    if (!current) {
      // No approved figures this month: nothing to compare, rather than a fall of 100%.
      return {
        month,
        ...present(noMeasures()),
        outputMomPct: null,
        outputYoyPct: null,
        onlineRetailMomPct: null,
        onlineRetailYoyPct: null,
      };
    }
    addMeasures(total, current);
    const previous = byMonth.get(shiftMonth(month, -1));
    return {
      month,
      ...present(current),
      outputMomPct: growthPct(current.outputFen, previous?.outputFen),
      outputYoyPct: growthPct(current.outputFen, lastYear?.outputFen),
      onlineRetailMomPct: growthPct(current.onlineRetailFen, previous?.onlineRetailFen),
      onlineRetailYoyPct: growthPct(current.onlineRetailFen, lastYear?.onlineRetailFen),
    };
  });
  return {
    ...head,
    months: cells,
    total: {
      ...present(total),
      outputYoyPct:
        lastYearSeen && total.rows > 0 ? growthPct(total.outputFen, totalLastYear.outputFen) : null,
      onlineRetailYoyPct:
        lastYearSeen && total.rows > 0
          ? growthPct(total.onlineRetailFen, totalLastYear.onlineRetailFen)
          : null,
    },
  };
}

/** Province, city or county: the roll-up by code prefix, the region and each child region. */
async function regionSeries(executor: Executor, region: RegionRow, window: Window) {
  const rows = await aggregateMonthlyStatistics(executor, {
    // The region's own subtree: inside the actor's scope, since the region itself was visible.
    scope: { kind: 'region', code: region.code },
    fromMonth: shiftMonth(window.fromMonth, -12),
    toMonth: window.toMonth,
    statuses: ['approved'],
  });
  const byRegion = new Map<string, Map<string, MonthlyMeasures>>();
  for (const row of rows) {
    const months = byRegion.get(row.regionCode) ?? new Map<string, MonthlyMeasures>();
    months.set(row.month, row);
    byRegion.set(row.regionCode, months);
  }
  const childRegions = await executor
    .select()
    .from(regions)
    .where(eq(regions.parentCode, region.code))
    .orderBy(asc(regions.code));
  const none = new Map<string, MonthlyMeasures>();
  return {
    series: buildSeries(
      { code: region.code, name: region.name, level: region.level, creditCode: null },
      window.months,
      byRegion.get(region.code) ?? none,
    ),
    children: childRegions.map((child) =>
      buildSeries(
        { code: child.code, name: child.name, level: child.level, creditCode: null },
        window.months,
        byRegion.get(child.code) ?? none,
      ),
    ),
  };
}

/** An e-town: one series per entity (an enterprise sees only its own), the e-town's as their sum. */
async function etownSeries(executor: Executor, actor: Actor, etown: RegionRow, window: Window) {
  const grouped = await executor
    .select({ entityId: monthlyStatistics.entityId, month: monthlyStatistics.month, ...sums })
    .from(monthlyStatistics)
    .where(
      and(
        eq(monthlyStatistics.status, 'approved'),
        eq(monthlyStatistics.etownCode, etown.code),
        gte(monthlyStatistics.month, shiftMonth(window.fromMonth, -12)),
        lte(monthlyStatistics.month, window.toMonth),
        entityCondition(actor),
      ),
    )
    .groupBy(monthlyStatistics.entityId, monthlyStatistics.month);
  const byEntity = new Map<string, Map<string, MonthlyMeasures>>();
  const etownMonths = new Map<string, MonthlyMeasures>();
  for (const row of grouped) {
    const values = parseSums(row);
    const months = byEntity.get(row.entityId) ?? new Map<string, MonthlyMeasures>();
    months.set(row.month, values);
    byEntity.set(row.entityId, months);
    const sum = etownMonths.get(row.month) ?? noMeasures();
    addMeasures(sum, values);
    etownMonths.set(row.month, sum);
  }
  const ownEntity = actor.scope.kind === 'entity' ? (actor.scope.entityId ?? '') : null;
  const registered = await executor
    .select({
      id: entities.id,
      name: entities.name,
      creditCode: entities.creditCode,
      status: entities.status,
    })
    .from(entities)
    .where(eq(entities.etownCode, etown.code))
    .orderBy(asc(entities.sortOrder), asc(entities.name));
  const shown = registered.filter(
    (entity) =>
      (ownEntity === null || entity.id === ownEntity) &&
      (entity.status === 'active' || byEntity.has(entity.id)),
  );
  return {
    series: buildSeries(
      { code: etown.code, name: etown.name, level: 'etown', creditCode: null },
      window.months,
      etownMonths,
    ),
    children: shown.map((entity) =>
      buildSeries(
        { code: entity.id, name: entity.name, level: 'entity', creditCode: entity.creditCode },
        window.months,
        byEntity.get(entity.id) ?? new Map(),
      ),
    ),
  };
}

/**
 * 统计汇总: a region's approved monthly figures and its children's (province → cities → counties →
 * e-towns → entities) for each month of the range, with MoM and YoY of output and online retail.
 */
export async function monthlyAggregates(
  context: AppContext,
  actor: Actor,
  query: AggregateQuery,
): Promise<MonthlyAggregates> {
  const window = monthWindow(query);
  // Kept per version of the data under the region asked (the same for every reader of the same scope).
  return cachedForSubtree(
    context.database,
    'aggregates',
    versionRootsOf(actor.scope, query.regionCode),
    [actor.scope, query.regionCode, window.fromMonth, window.toMonth],
    () => computeAggregates(context, actor, query, window),
  );
}

async function computeAggregates(
  context: AppContext,
  actor: Actor,
  query: AggregateQuery,
  window: Window,
): Promise<MonthlyAggregates> {
  const { db } = context.database;
  const region = await resolveRegion(db, actor, query.regionCode);
  const { series, children } =
    region.level === 'etown'
      ? await etownSeries(db, actor, region, window)
      : await regionSeries(db, region, window);
  return {
    region: { code: region.code, name: region.name, level: region.level },
    fromMonth: window.fromMonth,
    toMonth: window.toMonth,
    months: window.months,
    childLevel: childLevels[region.level],
    series,
    children,
  };
}

const monthsCondition = ({ fromMonth, toMonth }: { fromMonth: string; toMonth: string }) =>
  fromMonth === toMonth
    ? eq(monthlyStatistics.month, fromMonth)
    : (and(gte(monthlyStatistics.month, fromMonth), lte(monthlyStatistics.month, toMonth)) as SQL);

/** The approved rows behind aggregates: their filter, shared by the page, its totals and the workbook. */
function rowsCondition(actor: Actor, region: RegionRow, months: SQL, entityId?: string) {
  return and(
    eq(monthlyStatistics.status, 'approved'),
    regionCondition(region),
    months,
    entityCondition(actor),
    entityId ? eq(monthlyStatistics.entityId, entityId) : undefined,
  );
}

async function selectRows(executor: Executor, where: SQL | undefined, limit: number, offset: number) {
  const rows = await executor
    .select({
      row: monthlyStatistics,
      entityName: entities.name,
      creditCode: entities.creditCode,
      etownName: regions.name,
    })
    .from(monthlyStatistics)
    .innerJoin(entities, eq(entities.id, monthlyStatistics.entityId))
    .innerJoin(regions, eq(regions.code, monthlyStatistics.etownCode))
    .where(where)
    .orderBy(
      asc(monthlyStatistics.month),
      asc(monthlyStatistics.etownCode),
      asc(entities.sortOrder),
      asc(entities.name),
      asc(monthlyStatistics.id),
    )
    .limit(limit)
    .offset(offset);
  return rows.map(
    ({ row, entityName, creditCode, etownName }): AggregateRow => ({
      id: row.id,
      month: row.month,
      entity: { id: row.entityId, name: entityName, creditCode },
      etown: { code: row.etownCode, name: etownName },
      outputYuan: formatFen(row.outputFen),
      onlineRetailYuan: formatFen(row.onlineRetailFen),
      crossBorderYuan: formatFen(row.crossBorderFen),
      orders: row.orders,
      employees: row.employees,
      ecommerceEmployees: row.ecommerceEmployees,
      source: row.source,
      reviewedAt: row.reviewedAt?.toISOString() ?? null,
    }),
  );
}

/**
 * The approved rows behind one aggregate figure (a region, or one entity of an e-town; one month or the
 * range summed), paged; its totals are the aggregate itself.
 */
export async function aggregateRows(
  context: AppContext,
  actor: Actor,
  query: AggregateRowsQuery,
): Promise<AggregateRows> {
  const window = query.month
    ? monthWindow({ fromMonth: query.month, toMonth: query.month })
    : monthWindow(query);
  const { db } = context.database;
  const region = await resolveRegion(db, actor, query.regionCode);
  let entity: AggregateRows['entity'] = null;
  if (query.entityId) {
    const [found] = await db
      .select({ id: entities.id, name: entities.name, etownCode: entities.etownCode })
      .from(entities)
      .where(eq(entities.id, query.entityId));
    const ownOnly = actor.scope.kind === 'entity' && actor.scope.entityId !== query.entityId;
    if (!found || ownOnly || !found.etownCode.startsWith(region.code)) throw notFound('市场主体');
    entity = { id: found.id, name: found.name };
  }
  const where = rowsCondition(actor, region, monthsCondition(window), query.entityId);
  const [totals] = await db.select(sums).from(monthlyStatistics).where(where);
  const measures = totals ? parseSums(totals) : noMeasures();
  return {
    region: { code: region.code, name: region.name, level: region.level },
    fromMonth: window.fromMonth,
    toMonth: window.toMonth,
    entity,
    page: query.page,
    pageSize: query.pageSize,
    total: measures.rows,
    totals: present(measures),
    items: await selectRows(db, where, query.pageSize, (query.page - 1) * query.pageSize),
  };
}

/** Every approved row of the range, for the workbook's 明细 sheet; `limit + 1` rows tell that there are more. */
export async function aggregateRowsOfRange(
  context: AppContext,
  actor: Actor,
  aggregates: MonthlyAggregates,
  limit: number,
): Promise<AggregateRow[]> {
  const { db } = context.database;
  const region = await resolveRegion(db, actor, aggregates.region.code);
  return selectRows(db, rowsCondition(actor, region, monthsCondition(aggregates)), limit + 1, 0);
}
