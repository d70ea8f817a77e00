import { and, eq, gte, lte } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { statsDeadlines } from '../../db/schema/entity-registry.ts';
import { systemSettings } from '../../db/schema/system.ts';
import type { AppContext } from '../../http/context.ts';
import { invalidFields } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { defaultDeadline, MONTHLY_RULES_KEY, readMonthlyRules } from './monthly-rules.ts';
import type { MonthDeadline, MonthlyRulesWithChange } from './stats-settings.schemas.ts';

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

/** Sets a month's deadline other than the default; audited with the value it replaces. */
export async function setDeadline(
  context: AppContext,
  actor: Actor,
  month: string,
  deadline: string,
): Promise<MonthDeadline> {
  const problem = deadlineProblems(month, deadline);
  if (problem) throw invalidFields([{ path: 'deadline', message: problem }]);
  return context.database.db.transaction(async (tx) => {
    const [before] = await deadlineViews(tx, [month]);
    await tx
      .insert(statsDeadlines)
      .values({ month, deadline, setBy: actor.userId })
      .onConflictDoUpdate({
        target: statsDeadlines.month,
        set: { deadline, setBy: actor.userId, updatedAt: new Date() },
      });
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

/** The rules and who last changed them, for the settings page. */
export async function readMonthlyRulesWithChange(executor: Executor): Promise<MonthlyRulesWithChange> {
  const [rules, [stored]] = await Promise.all([
    readMonthlyRules(executor),
    executor
      .select({
        updatedAt: systemSettings.updatedAt,
        updatedBy: systemSettings.updatedBy,
        name: users.displayName,
      })
      .from(systemSettings)
      .leftJoin(users, eq(users.username, systemSettings.updatedBy))
      .where(eq(systemSettings.key, MONTHLY_RULES_KEY)),
  ]);
  return {
    ...rules,
    lastChange: stored
      ? { at: stored.updatedAt.toISOString(), byName: stored.name ?? stored.updatedBy ?? '—' }
      : null,
  };
}
