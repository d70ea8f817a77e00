import { and, eq } from 'drizzle-orm';
import { type Actor, canSeeRegion } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import {
  type EvaluationStatus,
  evaluationItemEvents,
  evaluationItems,
  evaluations,
} from '../../db/schema/evaluations.ts';
import { regions } from '../../db/schema/regions.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { type NewNotification, notifyUsers, usersCovering } from '../notifications/notifications.service.ts';
import { evaluationStatusLabels } from './workflow.schemas.ts';

/** What the evaluation workflow's use cases share: loading with scope, status rules, events, notifications, audit. */

export type EvaluationRow = typeof evaluations.$inferSelect;
export type ItemRow = typeof evaluationItems.$inferSelect;

export const actorName = (actor: Actor) => `${actor.displayName}（${actor.username}）`;

/** 409 with a stable code when the evaluation is not in one of the states a step needs. */
export function requireStatus(evaluation: EvaluationRow, allowed: EvaluationStatus[], action: string) {
  if (allowed.includes(evaluation.status)) return;
  throw conflict(
    'invalid_evaluation_state',
    `评价当前状态为“${evaluationStatusLabels[evaluation.status]}”，不能${action}`,
    { status: evaluation.status, allowed },
  );
}

/** The evaluation when the actor may see its e-town (locked for update inside a write); otherwise 404. */
export async function loadEvaluation(executor: Executor, actor: Actor, id: string, lock = false) {
  const query = executor.select().from(evaluations).where(eq(evaluations.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row || !canSeeRegion(actor.scope, row.etownCode)) throw notFound('评价');
  return row;
}

export async function loadItem(
  executor: Executor,
  evaluationId: string,
  indicatorNo: number,
): Promise<ItemRow> {
  const [item] = await executor
    .select()
    .from(evaluationItems)
    .where(and(eq(evaluationItems.evaluationId, evaluationId), eq(evaluationItems.indicatorNo, indicatorNo)));
  if (!item) throw notFound(`指标 ${indicatorNo}`);
  return item;
}

export async function setStatus(
  executor: Executor,
  id: string,
  values: Partial<typeof evaluations.$inferInsert>,
) {
  await executor
    .update(evaluations)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(evaluations.id, id));
}

export async function addItemEvent(
  executor: Executor,
  actor: Actor,
  itemIds: string[],
  kind: string,
  reason: string | null = null,
) {
  if (itemIds.length === 0) return;
  await executor
    .insert(evaluationItemEvents)
    .values(
      itemIds.map((itemId) => ({ itemId, kind, reason, actorId: actor.userId, actorName: actorName(actor) })),
    );
}

export async function etownName(executor: Executor, code: string): Promise<string> {
  const [row] = await executor.select({ name: regions.name }).from(regions).where(eq(regions.code, code));
  return row?.name ?? code;
}

export async function notify(
  executor: Executor,
  evaluation: EvaluationRow,
  recipients: { roles?: ('city_reviewer' | 'county_operator' | 'province_admin')[]; userIds?: string[] },
  kind: string,
  title: string,
  body: string,
) {
  const ids = [...(recipients.userIds ?? [])];
  for (const role of recipients.roles ?? [])
    ids.push(...(await usersCovering(executor, role, evaluation.etownCode)));
  const name = await etownName(executor, evaluation.etownCode);
  const notification: NewNotification = {
    kind,
    title: `${name} ${evaluation.year} 年度评价：${title}`,
    body,
    evaluationId: evaluation.id,
  };
  await notifyUsers(executor, ids, notification);
}

export const audit = (
  executor: Executor,
  actor: Actor,
  evaluation: EvaluationRow,
  action: string,
  diff: Record<string, unknown>,
) =>
  recordAudit(executor, actor, {
    action,
    targetType: 'evaluation',
    targetId: evaluation.id,
    regionCode: evaluation.etownCode,
    diff: { etownCode: evaluation.etownCode, year: evaluation.year, ...diff },
  });
