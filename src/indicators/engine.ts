import turfArea from '@turf/area';
import { boundaryAreaCount, contiguityProblem } from './boundary-contiguity.ts';
import type {
  AmountCondition,
  CatalogReference,
  Condition,
  CountableList,
  CountCondition,
  DocumentCondition,
  FacilityCondition,
  GrowthCondition,
  IndicatorCatalog,
  IndicatorDefinition,
  PlatformCountCondition,
  PlatformCountSource,
  SiteScaleCondition,
} from './catalog.ts';
import {
  add,
  compare,
  divide,
  fenToRational,
  formatExact,
  formatFen,
  formatFloor,
  formatForComparison,
  formatGrouped,
  formatYuan,
  fromDouble,
  multiply,
  parseDecimal,
  parseMoneyText,
  type Rational,
  rational,
  subtract,
} from './exact.ts';
import {
  type CountyTier,
  countyTierLabels,
  facilityFeatureLabels,
  incidentCategoryLabels,
  type Ledger,
} from './ledger-schema.ts';

/**
 * The evaluation engine: a pure function of a validated `ezhen-ledger/1` ledger and an indicator
 * catalog, giving the `ezhen-evaluation/1` document. Money is compared in integer fen, percentages and
 * areas as exact rationals.
 */

export const EVALUATION_FORMAT = 'ezhen-evaluation/1';

export type IndicatorStatus = 'met' | 'unmet' | 'pending';
export const indicatorStatusLabels = { met: '达标', unmet: '未达标', pending: '待定' } as const;

export type FactValue = string | number | boolean | null | string[];

export type IndicatorEvaluation = {
  no: number;
  title: string;
  status: IndicatorStatus;
  facts: Record<string, FactValue>;
  /** Why the indicator is not met (Chinese); empty when it is. */
  reasons: string[];
};

export type EvaluationSummary = { met: number; unmet: number; pending: number };

/** A county's own targets, evaluated apart from the binding indicators and not in their summary. */
export type AddOnEvaluation = {
  catalog: CatalogReference & { title: string };
  summary: EvaluationSummary;
  indicators: IndicatorEvaluation[];
};

export type LedgerEvaluation = {
  format: typeof EVALUATION_FORMAT;
  etown: { code: string; name: string };
  year: number;
  tier: CountyTier;
  /** The catalog version the result was computed with. */
  catalog: CatalogReference;
  summary: EvaluationSummary;
  indicators: IndicatorEvaluation[];
  addOns: AddOnEvaluation[];
  /** Set when the year was judged as running (see `RunningYear`); null for a closed year. */
  running: RunningYear | null;
};

/** What the platform counted beside the ledger, per source: the names of the items counted. */
export type PlatformCounts = Readonly<Partial<Record<PlatformCountSource, readonly string[]>>>;

export type EvaluationOptions = {
  /** County add-on catalogs (see `addOnCatalogsFor`); each must be for the ledger's county and base. */
  addOns?: readonly IndicatorCatalog[];
  /**
   * The day (YYYY-MM-DD) the evaluation is made. When the evaluation year has not ended by then, the year
   * is judged as running (see `RunningYear`); absent, the whole year is judged, as for a ledger file.
   */
  asOf?: string;
  /** Only from the platform; a ledger file alone leaves `platform_count` conditions pending. */
  platformCounts?: PlatformCounts;
};

/**
 * A year not yet closed on the evaluation day: totals and growth compare January through `throughMonth`
 * (the latest month of the year with figures, not after the evaluation day's month) with the same months
 * of the year before, and a target that accumulates over the year and is not yet reached is pending
 * (待定，年度进行中) with the share reached, never unmet.
 */
export type RunningYear = { asOf: string; throughMonth: number };

/** The running year of a ledger evaluated on `asOf`, or null when the evaluation year has ended. */
export function runningYearOf(ledger: Pick<Ledger, 'year' | 'monthlyStats'>, asOf: string | undefined) {
  if (asOf === undefined || asOf > `${ledger.year}-12-31`) return null;
  const prefix = `${ledger.year}-`;
  const asOfMonth = asOf.slice(0, 7);
  let throughMonth = 0;
  for (const row of ledger.monthlyStats) {
    if (!row.month.startsWith(prefix) || row.month > asOfMonth) continue;
    throughMonth = Math.max(throughMonth, Number(row.month.slice(5, 7)));
  }
  return { asOf, throughMonth } satisfies RunningYear;
}

export const RUNNING_YEAR_LABEL = '年度进行中';

/** The document plus, per indicator, one line per condition (what was found, met or not) for people. */
export type ExplainedEvaluation = {
  evaluation: LedgerEvaluation;
  /** Keyed by `${catalog id}#${indicator no}`. */
  explanations: ReadonlyMap<string, string[]>;
};

export function evaluateLedger(
  ledger: Ledger,
  catalog: IndicatorCatalog,
  options: EvaluationOptions = {},
): LedgerEvaluation {
  return explainLedger(ledger, catalog, options).evaluation;
}

export function explainLedger(
  ledger: Ledger,
  catalog: IndicatorCatalog,
  options: EvaluationOptions = {},
): ExplainedEvaluation {
  const { evaluation, explanations } = runLedger(ledger, catalog, options, false);
  return { evaluation, explanations };
}

/**
 * The explained evaluation plus, per indicator, the ledger rows behind each condition: the same
 * evaluation code run once, so the rows shown can never disagree with the figures judged.
 */
export type TracedEvaluation = ExplainedEvaluation & {
  /** Keyed like `explanations`; one entry per condition, in catalog order. */
  rows: ReadonlyMap<string, ConditionRows[]>;
};

export function traceLedger(
  ledger: Ledger,
  catalog: IndicatorCatalog,
  options: EvaluationOptions = {},
): TracedEvaluation {
  return runLedger(ledger, catalog, options, true);
}

function runLedger(
  ledger: Ledger,
  catalog: IndicatorCatalog,
  options: EvaluationOptions,
  tracing: boolean,
): TracedEvaluation {
  if (catalog.layer.kind !== 'province') throw new Error(`${catalog.id} is an add-on, not a base catalog`);
  for (const addOn of options.addOns ?? []) {
    const { layer } = addOn;
    const fits =
      layer.kind === 'county_add_on' &&
      layer.countyCode === ledger.etown.countyCode &&
      layer.base.id === catalog.id &&
      layer.base.version === catalog.version;
    if (!fits) throw new Error(`${addOn.id} v${addOn.version} does not apply to this ledger and catalog`);
  }
  const context = buildContext(ledger, runningYearOf(ledger, options.asOf), options.platformCounts, tracing);
  const explanations = new Map<string, string[]>();
  const rows = new Map<string, ConditionRows[]>();
  const evaluateCatalog = (evaluated: IndicatorCatalog) =>
    [...evaluated.indicators]
      .sort((a, b) => a.no - b.no)
      .map((definition) => {
        const { result, lines, conditionRows } = evaluateIndicator(context, definition);
        explanations.set(`${evaluated.id}#${definition.no}`, lines);
        if (tracing) rows.set(`${evaluated.id}#${definition.no}`, conditionRows);
        return result;
      });

  const indicators = evaluateCatalog(catalog);
  const addOns = (options.addOns ?? []).map((addOn) => {
    const results = evaluateCatalog(addOn);
    return {
      catalog: { id: addOn.id, version: addOn.version, title: addOn.title },
      summary: summarize(results),
      indicators: results,
    };
  });
  return {
    evaluation: {
      format: EVALUATION_FORMAT,
      etown: { code: ledger.etown.code, name: ledger.etown.name },
      year: ledger.year,
      tier: ledger.etown.countyTier,
      catalog: { id: catalog.id, version: catalog.version },
      summary: summarize(indicators),
      indicators,
      addOns,
      running: context.running,
    },
    explanations,
    rows,
  };
}

function summarize(indicators: readonly IndicatorEvaluation[]): EvaluationSummary {
  const summary = { met: 0, unmet: 0, pending: 0 };
  for (const indicator of indicators) summary[indicator.status] += 1;
  return summary;
}

// ---- context ----

type YearTotals = { outputFen: bigint; onlineRetailFen: bigint; rows: number };

type Context = {
  ledger: Ledger;
  year: number;
  tier: CountyTier;
  /** "Y-12-31": "by Y" means dated on or before it. */
  yearEnd: string;
  running: RunningYear | null;
  /** The sums of `year`'s months January through `throughMonth` (12: the whole year). */
  totals: (year: number, throughMonth?: number) => YearTotals;
  platformCounts: PlatformCounts | undefined;
  /** Whether conditions report the rows behind them (`traceLedger`); off, evaluation does no extra work. */
  tracing: boolean;
};

function buildContext(
  ledger: Ledger,
  running: RunningYear | null,
  platformCounts: PlatformCounts | undefined,
  tracing: boolean,
): Context {
  const byMonth = new Map<string, YearTotals>();
  for (const row of ledger.monthlyStats) {
    const totals = byMonth.get(row.month) ?? { outputFen: 0n, onlineRetailFen: 0n, rows: 0 };
    totals.outputFen += row.outputFen;
    totals.onlineRetailFen += row.onlineRetailFen;
    totals.rows += 1;
    byMonth.set(row.month, totals);
  }
  return {
    ledger,
    year: ledger.year,
    tier: ledger.etown.countyTier,
    yearEnd: `${ledger.year}-12-31`,
    running,
    totals: (year, throughMonth = 12) => {
      const sum = { outputFen: 0n, onlineRetailFen: 0n, rows: 0 };
      for (let month = 1; month <= throughMonth; month += 1) {
        const totals = byMonth.get(`${year}-${String(month).padStart(2, '0')}`);
        if (!totals) continue;
        sum.outputFen += totals.outputFen;
        sum.onlineRetailFen += totals.onlineRetailFen;
        sum.rows += totals.rows;
      }
      return sum;
    },
    platformCounts,
    tracing,
  };
}

const inYear = (context: Context, date: string) => date.startsWith(`${context.year}-`);
/** "1—11月" in a running year (the months compared), "" for a closed year. */
const runningMonths = (context: Context) =>
  context.running === null || context.running.throughMonth === 0
    ? ''
    : context.running.throughMonth === 1
      ? '1月'
      : `1—${context.running.throughMonth}月`;
/** A target that accumulates over a running year and is not reached yet: pending, never unmet. */
const stillRunning = (reason: string): ConditionOutcome => {
  const text = `${RUNNING_YEAR_LABEL}：${reason}`;
  return { status: 'pending', reasons: [text], note: text };
};
const byYear = (context: Context, date: string) => date <= context.yearEnd;
/** `{year}` replaced; in a running year "截至Y年底" reads "截至" the evaluation day, which is what was counted. */
const withYear = (text: string, context: Context) =>
  (context.running ? text.replaceAll('截至{year}年底', `截至${context.running.asOf}`) : text).replaceAll(
    '{year}',
    String(context.year),
  );

// ---- the rows behind a condition (traceLedger) ----

type ListRow<K extends keyof Ledger> = Ledger[K] extends readonly (infer Row)[] ? Row : never;
export type LedgerDocument = ListRow<'documents'>;
export type LedgerFacility = ListRow<'facilities'>;
export type LedgerInvestment = ListRow<'investments'>;
/** A row of the list that the condition looks at but does not count, and why (Chinese). */
export type ExcludedRow<Row> = { row: Row; reason: string };

/**
 * One measure month by month for the year and the year before, over the months compared (January
 * through `throughMonth`: 12 for a closed year). Totals are the very sums the engine judged.
 */
export type MonthlyComparison = {
  measure: 'output' | 'online_retail';
  year: number;
  previousYear: number;
  throughMonth: number;
  /** Twelve entries; a figure is null where the ledger has no row for that month. */
  months: { month: number; compared: boolean; currentFen: bigint | null; previousFen: bigint | null }[];
  currentTotalFen: bigint;
  previousTotalFen: bigint;
  currentRows: number;
  previousRows: number;
  /** Per reporting entity over the months compared, the largest in `year` first. */
  contributors: { creditCode: string; currentFen: bigint; previousFen: bigint }[];
};

/** The rows behind one condition, with the engine's verdict on that condition alone. */
export type ConditionRows = ConditionRowsOfType & { status: IndicatorStatus };

type ConditionRowsOfType =
  | {
      type: 'count';
      condition: CountCondition;
      /** The list's rows counted (for a `sumOf` condition, the rows summed). */
      counted: readonly unknown[];
      /** Rows that match the condition's filter but fall outside its date window. */
      excluded: ExcludedRow<unknown>[];
      /** The counted rows' names, distinct and sorted (what a `distinct` condition counts). */
      names: string[];
      value: number;
    }
  | {
      type: 'document';
      condition: DocumentCondition;
      counted: LedgerDocument[];
      excluded: ExcludedRow<LedgerDocument>[];
    }
  | {
      type: 'facility';
      condition: FacilityCondition;
      /** Every facility of the kind, with what it lacks against the standard (empty: it qualifies). */
      checked: { facility: LedgerFacility; failures: string[] }[];
    }
  | {
      type: 'investment';
      condition: AmountCondition;
      counted: LedgerInvestment[];
      excluded: ExcludedRow<LedgerInvestment>[];
      totalFen: bigint;
      thresholdFen: bigint;
    }
  | {
      type: 'monthly';
      condition: AmountCondition | GrowthCondition;
      comparison: MonthlyComparison;
      /** The tier's threshold of an amount condition; null for growth. */
      thresholdFen: bigint | null;
    }
  | { type: 'site_scale'; condition: SiteScaleCondition }
  | { type: 'not_in_ledger'; condition: Condition & { type: 'not_in_ledger' } }
  | { type: 'platform_count'; condition: PlatformCountCondition; names: readonly string[] | null };

function monthlyComparison(context: Context, measure: 'output' | 'online_retail'): MonthlyComparison {
  const year = context.year;
  const previousYear = year - 1;
  const throughMonth = context.running?.throughMonth ?? 12;
  const months = Array.from({ length: 12 }, (_, index) => ({
    month: index + 1,
    compared: index + 1 <= throughMonth,
    currentFen: null as bigint | null,
    previousFen: null as bigint | null,
  }));
  const byEntity = new Map<string, { creditCode: string; currentFen: bigint; previousFen: bigint }>();
  for (const row of context.ledger.monthlyStats) {
    const rowYear = Number(row.month.slice(0, 4));
    if (rowYear !== year && rowYear !== previousYear) continue;
    const slot = months[Number(row.month.slice(5, 7)) - 1];
    if (!slot) continue;
    const fen = measure === 'output' ? row.outputFen : row.onlineRetailFen;
    const current = rowYear === year;
    if (current) slot.currentFen = (slot.currentFen ?? 0n) + fen;
    else slot.previousFen = (slot.previousFen ?? 0n) + fen;
    if (!slot.compared) continue;
    const entity = byEntity.get(row.creditCode) ?? {
      creditCode: row.creditCode,
      currentFen: 0n,
      previousFen: 0n,
    };
    if (current) entity.currentFen += fen;
    else entity.previousFen += fen;
    byEntity.set(row.creditCode, entity);
  }
  const bigFirst = (a: bigint, b: bigint) => (a === b ? 0 : a > b ? -1 : 1);
  return {
    measure,
    year,
    previousYear,
    throughMonth,
    months,
    currentTotalFen: yearTotal(context, measure, year),
    previousTotalFen: yearTotal(context, measure, previousYear),
    currentRows: context.totals(year, throughMonth).rows,
    previousRows: context.totals(previousYear, throughMonth).rows,
    contributors: [...byEntity.values()].sort(
      (a, b) =>
        bigFirst(a.currentFen, b.currentFen) ||
        bigFirst(a.previousFen, b.previousFen) ||
        a.creditCode.localeCompare(b.creditCode),
    ),
  };
}

// ---- indicators ----

type ConditionOutcome = { status: IndicatorStatus; reasons: string[]; note: string; rows?: ConditionRows };
type Facts = Record<string, FactValue>;

function evaluateIndicator(
  context: Context,
  definition: IndicatorDefinition,
): { result: IndicatorEvaluation; lines: string[]; conditionRows: ConditionRows[] } {
  const facts: Facts = {};
  const outcomes = definition.conditions.map((condition) => evaluateCondition(context, condition, facts));
  const status: IndicatorStatus = outcomes.some((outcome) => outcome.status === 'unmet')
    ? 'unmet'
    : outcomes.some((outcome) => outcome.status === 'pending')
      ? 'pending'
      : 'met';
  return {
    result: {
      no: definition.no,
      title: definition.title,
      status,
      facts,
      reasons: outcomes.flatMap((outcome) => (outcome.status === 'met' ? [] : outcome.reasons)),
    },
    lines: outcomes.map((outcome) => outcome.note),
    conditionRows: outcomes.flatMap((outcome) => (outcome.rows ? [outcome.rows] : [])),
  };
}

/** The outcome with the rows behind it when tracing. */
function withRows(
  context: Context,
  outcome: ConditionOutcome,
  rows: () => ConditionRowsOfType,
): ConditionOutcome {
  return context.tracing ? { ...outcome, rows: { ...rows(), status: outcome.status } } : outcome;
}

function evaluateCondition(context: Context, condition: Condition, facts: Facts): ConditionOutcome {
  switch (condition.type) {
    case 'count':
      return evaluateCount(context, condition, facts);
    case 'document':
      return evaluateDocument(context, condition, facts);
    case 'facility':
      return evaluateFacility(context, condition, facts);
    case 'amount':
      return evaluateAmount(context, condition, facts);
    case 'growth':
      return evaluateGrowth(context, condition, facts);
    case 'site_scale':
      return evaluateSiteScale(context, condition, facts);
    case 'not_in_ledger':
      return withRows(
        context,
        { status: 'pending', reasons: [condition.reason], note: condition.reason },
        () => ({ type: 'not_in_ledger', condition }),
      );
    case 'platform_count':
      return evaluatePlatformCount(context, condition, facts);
  }
}

const met = (note: string): ConditionOutcome => ({ status: 'met', reasons: [], note });
const unmet = (reason: string): ConditionOutcome => ({ status: 'unmet', reasons: [reason], note: reason });

// ---- counts ----

/** The date field that "in Y" / "by Y" looks at, for the lists that have one. */
const dateFields: Partial<Record<CountableList, string>> = {
  documents: 'issuedOn',
  entities: 'registeredOn',
  events: 'date',
  trainings: 'date',
  complianceIncidents: 'date',
};

function listItems(ledger: Ledger, list: CountableList): readonly unknown[] {
  return list === 'leadingIndustries' ? ledger.etown.leadingIndustries : ledger[list];
}

/** How an item is named in facts: the text itself, its title or name, or date and category. */
function describeItem(list: CountableList, item: unknown): string {
  if (typeof item === 'string') return item.trim();
  const record = item as Record<string, unknown>;
  if (list === 'complianceIncidents') {
    const category = incidentCategoryLabels[record.category as keyof typeof incidentCategoryLabels];
    return `${record.date} ${category}${record.description ? `：${record.description}` : ''}`;
  }
  return String(record.title ?? record.name);
}

function matches(
  list: CountableList,
  item: unknown,
  where: Readonly<Record<string, string | boolean>>,
): boolean {
  const record = item as Record<string, unknown>;
  return Object.entries(where).every(([field, expected]) => {
    if (!(field in record)) throw new Error(`catalog: ${list} items have no field "${field}"`);
    const value = record[field];
    return Array.isArray(value) ? value.includes(expected) : value === expected;
  });
}

function evaluateCount(context: Context, condition: CountCondition, facts: Facts): ConditionOutcome {
  const matching = listItems(context.ledger, condition.list).filter((item) =>
    condition.where ? matches(condition.list, item, condition.where) : true,
  );
  let items = matching;
  let dateOf: (item: unknown) => string = () => '';
  if (condition.window) {
    const field = dateFields[condition.list];
    if (!field) throw new Error(`catalog: ${condition.list} items have no date`);
    const inWindow = condition.window === 'in_year' ? inYear : byYear;
    dateOf = (item) => (item as Record<string, string>)[field] as string;
    items = items.filter((item) => inWindow(context, dateOf(item)));
  }
  const names = items.map((item) => describeItem(condition.list, item));
  const distinctNames = [...new Set(names)].sort();
  const value = condition.sumOf
    ? items.reduce<number>(
        (sum, item) => sum + ((item as Record<string, number>)[condition.sumOf as string] ?? 0),
        0,
      )
    : condition.distinct
      ? distinctNames.length
      : items.length;
  const finish = (outcome: ConditionOutcome) =>
    withRows(context, outcome, () => ({
      type: 'count',
      condition,
      counted: items,
      excluded: matching
        .filter((item) => !items.includes(item))
        .map((item) => ({ row: item, reason: outsideWindow(context, dateOf(item)) })),
      names: distinctNames,
      value,
    }));

  if (condition.itemsFact) facts[condition.itemsFact] = distinctNames;
  facts[condition.fact] = value;
  if (condition.requiredFact) facts[condition.requiredFact] = condition.min ?? condition.max ?? null;

  const prefix =
    condition.window === 'in_year'
      ? `${context.year}年`
      : condition.window === 'by_year'
        ? context.running
          ? `截至${context.running.asOf}`
          : `截至${context.year}年底`
        : '';
  const { label, unit, min, max } = condition;
  const found = `${prefix}${label}${value}${unit}`;
  if (min !== undefined && value < min) {
    if (context.running && condition.window)
      return finish(stillRunning(`${found}，距${min}${unit}尚差${min - value}${unit}`));
    return finish(unmet(`${found}，少于${min}${unit}`));
  }
  if (max === 0 && value > 0)
    return finish(unmet(`${prefix}发生${label}${value}${unit}：${distinctNames.join('；')}`));
  if (max !== undefined && value > max) return finish(unmet(`${found}，多于${max}${unit}`));
  if (max === 0) return finish(met(`${prefix}未发生${label}`));
  const required =
    min !== undefined && max !== undefined ? `${min}—${max}${unit}` : `不少于${min ?? 0}${unit}`;
  return finish(met(`${found}（要求${required}）`));
}

/** Why a dated row falls outside the year's window (Chinese). */
function outsideWindow(context: Context, date: string): string {
  if (date > context.yearEnd) return `${date}晚于${context.year}年底，不计入`;
  return `${date}早于${context.year}年，不计入`;
}

// ---- counts the platform supplies ----

function evaluatePlatformCount(
  context: Context,
  condition: PlatformCountCondition,
  facts: Facts,
): ConditionOutcome {
  const names = context.platformCounts?.[condition.source];
  const finish = (outcome: ConditionOutcome) =>
    withRows(context, outcome, () => ({ type: 'platform_count', condition, names: names ?? null }));
  facts[condition.fact] = names ? names.length : null;
  if (condition.itemsFact) facts[condition.itemsFact] = names ? [...names] : [];
  if (!names) {
    return finish({ status: 'pending', reasons: [condition.pendingReason], note: condition.pendingReason });
  }
  const { label, unit, min } = condition;
  const found = `截至${context.year}年底${label}${names.length}${unit}${names.length > 0 ? `：${names.join('、')}` : ''}`;
  if (names.length < min) return finish(unmet(`${found}，少于${min}${unit}`));
  return finish(met(`${found}（要求不少于${min}${unit}）`));
}

// ---- documents ----

function evaluateDocument(context: Context, condition: DocumentCondition, facts: Facts): ConditionOutcome {
  const ofKind = context.ledger.documents.filter((document) => document.kind === condition.kind);
  const issued = ofKind.filter((document) => byYear(context, document.issuedOn));
  const finish = (outcome: ConditionOutcome) =>
    withRows(context, outcome, () => ({
      type: 'document',
      condition,
      counted: issued,
      excluded: ofKind
        .filter((document) => !issued.includes(document))
        .map((document) => ({ row: document, reason: `晚于${context.year}年底印发，不计入` })),
    }));
  facts.documents = issued.map((document) => document.title);
  const first = issued[0];
  if (first) {
    const reference = [first.docNo, `${first.issuedOn}印发`].filter(Boolean).join('，');
    return finish(met(`《${first.title}》（${reference}）`));
  }
  const late = ofKind.map(
    (document) => `《${document.title}》${document.issuedOn}印发，晚于${context.year}年底`,
  );
  if (context.running) return finish(stillRunning(`截至${context.running.asOf}尚未印发${condition.label}`));
  return finish(
    unmet(
      `未见${context.year}年底前印发的${condition.label}${late.length > 0 ? `（${late.join('；')}）` : ''}`,
    ),
  );
}

// ---- facilities ----

function evaluateFacility(context: Context, condition: FacilityCondition, facts: Facts): ConditionOutcome {
  const minimum = condition.minAreaM2 === undefined ? null : (parseDecimal(condition.minAreaM2) as Rational);
  const maximum = condition.maxAreaM2 === undefined ? null : (parseDecimal(condition.maxAreaM2) as Rational);
  const ofKind = context.ledger.facilities.filter((facility) => facility.kind === condition.kind);
  const checked = ofKind.map((facility) => {
    const area = facility.buildingAreaM2;
    const shownArea = formatGrouped(formatExact(area));
    const failures: string[] = [];
    if (minimum && compare(area, minimum) < 0) {
      failures.push(`建筑面积 ${shownArea} 平方米，少于 ${formatGrouped(formatExact(minimum))} 平方米`);
    }
    if (maximum && compare(area, maximum) > 0) {
      failures.push(`建筑面积 ${shownArea} 平方米，多于 ${formatGrouped(formatExact(maximum))} 平方米`);
    }
    const lacking = condition.features.filter((feature) => !facility.features.includes(feature));
    if (lacking.length > 0)
      failures.push(`缺少${lacking.map((feature) => facilityFeatureLabels[feature]).join('、')}`);
    return { facility, shownArea, failures };
  });
  const qualifying = checked.find((entry) => entry.failures.length === 0);
  const largest = [...checked].sort((a, b) =>
    compare(b.facility.buildingAreaM2, a.facility.buildingAreaM2),
  )[0];

  const finish = (outcome: ConditionOutcome) =>
    withRows(context, outcome, () => ({
      type: 'facility',
      condition,
      checked: checked.map(({ facility, failures }) => ({ facility, failures })),
    }));
  if (condition.countFact) facts[condition.countFact] = ofKind.length;
  if (condition.areaFact) {
    const shown = qualifying ?? largest;
    facts[condition.areaFact] = shown ? formatExact(shown.facility.buildingAreaM2) : null;
  }
  if (qualifying) {
    const features = condition.features.map((feature) => facilityFeatureLabels[feature]).join('、');
    return finish(
      met(
        `「${qualifying.facility.name}」建筑面积 ${qualifying.shownArea} 平方米${features ? `，设有${features}` : ''}`,
      ),
    );
  }
  if (checked.length === 0) return finish(unmet(`没有${condition.label}`));
  return finish(
    unmet(
      checked
        .map((entry) => `${condition.label}「${entry.facility.name}」${entry.failures.join('，')}`)
        .join('；'),
    ),
  );
}

// ---- money ----

const measureLabels = { output: '总产值', online_retail: '网络零售额', investment: '总投资' } as const;

/** The measure's total over the months compared: the whole year, or the running year's months so far. */
function yearTotal(context: Context, measure: 'output' | 'online_retail', year: number): bigint {
  const totals = context.totals(year, context.running?.throughMonth ?? 12);
  return measure === 'output' ? totals.outputFen : totals.onlineRetailFen;
}

/** The share of `target` reached, in percent, floored to 2 decimals. */
const shareOf = (total: bigint, target: bigint) =>
  formatFloor(multiply(divide(fenToRational(total), fenToRational(target)), rational(100n)), 2);

function evaluateAmount(context: Context, condition: AmountCondition, facts: Facts): ConditionOutcome {
  const { measure } = condition;
  const invested =
    measure === 'investment'
      ? context.ledger.investments.filter((investment) => byYear(context, investment.date))
      : [];
  const total =
    measure === 'investment'
      ? invested.reduce((sum, investment) => sum + investment.amountFen, 0n)
      : yearTotal(context, measure, context.year);
  const threshold = parseMoneyText(condition.thresholdYuan[context.tier]) as bigint;
  const finish = (outcome: ConditionOutcome) =>
    withRows(context, outcome, () =>
      measure === 'investment'
        ? {
            type: 'investment',
            condition,
            counted: invested,
            excluded: context.ledger.investments
              .filter((investment) => !invested.includes(investment))
              .map((investment) => ({ row: investment, reason: `晚于${context.year}年底，不计入` })),
            totalFen: total,
            thresholdFen: threshold,
          }
        : {
            type: 'monthly',
            condition,
            comparison: monthlyComparison(context, measure),
            thresholdFen: threshold,
          },
    );
  facts[condition.fact] = formatFen(total);
  facts[condition.targetFact] = formatFen(threshold);

  const months = condition.measure === 'investment' ? '' : runningMonths(context);
  const label = withYear(condition.label, context).replace(`${context.year}年`, `${context.year}年${months}`);
  const standard = `${countyTierLabels[context.tier]}标准 ${formatYuan(threshold)} 元`;
  if (total >= threshold) return finish(met(`${label} ${formatYuan(total)} 元（${standard}）`));
  if (context.running) {
    facts.targetSharePct = shareOf(total, threshold);
    return finish(
      stillRunning(`${label} ${formatYuan(total)} 元，已完成全年${standard}的 ${facts.targetSharePct}%`),
    );
  }
  const noRows = condition.measure !== 'investment' && context.totals(context.year).rows === 0;
  return finish(
    unmet(
      `${label} ${formatYuan(total)} 元，低于${standard}${noRows ? `（台账中没有${context.year}年的月度统计）` : ''}`,
    ),
  );
}

function evaluateGrowth(context: Context, condition: GrowthCondition, facts: Facts): ConditionOutcome {
  const previousYear = context.year - 1;
  const current = yearTotal(context, condition.measure, context.year);
  const previous = yearTotal(context, condition.measure, previousYear);
  const previousRows = context.totals(previousYear, context.running?.throughMonth ?? 12).rows;
  const finish = (outcome: ConditionOutcome) =>
    withRows(context, outcome, () => ({
      type: 'monthly',
      condition,
      comparison: monthlyComparison(context, condition.measure),
      thresholdFen: null,
    }));
  facts[condition.previousFact] = previousRows === 0 ? null : formatFen(previous);
  if (context.running) facts.comparedMonths = runningMonths(context);
  if (context.running?.throughMonth === 0) {
    facts[condition.fact] = null;
    return finish(stillRunning(`${context.year}年尚无月度统计，无法计算同比增长率`));
  }

  const { minimum } = condition;
  let required: Rational | null;
  let requirement: string;
  if (minimum.kind === 'fixed') {
    required = parseDecimal(minimum.pct) as Rational;
    requirement = `${minimum.pct}%`;
  } else {
    const city = context.ledger.etown.cityOutputGrowthPct;
    facts.cityOutputGrowthPct = city === null ? null : formatExact(city);
    required = city === null ? null : add(city, parseDecimal(minimum.points) as Rational);
    requirement =
      city === null
        ? ''
        : `${formatExact(required as Rational)}%（所在市平均增长率 ${formatExact(city)}% 加 ${minimum.points} 个百分点）`;
  }

  const pending: string[] = [];
  const months = runningMonths(context);
  const label = withYear(condition.label, context).replace(`${context.year}年`, `${context.year}年${months}`);
  let growth: Rational | null = null;
  if (previous === 0n) {
    pending.push(
      previousRows === 0
        ? `台账中没有${previousYear}年${months}的月度统计（上年${months ? '同期' : ''}${measureLabels[condition.measure]}为 0），无法计算同比增长率`
        : `${previousYear}年${months}${measureLabels[condition.measure]}为 0，无法计算同比增长率`,
    );
  } else {
    // growth = (current − previous) / previous × 100, exact
    growth = multiply(
      divide(subtract(fenToRational(current), fenToRational(previous)), fenToRational(previous)),
      rational(100n),
    );
  }
  if (required === null)
    pending.push('未提供所在市年总产值平均增长率，无法比较（请在台账中填写或由市级录入）');

  facts[condition.fact] =
    growth === null
      ? null
      : required === null
        ? formatFloor(growth, 2)
        : formatForComparison(growth, 2, [required]);
  facts[condition.requiredFact] = required === null ? null : formatExact(required);
  if (growth === null || required === null) {
    const known = growth === null ? [] : [`${label} ${facts[condition.fact]}%`];
    return finish({ status: 'pending', reasons: pending, note: [...known, ...pending].join('；') });
  }

  const shown = `${label} ${facts[condition.fact]}%${months ? `（与${previousYear}年同期相比）` : ''}`;
  if (compare(growth, required) >= 0) return finish(met(`${shown}（要求不低于 ${requirement}）`));
  if (context.running) return finish(stillRunning(`${shown}，暂低于要求的 ${requirement}`));
  return finish(unmet(`${shown}，低于要求的 ${requirement}`));
}

// ---- site scale (#24) ----

/**
 * The boundary's area is the double @turf/area returns (geodesic, sphere of radius 6,371,008.8 m, holes
 * subtracted), taken at its exact binary value and compared exactly with the bounds: no epsilon and no
 * rounding, so the result is the one the contract's reference computation gives.
 */
export function boundaryAreaKm2(boundary: NonNullable<Ledger['etown']['boundary']>): Rational {
  return divide(fromDouble(turfArea(boundary)), rational(1_000_000n));
}

function evaluateSiteScale(context: Context, condition: SiteScaleCondition, facts: Facts): ConditionOutcome {
  return withRows(context, judgeSiteScale(context, condition, facts), () => ({
    type: 'site_scale',
    condition,
  }));
}

function judgeSiteScale(context: Context, condition: SiteScaleCondition, facts: Facts): ConditionOutcome {
  const { etown } = context.ledger;
  const minimumLand = parseDecimal(condition.landAreaKm2.min) as Rational;
  const maximumLand = parseDecimal(condition.landAreaKm2.max) as Rational;
  const minimumBuilding = parseDecimal(condition.minBuildingAreaM2) as Rational;

  const source = etown.boundary ? 'boundary' : etown.landAreaKm2 !== null ? 'declared' : null;
  const land = etown.boundary ? boundaryAreaKm2(etown.boundary) : etown.landAreaKm2;
  const building = etown.buildingAreaM2;
  const shownLand =
    land === null
      ? null
      : source === 'boundary'
        ? formatForComparison(land, 4, [minimumLand, maximumLand])
        : formatExact(land);
  facts.landAreaKm2 = shownLand;
  facts.landAreaSource = source;
  facts.declaredLandAreaKm2 = etown.landAreaKm2 === null ? null : formatExact(etown.landAreaKm2);
  facts.buildingAreaM2 = building === null ? null : formatExact(building);

  if (land === null && building === null) {
    const reason =
      '未提供占地面积（landAreaKm2 或建设边界 boundary）和建筑面积（buildingAreaM2），无法判断建设规模';
    return { status: 'pending', reasons: [reason], note: reason };
  }
  const landRange = `${formatExact(minimumLand)}—${formatExact(maximumLand)}平方公里`;
  const landText =
    land === null
      ? null
      : `占地面积 ${shownLand} 平方公里（${source === 'boundary' ? '按建设边界测算' : '填报值'}）`;
  const buildingText = building === null ? null : `建筑面积 ${formatGrouped(formatExact(building))} 平方米`;
  const landOk = land !== null && compare(land, minimumLand) >= 0 && compare(land, maximumLand) <= 0;
  const buildingOk = building !== null && compare(building, minimumBuilding) >= 0;
  const buildingRequirement = `${formatGrouped(formatExact(minimumBuilding))} 平方米`;

  // 集中连片: a boundary of parts that do not touch fails whatever the areas.
  const fragmented = etown.boundary ? contiguityProblem(etown.boundary) : null;
  if (etown.boundary) facts.boundaryAreaCount = boundaryAreaCount(etown.boundary).areas;
  const scaleOutcome = landOk
    ? met(`${landText}，在 ${landRange}之间`)
    : buildingOk
      ? met(`${buildingText}，不少于 ${buildingRequirement}`)
      : unmet(
          [
            landText ? `${landText}，不在 ${landRange}之间` : '未提供占地面积',
            buildingText ? `${buildingText}，少于 ${buildingRequirement}` : '未提供建筑面积',
          ].join('；'),
        );
  if (!fragmented) return scaleOutcome;
  const reasons = [fragmented, ...scaleOutcome.reasons];
  return { status: 'unmet', reasons, note: [fragmented, scaleOutcome.note].join('；') };
}
