import { and, eq, gte, lte } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { statsDeadlines } from '../../db/schema/entity-registry.ts';
import { upsertVersioned } from '../../db/versioned-upsert.ts';
import type { AppContext } from '../../http/context.ts';
import { invalidFields } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { readSystemSetting, type SystemSettingRow } from '../system/settings.service.ts';
import {
  defaultDeadline,
  MONTHLY_RULES_KEY,
  monthlyRulesOf,
  readMonthlyRules,
  writeMonthlyRules,
} from './monthly-rules.ts';
import type { MonthDeadline, MonthlyRulesBody, MonthlyRulesWithChange } from './stats-settings.schemas.ts';

/** The last day of a month (YYYY-MM-DD). */
export function monthEnd(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return `${month}-${String(lastDay).padStart(2, '0')}`;
}

const monthsOf = (year: number) =>
  Array.from({ length: 12 }, (_, index) => `${year}-${String(index + 1).padStart(2, '0')}`);

async function deadlineViews(executor: Executor, months: string[]): Promise<MonthDeadline[]> {
  const first = months[0] as string;
  const last = months[months.length - 1] as string;
  const [rules, overrides] = await Promise.all([
    readMonthlyRules(executor),
    executor
      .select({ override: statsDeadlines, setByName: users.displayName })
      .from(statsDeadlines)
      .leftJoin(users, eq(users.id, statsDeadlines.setBy))
      .where(and(gte(statsDeadlines.month, first), lte(statsDeadlines.month, last))),
  ]);
  return months.map((month) => {
    const fallback = defaultDeadline(month, rules.deadlineDay);
    const found = overrides.find(({ override }) => override.month === month);
    return {
      month,
      deadline: found?.override.deadline ?? fallback,
      defaultDeadline: fallback,
      isDefault: !found,
      setByName: found ? (found.setByName ?? '—') : null,
      updatedAt: found?.override.updatedAt.toISOString() ?? null,
      version: found?.override.version ?? null,
    };
  });
}

/** Each month of the year with its submission deadline. */
export function listDeadlines(context: AppContext, year: number): Promise<MonthDeadline[]> {
  return deadlineViews(context.database.db, monthsOf(year));
}

function deadlineProblems(month: string, deadline: string): string | null {
  const end = monthEnd(month);
  if (deadline <= end) return `截止日期须晚于 ${month} 月末（${end}），当月数据要在月末之后才能报送`;
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const latest = monthEnd(`${year + 1}-${String(monthNumber).padStart(2, '0')}`);
  if (deadline > latest) return `截止日期不能晚于 ${latest}（月末后一年）`;
  return null;
}

/**
 * Sets a month's deadline other than the default; audited with the value it replaces. `version` is the one
 * the page loaded (null: it showed the default); a stale one answers 409 with the month as it is now.
 */
export async function setDeadline(
  context: AppContext,
  actor: Actor,
  month: string,
  deadline: string,
  version: number | null,
): Promise<MonthDeadline> {
  const problem = deadlineProblems(month, deadline);
  if (problem) throw invalidFields([{ path: 'deadline', message: problem }]);
  return context.database.db.transaction(async (tx) => {
    const [before] = await deadlineViews(tx, [month]);
    await upsertVersioned(
      tx,
      statsDeadlines,
      eq(statsDeadlines.month, month),
      version,
      {
        insert: { month, deadline, setBy: actor.userId },
        update: { deadline, setBy: actor.userId, updatedAt: new Date() },
      },
      async () => (await deadlineViews(tx, [month]))[0],
    );
    await recordAudit(tx, actor, {
      action: 'stats.deadline.set',
      targetType: 'stats_deadline',
      targetId: month,
      diff: { deadline: { before: before?.deadline ?? null, after: deadline } },
    });
    const [after] = await deadlineViews(tx, [month]);
    return after as MonthDeadline;
  });
}

/** Back to the default deadline (the rules' day of the next month). */
export async function resetDeadline(
  context: AppContext,
  actor: Actor,
  month: string,
): Promise<MonthDeadline> {
  return context.database.db.transaction(async (tx) => {
    const [removed] = await tx.delete(statsDeadlines).where(eq(statsDeadlines.month, month)).returning();
    const [after] = await deadlineViews(tx, [month]);
    if (removed) {
      await recordAudit(tx, actor, {
        action: 'stats.deadline.reset',
        targetType: 'stats_deadline',
        targetId: month,
        diff: { deadline: { before: removed.deadline, after: after?.deadline ?? null } },
      });
    }
    return after as MonthDeadline;
  });
}

async function presentRules(
  executor: Executor,
  row: SystemSettingRow | undefined,
): Promise<MonthlyRulesWithChange> {
  const [changer] = row?.updatedBy
    ? await executor.select({ name: users.displayName }).from(users).where(eq(users.username, row.updatedBy))
    : [];
  return {
    ...monthlyRulesOf(row),
    lastChange: row
      ? { at: row.updatedAt.toISOString(), byName: changer?.name ?? row.updatedBy ?? '—' }
      : null,
    version: row?.version ?? null,
  };
}

/** The rules and who last changed them, for the settings page; `version` null while the defaults apply. */
export async function readMonthlyRulesWithChange(executor: Executor): Promise<MonthlyRulesWithChange> {
  return presentRules(executor, await readSystemSetting(executor, MONTHLY_RULES_KEY));
}

/** The province saves the rules it loaded (`version`); a stale save answers 409 with the rules as they are. */
export async function saveMonthlyRules(
  context: AppContext,
  actor: Actor,
  input: MonthlyRulesBody,
): Promise<MonthlyRulesWithChange> {
  const { version, ...rules } = input;
  return context.database.db.transaction(async (tx) => {
    await writeMonthlyRules(tx, actor, rules, version ?? null, (current) => presentRules(tx, current));
    return readMonthlyRulesWithChange(tx);
  });
}
