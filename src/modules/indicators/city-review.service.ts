import { eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { type EvaluationStatus, evaluationItems } from '../../db/schema/evaluations.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, invalidFields } from '../../http/errors.ts';
import { getEvaluation } from './evaluation-read.service.ts';
import type { reviewBodySchema } from './workflow.schemas.ts';
import {
  addItemEvent,
  audit,
  type ItemRow,
  loadEvaluation,
  notify,
  requireStatus,
  setStatus,
} from './workflow-common.ts';

/** The city's review: approve or return per indicator, in bulk, and reopen. */

// ---- city review ----

async function reviewInTransaction(
  tx: Executor,
  actor: Actor,
  id: string,
  returns: z.infer<typeof reviewBodySchema>['returns'],
): Promise<EvaluationStatus> {
  const evaluation = await loadEvaluation(tx, actor, id, true);
  requireStatus(evaluation, ['submitted'], '审核');
  const items = await tx.select().from(evaluationItems).where(eq(evaluationItems.evaluationId, id));
  const byNo = new Map(items.map((item) => [item.indicatorNo, item]));
  const problems = returns.flatMap((entry, index) =>
    byNo.has(entry.indicatorNo)
      ? []
      : [{ path: `returns.${index}.indicatorNo`, message: `本评价没有指标 ${entry.indicatorNo}` }],
  );
  if (problems.length > 0) throw invalidFields(problems);
  const returnedNos = new Set(returns.map((entry) => entry.indicatorNo));
  for (const entry of returns) {
    const item = byNo.get(entry.indicatorNo) as ItemRow;
    await tx
      .update(evaluationItems)
      .set({ reviewStatus: 'returned', returnReason: entry.reason, updatedAt: new Date() })
      .where(eq(evaluationItems.id, item.id));
    await addItemEvent(tx, actor, [item.id], 'returned', entry.reason);
  }
  const approved = items
    .filter((item) => item.reviewStatus === 'pending' && !returnedNos.has(item.indicatorNo))
    .map((item) => item.id);
  if (approved.length > 0) {
    await tx
      .update(evaluationItems)
      .set({ reviewStatus: 'approved', returnReason: null, updatedAt: new Date() })
      .where(inArray(evaluationItems.id, approved));
    await addItemEvent(tx, actor, approved, 'approved');
  }
  const next: EvaluationStatus = returns.length > 0 ? 'returned' : 'approved';
  await setStatus(tx, id, next === 'approved' ? { status: next, approvedAt: new Date() } : { status: next });
  await audit(tx, actor, evaluation, next === 'approved' ? 'evaluation.approve' : 'evaluation.return', {
    status: { before: evaluation.status, after: next },
    returned: returns,
    approvedItems: approved.length,
  });
  if (next === 'returned') {
    await notify(
      tx,
      evaluation,
      { roles: ['county_operator'] },
      'evaluation.returned',
      `${returns.length} 项指标被退回`,
      returns.map((entry) => `指标 ${entry.indicatorNo}：${entry.reason}`).join('；'),
    );
  } else {
    await notify(
      tx,
      evaluation,
      { roles: ['county_operator', 'province_admin'] },
      'evaluation.approved',
      '市级审核通过',
      '自评已通过市级审核并锁定；省级可指派专家评审。',
    );
  }
  return next;
}

/** Approves every pending item except the returned ones; any return sends the evaluation back. */
export async function reviewEvaluation(
  context: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof reviewBodySchema>,
) {
  await context.database.db.transaction((tx) => reviewInTransaction(tx, actor, id, input.returns));
  return getEvaluation(context, actor, id);
}

/** Approves several evaluations, each in its own transaction, reporting each one's outcome. */
export async function bulkApproveEvaluations(context: AppContext, actor: Actor, ids: string[]) {
  const results = [];
  for (const id of [...new Set(ids)]) {
    try {
      const status = await context.database.db.transaction((tx) => reviewInTransaction(tx, actor, id, []));
      results.push({ evaluationId: id, ok: true, status });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ evaluationId: id, ok: false, error: { code: error.code, message: error.message } });
    }
  }
  return { results };
}

/** Unlocks an approved evaluation for changes; the county resubmits and every item is reviewed again. */
export async function reopenEvaluation(context: AppContext, actor: Actor, id: string, reason: string) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    requireStatus(evaluation, ['approved'], '重新开放');
    const items = await tx
      .select({ id: evaluationItems.id })
      .from(evaluationItems)
      .where(eq(evaluationItems.evaluationId, id));
    await tx
      .update(evaluationItems)
      .set({ reviewStatus: 'pending', updatedAt: new Date() })
      .where(eq(evaluationItems.evaluationId, id));
    await addItemEvent(
      tx,
      actor,
      items.map((item) => item.id),
      'reopened',
      reason,
    );
    await setStatus(tx, id, { status: 'draft', approvedAt: null, reopenCount: evaluation.reopenCount + 1 });
    await audit(tx, actor, evaluation, 'evaluation.reopen', {
      status: { before: 'approved', after: 'draft' },
      reason,
      reopenCount: evaluation.reopenCount + 1,
    });
    await notify(
      tx,
      evaluation,
      { roles: ['county_operator'] },
      'evaluation.reopened',
      '已重新开放修改',
      reason,
    );
  });
  return getEvaluation(context, actor, id);
}
