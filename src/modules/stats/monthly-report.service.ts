import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Actor } from '../../access/scope.ts';
import { canSeeRegion } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { cachedForSubtree, countAt, keptAt, subtreeVersion, versionRootsOf } from '../../db/data-versions.ts';
import { qualified } from '../../db/qualified.ts';
import { entities } from '../../db/schema/entities.ts';
import { statsDeadlines } from '../../db/schema/entity-registry.ts';
import { regions } from '../../db/schema/regions.ts';
import { type MonthlyStatus, monthlyStatistics } from '../../db/schema/stats.ts';
import { staleVersion, updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, conflict, type FieldProblem, invalidFields, notFound } from '../../http/errors.ts';
import { formatFen, parseMoneyText } from '../../indicators/exact.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notifyUsers, usersCovering } from '../notifications/notifications.service.ts';
import {
  changePct,
  defaultDeadline,
  type MonthlyField,
  type MonthlyRules,
  monthlyFieldLabels,
  monthlyFields,
  previousMonth,
  readMonthlyRules,
} from './monthly-rules.ts';

export type MonthlyValues = {
  outputYuan: string | null;
  onlineRetailYuan: string | null;
  crossBorderYuan: string | null;
  orders: number | null;
  employees: number | null;
  ecommerceEmployees: number | null;
};
/** `version` is the one the client loaded; absent when it loaded no report for the month (a first save). */
export type MonthlyReportInput = MonthlyValues & {
  outlierExplanation?: string | null;
  version?: number | null;
};

type Row = typeof monthlyStatistics.$inferSelect;
/** A report's figures as stored: money in fen, counts as they are. */
type Stored = {
  outputFen: bigint;
  onlineRetailFen: bigint;
  crossBorderFen: bigint;
  orders: bigint;
  employees: bigint;
  ecommerceEmployees: bigint;
};

/** The stored figure behind each form field (the form's money fields hold yuan text, the store fen). */
const storedKeyOf = {
  outputYuan: 'outputFen',
  onlineRetailYuan: 'onlineRetailFen',
  crossBorderYuan: 'crossBorderFen',
  orders: 'orders',
  employees: 'employees',
  ecommerceEmployees: 'ecommerceEmployees',
} as const satisfies Record<MonthlyField, keyof Stored>;

const moneyFields = ['outputYuan', 'onlineRetailYuan', 'crossBorderYuan'] as const;
const isMoney = (field: MonthlyField): field is (typeof moneyFields)[number] =>
  (moneyFields as readonly string[]).includes(field);

/** The figures of a row, all a previous month's row is read for. */
type FigureColumns = Pick<
  Row,
  'outputFen' | 'onlineRetailFen' | 'crossBorderFen' | 'orders' | 'employees' | 'ecommerceEmployees'
>;

/** The figures a list reads of the previous month, as text in `FigureColumns` order (exact on either driver). */
function figuresOf(texts: string[]): Stored {
  const [outputFen, onlineRetailFen, crossBorderFen, orders, employees, ecommerceEmployees] =
    texts.map(BigInt);
  return { outputFen, onlineRetailFen, crossBorderFen, orders, employees, ecommerceEmployees } as Stored;
}

const stored = (row: FigureColumns): Stored => ({
  outputFen: row.outputFen,
  onlineRetailFen: row.onlineRetailFen,
  crossBorderFen: row.crossBorderFen,
  orders: BigInt(row.orders),
  employees: BigInt(row.employees),
  ecommerceEmployees: BigInt(row.ecommerceEmployees),
});

export type Outlier = {
  field: MonthlyField;
  label: string;
  previous: string;
  current: string;
  changePct: number;
  thresholdPct: number;
};

export type MonthlyReportView = {
  id: string;
  version: number;
  entity: { id: string; name: string; creditCode: string; etownCode: string };
  month: string;
  status: MonthlyStatus;
  source: string;
  values: MonthlyValues;
  outlierExplanation: string | null;
  outliers: Outlier[];
  warnings: string[];
  deadline: string;
  submittedAt: string | null;
  late: boolean;
  reviewedAt: string | null;
  returnReason: string | null;
  reopenCount: number;
};

/** The entity if the actor may report or review for it: its own (enterprise) or one in their region. */
async function requireEntityInScope(executor: Executor, actor: Actor, entityId: string) {
  if (actor.scope.kind === 'entity' && actor.scope.entityId !== entityId) throw notFound('市场主体');
  const [entity] = await executor.select().from(entities).where(eq(entities.id, entityId));
  if (!entity || !canSeeRegion(actor.scope, entity.etownCode)) throw notFound('市场主体');
  return entity;
}

async function deadlineOf(executor: Executor, month: string, rules: MonthlyRules): Promise<string> {
  const [override] = await executor.select().from(statsDeadlines).where(eq(statsDeadlines.month, month));
  return override?.deadline ?? defaultDeadline(month, rules.deadlineDay);
}

/** Month-over-month changes beyond each field's threshold, against the entity's previous month. */
function findOutliers(current: Stored, previous: Stored | null, rules: MonthlyRules): Outlier[] {
  if (!previous) return [];
  const outliers: Outlier[] = [];
  for (const field of monthlyFields) {
    const threshold = rules.fields[field].momThresholdPct;
    const key = storedKeyOf[field];
    const change = changePct(previous[key], current[key]);
    if (threshold === null || change === null || Math.abs(change) < threshold) continue;
    const show = (value: bigint) => (isMoney(field) ? formatFen(value) : value.toString());
    outliers.push({
      field,
      label: monthlyFieldLabels[field],
      previous: show(previous[key]),
      current: show(current[key]),
      changePct: change,
      thresholdPct: threshold,
    });
  }
  return outliers;
}

function warningsOf(values: Stored, rules: MonthlyRules): string[] {
  const warnings: string[] = [];
  if (rules.warnOnlineRetailAboveOutput && values.onlineRetailFen > values.outputFen) {
    warnings.push('网络零售额高于总产值，请核对（仅提示）');
  }
  if (values.crossBorderFen > values.onlineRetailFen)
    warnings.push('其中跨境高于网络零售额，请核对（仅提示）');
  if (values.ecommerceEmployees > values.employees)
    warnings.push('电商从业人员多于从业人员，请核对（仅提示）');
  return warnings;
}

type ReportEntity = { id: string; name: string; creditCode: string; etownCode: string };

/** One report as the API shows it, with its outliers against the previous month's row. */
async function present(
  executor: Executor,
  row: Row,
  entity: ReportEntity,
  rules: MonthlyRules,
): Promise<MonthlyReportView> {
  const [previousRow] = await executor
    .select()
    .from(monthlyStatistics)
    .where(
      and(
        eq(monthlyStatistics.entityId, row.entityId),
        eq(monthlyStatistics.month, previousMonth(row.month)),
      ),
    );
  const previous = previousRow ? stored(previousRow) : null;
  return presentWith(row, entity, rules, previous, await deadlineOf(executor, row.month, rules));
}

function presentWith(
  row: Row,
  entity: ReportEntity,
  rules: MonthlyRules,
  previous: Stored | null,
  deadline: string,
): MonthlyReportView {
  const values = stored(row);
  return {
    id: row.id,
    version: row.version,
    entity: { id: entity.id, name: entity.name, creditCode: entity.creditCode, etownCode: entity.etownCode },
    month: row.month,
    status: row.status,
    source: row.source,
    values: {
      outputYuan: formatFen(row.outputFen),
      onlineRetailYuan: formatFen(row.onlineRetailFen),
      crossBorderYuan: formatFen(row.crossBorderFen),
      orders: row.orders,
      employees: row.employees,
      ecommerceEmployees: row.ecommerceEmployees,
    },
    outlierExplanation: row.outlierExplanation,
    outliers: findOutliers(values, previous, rules),
    warnings: warningsOf(values, rules),
    deadline,
    submittedAt: row.submittedAt?.toISOString() ?? null,
    late: row.submittedAt ? shanghaiToday(row.submittedAt) > deadline : false,
    reviewedAt: row.reviewedAt?.toISOString() ?? null,
    returnReason: row.returnReason,
    reopenCount: row.reopenCount,
  };
}

/** Field problems of a report, and its values in fen and counts. */
function parseValues(input: MonthlyValues, rules: MonthlyRules): Stored {
  const problems: FieldProblem[] = [];
  const result = {} as Stored;
  for (const field of monthlyFields) {
    const raw = input[field];
    const label = monthlyFieldLabels[field];
    if (raw === null || raw === undefined || raw === '') {
      if (rules.fields[field].required) problems.push({ path: field, message: `${label}为必填项` });
      result[storedKeyOf[field]] = 0n;
      continue;
    }
    if (isMoney(field)) {
      const fen = typeof raw === 'string' ? parseMoneyText(raw.trim()) : null;
      if (fen === null) {
        problems.push({ path: field, message: `${label}须为不小于 0、最多两位小数的金额，实际为 "${raw}"` });
      } else result[storedKeyOf[field]] = fen;
    } else if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
      problems.push({ path: field, message: `${label}须为不小于 0 的整数，实际为 "${raw}"` });
    } else result[storedKeyOf[field]] = BigInt(raw);
  }
  if (problems.length > 0) throw invalidFields(problems);
  return result;
}

const editable: MonthlyStatus[] = ['draft', 'returned'];

/**
 * Fills or corrects one entity's figures for a month (enterprise for itself, county operator on its
 * behalf). Submitted and approved figures are locked: approved ones change only after a reopening.
 */
export async function saveMonthlyReport(
  context: AppContext,
  actor: Actor,
  entityId: string,
  month: string,
  input: MonthlyReportInput,
): Promise<MonthlyReportView> {
  return context.database.db.transaction(async (tx) => {
    const entity = await requireEntityInScope(tx, actor, entityId);
    if (entity.status === 'exited') throw conflict('entity_exited', `${entity.name}已退出，不再填报月度统计`);
    const rules = await readMonthlyRules(tx);
    const values = parseValues(input, rules);
    const [existing] = await tx
      .select()
      .from(monthlyStatistics)
      .where(and(eq(monthlyStatistics.entityId, entityId), eq(monthlyStatistics.month, month)));
    if (existing && !editable.includes(existing.status)) {
      throw conflict(
        'monthly_locked',
        existing.status === 'approved'
          ? `${month} 的数据已审核通过并锁定，修改须由县级审核人员先重新打开`
          : `${month} 的数据已提交待审核，审核退回后才能修改`,
      );
    }
    const fields = {
      outputFen: values.outputFen,
      onlineRetailFen: values.onlineRetailFen,
      crossBorderFen: values.crossBorderFen,
      orders: Number(values.orders),
      employees: Number(values.employees),
      ecommerceEmployees: Number(values.ecommerceEmployees),
      outlierExplanation: input.outlierExplanation?.trim() || null,
      updatedAt: new Date(),
    };
    const version = input.version ?? null;
    if (!existing && version !== null) throw notFound(`${month} 的月度统计`);
    // A first save racing another first save finds the row the other made: the client loaded none.
    if (existing && version === null) throw staleVersion(await present(tx, existing, entity, rules));
    const [row] = existing
      ? [
          await updateVersioned(
            tx,
            monthlyStatistics,
            eq(monthlyStatistics.id, existing.id),
            version as number,
            { ...fields, status: 'draft' },
            (current) => present(tx, current, entity, rules),
          ),
        ]
      : await tx
          .insert(monthlyStatistics)
          .values({
            ...fields,
            entityId,
            etownCode: entity.etownCode,
            month,
            status: 'draft',
            source: 'report',
          })
          .returning();
    if (!row) throw new Error('monthly report write returned nothing');
    await recordAudit(tx, actor, {
      action: existing ? 'stats.monthly.update' : 'stats.monthly.create',
      targetType: 'monthly_statistics',
      targetId: row.id,
      regionCode: entity.etownCode,
      diff: { entityId, month, values: input },
    });
    return present(tx, row, entity, rules);
  });
}

async function requireRow(executor: Executor, actor: Actor, entityId: string, month: string) {
  const entity = await requireEntityInScope(executor, actor, entityId);
  const [row] = await executor
    .select()
    .from(monthlyStatistics)
    .where(and(eq(monthlyStatistics.entityId, entityId), eq(monthlyStatistics.month, month)))
    .for('update');
  if (!row) throw notFound(`${month} 的月度统计`);
  return { entity, row };
}

/** Submits a month for county review; an outlier needs its explanation first. */
export async function submitMonthlyReport(
  context: AppContext,
  actor: Actor,
  entityId: string,
  month: string,
): Promise<MonthlyReportView> {
  return context.database.db.transaction(async (tx) => {
    const { entity, row } = await requireRow(tx, actor, entityId, month);
    if (!editable.includes(row.status))
      throw conflict('monthly_not_draft', `${month} 的数据已提交，无需重复提交`);
    const rules = await readMonthlyRules(tx);
    const view = await present(tx, row, entity, rules);
    if (view.outliers.length > 0 && !row.outlierExplanation) {
      throw new AppError(
        422,
        'outlier_explanation_required',
        `${view.outliers.map((outlier) => `${outlier.label}较上月变化 ${outlier.changePct}%（超过 ${outlier.thresholdPct}%）`).join('；')}，请先填写异常说明再提交`,
        view.outliers,
      );
    }
    const [updated] = await tx
      .update(monthlyStatistics)
      .set({
        status: 'submitted',
        submittedAt: new Date(),
        submittedBy: actor.userId,
        version: sql`${monthlyStatistics.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(monthlyStatistics.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      action: 'stats.monthly.submit',
      targetType: 'monthly_statistics',
      targetId: row.id,
      regionCode: entity.etownCode,
      diff: { entityId, month, outliers: view.outliers.map((outlier) => outlier.field) },
    });
    // The county operator and the county statistics bureau review the figures together.
    const reviewers = [
      ...(await usersCovering(tx, 'county_operator', entity.etownCode)),
      ...(await usersCovering(tx, 'county_statistics', entity.etownCode)),
    ];
    await notifyUsers(tx, reviewers, {
      kind: 'stats.monthly.submitted',
      title: `${entity.name} 已提交 ${month} 月度统计`,
      body: view.outliers.length > 0 ? `含异常波动，说明：${row.outlierExplanation}` : '请审核。',
    });
    return present(tx, updated as Row, entity, rules);
  });
}

/** County review: approve (locks the figures) or return with a reason. */
export async function reviewMonthlyReport(
  context: AppContext,
  actor: Actor,
  entityId: string,
  month: string,
  decision: { approve: boolean; reason?: string | null },
): Promise<MonthlyReportView> {
  return context.database.db.transaction(async (tx) => {
    const { entity, row } = await requireRow(tx, actor, entityId, month);
    if (row.status !== 'submitted')
      throw conflict('monthly_not_submitted', `${month} 的数据未处于待审核状态`);
    const reason = decision.reason?.trim() || null;
    if (!decision.approve && !reason) throw invalidFields([{ path: 'reason', message: '退回须说明原因' }]);
    const [updated] = await tx
      .update(monthlyStatistics)
      .set({
        version: sql`${monthlyStatistics.version} + 1`,
        status: decision.approve ? 'approved' : 'returned',
        returnReason: decision.approve ? null : reason,
        reviewedAt: new Date(),
        reviewedBy: actor.userId,
        updatedAt: new Date(),
      })
      .where(eq(monthlyStatistics.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      action: decision.approve ? 'stats.monthly.approve' : 'stats.monthly.return',
      targetType: 'monthly_statistics',
      targetId: row.id,
      regionCode: entity.etownCode,
      diff: { entityId, month, reason },
    });
    if (row.submittedBy) {
      await notifyUsers(tx, [row.submittedBy], {
        kind: decision.approve ? 'stats.monthly.approved' : 'stats.monthly.returned',
        title: `${entity.name} ${month} 月度统计${decision.approve ? '已审核通过' : '被退回'}`,
        body: decision.approve ? '数据已锁定。' : `退回原因：${reason}`,
      });
    }
    return present(tx, updated as Row, entity, await readMonthlyRules(tx));
  });
}

/** Reopens approved figures for correction; counted and audited. */
export async function reopenMonthlyReport(
  context: AppContext,
  actor: Actor,
  entityId: string,
  month: string,
  reason: string,
): Promise<MonthlyReportView> {
  return context.database.db.transaction(async (tx) => {
    const { entity, row } = await requireRow(tx, actor, entityId, month);
    if (row.status !== 'approved')
      throw conflict('monthly_not_approved', `${month} 的数据未锁定，无需重新打开`);
    const [updated] = await tx
      .update(monthlyStatistics)
      .set({
        version: sql`${monthlyStatistics.version} + 1`,
        status: 'returned',
        returnReason: reason,
        reopenCount: sql`${monthlyStatistics.reopenCount} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(monthlyStatistics.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      action: 'stats.monthly.reopen',
      targetType: 'monthly_statistics',
      targetId: row.id,
      regionCode: entity.etownCode,
      diff: { entityId, month, reason, reopenCount: (updated as Row).reopenCount },
    });
    return present(tx, updated as Row, entity, await readMonthlyRules(tx));
  });
}

/**
 * One page of the month's reports in the actor's scope (an enterprise: its own), by e-town, then the entity's
 * place in its e-town and name; the row id breaks ties so pages never overlap.
 */
export async function listMonthlyReports(
  context: AppContext,
  actor: Actor,
  query: { month: string; regionCode?: string; status?: MonthlyStatus; page: number; pageSize: number },
): Promise<{ items: MonthlyReportView[]; total: number; page: number; pageSize: number }> {
  const { db } = context.database;
  if (query.regionCode && !canSeeRegion(actor.scope, query.regionCode)) throw notFound('区划');
  const condition = and(
    eq(monthlyStatistics.month, query.month),
    regionScopeCondition(actor.scope, monthlyStatistics.etownCode),
    actor.scope.kind === 'entity' ? eq(monthlyStatistics.entityId, actor.scope.entityId ?? '') : undefined,
    query.regionCode ? sql`${monthlyStatistics.etownCode} like ${`${query.regionCode}%`}` : undefined,
    query.status ? eq(monthlyStatistics.status, query.status) : undefined,
  );
  // Each row with the entity's previous month's figures beside it (the outliers compare the two), in one
  // statement. A subquery in the select list, which PostgreSQL runs after the sort and limit (for the page's rows
  // only); a join ran it for every row of the county before sorting (800 lookups for a page of 20).
  const previous = alias(monthlyStatistics, 'previous');
  const roots = versionRootsOf(actor.scope, query.regionCode);
  const [version, rows] = await Promise.all([
    subtreeVersion(db, roots),
    db
      .select({
        row: monthlyStatistics,
        entity: {
          id: entities.id,
          name: entities.name,
          creditCode: entities.creditCode,
          etownCode: entities.etownCode,
        },
        previousFigures: sql<
          string[] | null
        >`(select array[${previous.outputFen}, ${previous.onlineRetailFen},
          ${previous.crossBorderFen}, ${previous.orders}, ${previous.employees}, ${previous.ecommerceEmployees}]::text[]
          from ${monthlyStatistics} as ${sql.identifier('previous')} where ${previous.entityId} = ${qualified(monthlyStatistics.entityId)}
          and ${previous.month} = ${previousMonth(query.month)})`,
      })
      .from(monthlyStatistics)
      .innerJoin(entities, eq(entities.id, monthlyStatistics.entityId))
      .where(condition)
      .orderBy(
        asc(monthlyStatistics.etownCode),
        asc(entities.sortOrder),
        asc(entities.name),
        asc(monthlyStatistics.id),
      )
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
  ]);
  // The rules, the month's deadline and the count of its rows are kept per version of the data under the region
  // (which the reporting settings move too), not read again for every page.
  const [{ rules, deadline }, total] = await Promise.all([
    keptAt(context.database, 'monthly-rules-deadline', version, [roots, query.month], async () => {
      const rules = await readMonthlyRules(db);
      return { rules, deadline: await deadlineOf(db, query.month, rules) };
    }),
    countAt(
      context.database,
      'monthly-report-count',
      version,
      [actor.scope, query.month, query.regionCode, query.status],
      monthlyStatistics,
      condition,
    ),
  ]);
  return {
    items: rows.map(({ row, entity, previousFigures }) =>
      presentWith(row, entity, rules, previousFigures ? figuresOf(previousFigures) : null, deadline),
    ),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export type ReportingProgress = {
  month: string;
  deadline: string;
  regions: {
    code: string;
    name: string;
    level: 'county' | 'etown';
    entities: number;
    reported: number;
    onTime: number;
    completenessPct: number;
    timelinessPct: number;
  }[];
  /** Active entities with nothing submitted for the month yet (the reminder list), the first MISSING_SHOWN. */
  missing: { entityId: string; name: string; creditCode: string; etownCode: string; etownName: string }[];
  /** How many have not reported in all: more than `missing` holds when a city or the province asks. */
  missingTotal: number;
};

/** The reminder list's length: a county's entities fit; a province asks a county at a time to remind. */
export const MISSING_SHOWN = 1000;

const reportedStatus = sql`${monthlyStatistics.status} in ('submitted', 'approved')`;

/** Per e-town in scope: active entities, how many reported the month, how many by the deadline. */
function progressPerEtown(
  executor: Executor,
  activeInScope: SQL | undefined,
  ofTheMonth: SQL | undefined,
  deadline: string,
) {
  // Figures loaded by the county (ledger or bulk import) have no submission and no deadline to miss; a
  // submission counts on its Shanghai date (UTC+8, no daylight saving).
  const onTime = sql`${reportedStatus} and (${monthlyStatistics.submittedAt} is null
    or to_char(${monthlyStatistics.submittedAt} at time zone 'UTC' + interval '8 hours', 'YYYY-MM-DD') <= ${deadline})`;
  return executor
    .select({
      code: entities.etownCode,
      name: regions.name,
      countyCode: regions.parentCode,
      entities: sql<number>`count(*)::int`,
      reported: sql<number>`(count(*) filter (where ${reportedStatus}))::int`,
      onTime: sql<number>`(count(*) filter (where ${onTime}))::int`,
    })
    .from(entities)
    .innerJoin(regions, eq(regions.code, entities.etownCode))
    .leftJoin(monthlyStatistics, ofTheMonth)
    .where(activeInScope)
    .groupBy(entities.etownCode, regions.name, regions.parentCode);
}

/** The reminder list: active entities in scope with nothing submitted for the month, the first MISSING_SHOWN. */
function notReported(executor: Executor, activeInScope: SQL | undefined, ofTheMonth: SQL | undefined) {
  return executor
    .select({
      entityId: entities.id,
      name: entities.name,
      creditCode: entities.creditCode,
      etownCode: entities.etownCode,
      etownName: regions.name,
    })
    .from(entities)
    .innerJoin(regions, eq(regions.code, entities.etownCode))
    .leftJoin(monthlyStatistics, ofTheMonth)
    .where(and(activeInScope, sql`(${monthlyStatistics.status} is null or not ${reportedStatus})`))
    .orderBy(asc(entities.etownCode), asc(entities.sortOrder), asc(entities.id))
    .limit(MISSING_SHOWN);
}

/**
 * Completeness (reported ÷ active entities) and timeliness (by the deadline) per county and e-town, counted
 * in the database per e-town, and the first of those who have not reported.
 */
export async function reportingProgress(
  context: AppContext,
  actor: Actor,
  query: { month: string; regionCode?: string },
): Promise<ReportingProgress> {
  if (query.regionCode && !canSeeRegion(actor.scope, query.regionCode)) throw notFound('区划');
  // Kept per version of the data under the region asked and of the reporting settings.
  return cachedForSubtree(
    context.database,
    'reporting-progress',
    versionRootsOf(actor.scope, query.regionCode),
    [actor.scope, query.month, query.regionCode],
    () => computeProgress(context, actor, query),
  );
}

async function computeProgress(
  context: AppContext,
  actor: Actor,
  query: { month: string; regionCode?: string },
): Promise<ReportingProgress> {
  const { db } = context.database;
  const rules = await readMonthlyRules(db);
  const deadline = await deadlineOf(db, query.month, rules);
  const activeInScope = and(
    eq(entities.status, 'active'),
    regionScopeCondition(actor.scope, entities.etownCode),
    actor.scope.kind === 'entity' ? eq(entities.id, actor.scope.entityId ?? '') : undefined,
    query.regionCode ? sql`${entities.etownCode} like ${`${query.regionCode}%`}` : undefined,
  );
  const ofTheMonth = and(
    eq(monthlyStatistics.entityId, entities.id),
    eq(monthlyStatistics.month, query.month),
  );
  const perEtown = await progressPerEtown(db, activeInScope, ofTheMonth, deadline);
  const missing = await notReported(db, activeInScope, ofTheMonth);
  const countyCodes = [...new Set(perEtown.flatMap((row) => (row.countyCode ? [row.countyCode] : [])))];
  const countyNames = new Map(
    countyCodes.length === 0
      ? []
      : (
          await db
            .select({ code: regions.code, name: regions.name })
            .from(regions)
            .where(inArray(regions.code, countyCodes))
        ).map((row) => [row.code, row.name]),
  );
  const tally = new Map<string, ReportingProgress['regions'][number]>();
  const add = (code: string, name: string, level: 'county' | 'etown', row: (typeof perEtown)[number]) => {
    const entry = tally.get(code) ?? {
      code,
      name,
      level,
      entities: 0,
      reported: 0,
      onTime: 0,
      completenessPct: 0,
      timelinessPct: 0,
    };
    entry.entities += row.entities;
    entry.reported += row.reported;
    entry.onTime += row.onTime;
    tally.set(code, entry);
  };
  for (const row of perEtown) {
    add(row.code, row.name, 'etown', row);
    if (row.countyCode) add(row.countyCode, countyNames.get(row.countyCode) ?? row.countyCode, 'county', row);
  }
  const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.floor((part * 1000) / whole) / 10);
  return {
    month: query.month,
    deadline,
    regions: [...tally.values()]
      .map((entry) => ({
        ...entry,
        completenessPct: percent(entry.reported, entry.entities),
        timelinessPct: percent(entry.onTime, entry.entities),
      }))
      .sort((a, b) => a.code.localeCompare(b.code)),
    missing,
    missingTotal: perEtown.reduce((sum, row) => sum + row.entities - row.reported, 0),
  };
}
