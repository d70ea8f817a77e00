import { and, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Scope } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { type MonthlyStatus, monthlyEtownTotals, monthlyStatistics } from '../../db/schema/stats.ts';

export type AggregateLevel = 'etown' | 'county' | 'city' | 'province';

export type MonthlyMeasures = {
  /** Entity-months behind the sums (the drill-down's row count). */
  rows: number;
  outputFen: bigint;
  onlineRetailFen: bigint;
  crossBorderFen: bigint;
  orders: bigint;
  employees: bigint;
  ecommerceEmployees: bigint;
};

export type MonthlyAggregateRow = MonthlyMeasures & {
  level: AggregateLevel;
  /** 140827-E01 (e-town), 140827 (county), 1408 (city), 14 (province): codes nest by prefix. */
  regionCode: string;
  month: string;
};

/** Percent change, two decimals, rounded half away from zero; null when there is nothing to compare. */
export type Growth = { momPct: string | null; yoyPct: string | null };

export type MonthlyAggregateWithGrowth = MonthlyAggregateRow & {
  outputGrowth: Growth;
  onlineRetailGrowth: Growth;
};

export type MonthlyAggregateOptions = {
  scope?: Scope;
  fromMonth?: string;
  toMonth?: string;
  /** Which figures count; dashboards show approved ones. */
  statuses?: readonly MonthlyStatus[];
};

const measures = [
  'outputFen',
  'onlineRetailFen',
  'crossBorderFen',
  'orders',
  'employees',
  'ecommerceEmployees',
] as const;

/** The county, city and province codes of an e-town code: its prefixes. */
const parentCodes = (etownCode: string): [AggregateLevel, string][] => [
  ['county', etownCode.slice(0, 6)],
  ['city', etownCode.slice(0, 4)],
  ['province', etownCode.slice(0, 2)],
];

/** The approved sums per e-town and month from the roll-up the triggers keep (migration 0019). */
const approvedTotalsQuery = (options: MonthlyAggregateOptions) => sql`
  select etown_code, month, rows, output_fen::text as output_fen, online_retail_fen::text as online_retail_fen,
    cross_border_fen::text as cross_border_fen, orders::text as orders, employees::text as employees,
    ecommerce_employees::text as ecommerce_employees
  from ${monthlyEtownTotals}
  where ${and(
    sql`${monthlyEtownTotals.rows} > 0`,
    options.scope ? regionScopeCondition(options.scope, monthlyEtownTotals.etownCode) : undefined,
    options.fromMonth ? gte(monthlyEtownTotals.month, options.fromMonth) : undefined,
    options.toMonth ? lte(monthlyEtownTotals.month, options.toMonth) : undefined,
  )}`;

/**
 * 月度汇总: each measure summed by e-town and month (approved figures read from their roll-up, other
 * statuses in one GROUP BY over the rows), then rolled up to county, city and province here — a few
 * thousand sums, exact in bigint — because region codes nest by prefix and no join is needed.
 */
export async function aggregateMonthlyStatistics(
  executor: Executor,
  options: MonthlyAggregateOptions = {},
): Promise<MonthlyAggregateRow[]> {
  const statuses = options.statuses ?? ['approved'];
  const conditions: (SQL | undefined)[] = [
    inArray(monthlyStatistics.status, [...statuses]),
    options.scope ? regionScopeCondition(options.scope, monthlyStatistics.etownCode) : undefined,
    options.fromMonth ? gte(monthlyStatistics.month, options.fromMonth) : undefined,
    options.toMonth ? lte(monthlyStatistics.month, options.toMonth) : undefined,
  ];
  // Sums leave the database as text: a province's bigint totals do not fit a JavaScript number.
  const result = (statuses.length === 1 && statuses[0] === 'approved'
    ? await executor.execute(approvedTotalsQuery(options))
    : await executor.execute(sql`
    select etown_code, month, count(*)::int as rows,
      sum(output_fen)::text as output_fen, sum(online_retail_fen)::text as online_retail_fen,
      sum(cross_border_fen)::text as cross_border_fen, sum(orders)::text as orders,
      sum(employees)::text as employees, sum(ecommerce_employees)::text as ecommerce_employees
    from ${monthlyStatistics}
    where ${and(...conditions)}
    group by etown_code, month`)) as unknown as { rows: Record<string, string | number>[] };

  const byKey = new Map<string, MonthlyAggregateRow>();
  const add = (level: AggregateLevel, regionCode: string, month: string, values: MonthlyMeasures) => {
    const key = `${regionCode}|${month}`;
    const existing = byKey.get(key);
    if (!existing) {
      byKey.set(key, { level, regionCode, month, ...values });
      return;
    }
    existing.rows += values.rows;
    for (const measure of measures) existing[measure] += values[measure];
  };
  for (const row of result.rows) {
    const etownCode = row.etown_code as string;
    const month = row.month as string;
    const values: MonthlyMeasures = {
      rows: Number(row.rows),
      outputFen: BigInt(row.output_fen as string),
      onlineRetailFen: BigInt(row.online_retail_fen as string),
      crossBorderFen: BigInt(row.cross_border_fen as string),
      orders: BigInt(row.orders as string),
      employees: BigInt(row.employees as string),
      ecommerceEmployees: BigInt(row.ecommerce_employees as string),
    };
    add('etown', etownCode, month, values);
    for (const [level, code] of parentCodes(etownCode)) add(level, code, month, { ...values });
  }
  const order: Record<AggregateLevel, number> = { province: 0, city: 1, county: 2, etown: 3 };
  return [...byKey.values()].sort(
    (a, b) =>
      order[a.level] - order[b.level] ||
      (a.regionCode < b.regionCode ? -1 : a.regionCode > b.regionCode ? 1 : 0) ||
      (a.month < b.month ? -1 : 1),
  );
}

/** "2025-01" shifted by whole months. */
export function shiftMonth(month: string, by: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** (current − previous) / previous in percent, two decimals, half away from zero; null if previous is 0 or absent. */
export function growthPct(current: bigint, previous: bigint | undefined): string | null {
  if (previous === undefined || previous === 0n) return null;
  const numerator = (current - previous) * 10_000n;
  const negative = numerator < 0n !== previous < 0n;
  const magnitude = numerator < 0n ? -numerator : numerator;
  const divisor = previous < 0n ? -previous : previous;
  let hundredths = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) hundredths += 1n;
  const text = `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
  return negative && hundredths !== 0n ? `-${text}` : text;
}

/**
 * Month-over-month and year-over-year growth of output and online retail for each aggregate row, from the
 * rows themselves (ask `aggregateMonthlyStatistics` for twelve months before the first one shown).
 */
export function withGrowth(rows: readonly MonthlyAggregateRow[]): MonthlyAggregateWithGrowth[] {
  const byKey = new Map(rows.map((row) => [`${row.regionCode}|${row.month}`, row]));
  return rows.map((row) => {
    const previous = byKey.get(`${row.regionCode}|${shiftMonth(row.month, -1)}`);
    const lastYear = byKey.get(`${row.regionCode}|${shiftMonth(row.month, -12)}`);
    return {
      ...row,
      outputGrowth: {
        momPct: growthPct(row.outputFen, previous?.outputFen),
        yoyPct: growthPct(row.outputFen, lastYear?.outputFen),
      },
      onlineRetailGrowth: {
        momPct: growthPct(row.onlineRetailFen, previous?.onlineRetailFen),
        yoyPct: growthPct(row.onlineRetailFen, lastYear?.onlineRetailFen),
      },
    };
  });
}
