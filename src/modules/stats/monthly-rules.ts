import { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor, Transaction } from '../../db/client.ts';
import { diffObjects, recordAudit } from '../audit/audit.service.ts';
import { putSystemSetting, readSystemSetting, type SystemSettingRow } from '../system/settings.service.ts';

/** The figures an entity reports each month, in the order forms and files show them. */
export const monthlyFields = [
  'outputYuan',
  'onlineRetailYuan',
  'crossBorderYuan',
  'orders',
  'employees',
  'ecommerceEmployees',
] as const;
export type MonthlyField = (typeof monthlyFields)[number];

export const monthlyFieldLabels: Record<MonthlyField, string> = {
  outputYuan: '总产值（元）',
  onlineRetailYuan: '网络零售额（元）',
  crossBorderYuan: '其中跨境（元）',
  orders: '订单数',
  employees: '从业人员',
  ecommerceEmployees: '电商从业人员',
};

const fieldRuleSchema = z.object({
  required: z.boolean(),
  /**
   * A change from the previous month beyond this many percent (either way) is an outlier that needs an
   * explanation before submission; null: not checked.
   */
  momThresholdPct: z.number().int('阈值须为整数百分比').min(1, '阈值至少 1%').max(10_000).nullable(),
});

/** Validation rules per field, configurable by the province (stored in system settings). */
export const monthlyRulesSchema = z.object({
  fields: z.object(
    Object.fromEntries(monthlyFields.map((field) => [field, fieldRuleSchema])) as Record<
      MonthlyField,
      typeof fieldRuleSchema
    >,
  ),
  /** Online retail above total output: a warning shown to whoever fills the form, not a refusal. */
  warnOnlineRetailAboveOutput: z.boolean(),
  /** Day of the next month by which a month's figures are due (default the 10th). */
  deadlineDay: z.number().int().min(1, '截止日须在 1—28 日').max(28, '截止日须在 1—28 日'),
});
export type MonthlyRules = z.infer<typeof monthlyRulesSchema>;

export const defaultMonthlyRules: MonthlyRules = {
  fields: {
    outputYuan: { required: true, momThresholdPct: 50 },
    onlineRetailYuan: { required: true, momThresholdPct: 50 },
    crossBorderYuan: { required: false, momThresholdPct: null },
    orders: { required: false, momThresholdPct: null },
    employees: { required: true, momThresholdPct: 30 },
    ecommerceEmployees: { required: false, momThresholdPct: null },
  },
  warnOnlineRetailAboveOutput: true,
  deadlineDay: 10,
};

/** The system-settings key the rules are stored under. */
export const MONTHLY_RULES_KEY = 'stats.monthly-rules';

/** The rules a stored settings row holds (the defaults while none is stored or it no longer parses). */
export function monthlyRulesOf(row: SystemSettingRow | undefined): MonthlyRules {
  const stored = row ? monthlyRulesSchema.safeParse(row.value) : null;
  return stored?.success ? stored.data : defaultMonthlyRules;
}

export async function readMonthlyRules(executor: Executor): Promise<MonthlyRules> {
  return monthlyRulesOf(await readSystemSetting(executor, MONTHLY_RULES_KEY));
}

/**
 * Saves the rules as one document; `version` is the one the page loaded (null: it loaded the defaults). A
 * stale one answers 409 with `present(current row)`.
 */
export async function writeMonthlyRules(
  tx: Transaction,
  actor: Actor,
  rules: MonthlyRules,
  version: number | null,
  present: (current: SystemSettingRow | undefined) => Promise<unknown>,
): Promise<void> {
  const before = await readMonthlyRules(tx);
  await putSystemSetting(tx, MONTHLY_RULES_KEY, rules, actor.username, version, present);
  await recordAudit(tx, actor, {
    action: 'stats.rules.update',
    targetType: 'settings',
    targetId: MONTHLY_RULES_KEY,
    diff: diffObjects(before, rules),
  });
}

/** The default due date of a month's figures: `deadlineDay` of the following month (YYYY-MM-DD). */
export function defaultDeadline(month: string, deadlineDay: number): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const next = monthNumber === 12 ? { year: year + 1, month: 1 } : { year, month: monthNumber + 1 };
  return `${next.year}-${String(next.month).padStart(2, '0')}-${String(deadlineDay).padStart(2, '0')}`;
}

/** The month before `month` (YYYY-MM). */
export function previousMonth(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return monthNumber === 1 ? `${year - 1}-12` : `${year}-${String(monthNumber - 1).padStart(2, '0')}`;
}

/**
 * Percent change from `previous` to `current`, rounded towards zero, or null when there is no base.
 * Integers in (fen or counts) — exact, no floating point on money.
 */
export function changePct(previous: bigint, current: bigint): number | null {
  if (previous === 0n) return null;
  return Number(((current - previous) * 100n) / previous);
}
