import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import { evaluationExperts, evaluationItems, expertScores } from '../../db/schema/evaluations.ts';
import { staleVersion, updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, forbidden, invalidFields } from '../../http/errors.ts';
import { assignExpertsToEtown } from '../accounts/user.service.ts';
import { getEvaluation } from './evaluation-read.service.ts';
import type { assignExpertsBodySchema, expertScoreBodySchema } from './workflow.schemas.ts';
import { audit, loadEvaluation, loadItem, notify, requireStatus, setStatus } from './workflow-common.ts';

/** Experts: assignment by the province, scoring, submission. */

// ---- experts ----

export async function assignExperts(
  context: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof assignExpertsBodySchema>,
) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    requireStatus(evaluation, ['approved', 'expert_review'], '指派专家');
    const expertIds = [...new Set(input.expertUserIds)];
    const found = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, expertIds), eq(users.role, 'expert'), eq(users.disabled, false)));
    const known = new Set(found.map((row) => row.id));
    const problems = input.expertUserIds.flatMap((expertId, index) =>
      known.has(expertId) ? [] : [{ path: `expertUserIds.${index}`, message: '不是有效的专家账号' }],
    );
    if (problems.length > 0) throw invalidFields(problems);
    await tx
      .insert(evaluationExperts)
      .values(expertIds.map((expertId) => ({ evaluationId: id, expertId })))
      .onConflictDoNothing();
    // The expert's scope: the e-towns they are assigned to.
    await assignExpertsToEtown(tx, expertIds, [evaluation.etownCode]);
    await setStatus(tx, id, { status: 'expert_review' });
    await audit(tx, actor, evaluation, 'evaluation.experts.assign', {
      status: { before: evaluation.status, after: 'expert_review' },
      expertIds,
    });
    await notify(
      tx,
      evaluation,
      { userIds: expertIds },
      'evaluation.expert_assigned',
      '请您参与专家评审',
      '请逐项打分（0–100）并填写评审意见，完成后提交。',
    );
  });
  return getEvaluation(context, actor, id);
}

async function requireAssignedExpert(executor: Executor, actor: Actor, id: string) {
  const [assignment] = await executor
    .select()
    .from(evaluationExperts)
    .where(and(eq(evaluationExperts.evaluationId, id), eq(evaluationExperts.expertId, actor.userId)));
  if (!assignment) throw forbidden('您未被指派评审该评价');
  if (assignment.submittedAt) throw conflict('expert_scores_submitted', '您已提交评审结果，不能再修改');
  return assignment;
}

export async function scoreIndicator(
  context: AppContext,
  actor: Actor,
  id: string,
  indicatorNo: number,
  input: z.infer<typeof expertScoreBodySchema>,
) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    requireStatus(evaluation, ['expert_review'], '专家评分');
    await requireAssignedExpert(tx, actor, id);
    const item = await loadItem(tx, id, indicatorNo);
    const values = { score: input.score, finding: input.finding };
    const current = () => getEvaluation(context, actor, id, tx);
    if (input.version === null) {
      // A first score: another tab of the same expert may have scored this indicator meanwhile.
      const [created] = await tx
        .insert(expertScores)
        .values({ itemId: item.id, expertId: actor.userId, ...values })
        .onConflictDoNothing()
        .returning({ itemId: expertScores.itemId });
      if (!created) throw staleVersion(await current());
    } else {
      await updateVersioned(
        tx,
        expertScores,
        and(eq(expertScores.itemId, item.id), eq(expertScores.expertId, actor.userId)),
        input.version,
        { ...values, updatedAt: new Date() },
        current,
        '评分',
      );
    }
    await audit(tx, actor, evaluation, 'evaluation.expert.score', {
      indicatorNo,
      score: input.score,
      finding: input.finding,
    });
  });
  return getEvaluation(context, actor, id);
}

export async function submitExpertScores(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    requireStatus(evaluation, ['expert_review'], '提交专家评审');
    await requireAssignedExpert(tx, actor, id);
    const items = await tx
      .select({ id: evaluationItems.id, no: evaluationItems.indicatorNo })
      .from(evaluationItems)
      .where(eq(evaluationItems.evaluationId, id));
    const scored = await tx
      .select({ itemId: expertScores.itemId })
      .from(expertScores)
      .where(
        and(
          eq(expertScores.expertId, actor.userId),
          inArray(
            expertScores.itemId,
            items.map((item) => item.id),
          ),
        ),
      );
    const scoredIds = new Set(scored.map((row) => row.itemId));
    const missing = items.filter((item) => !scoredIds.has(item.id)).map((item) => item.no);
    if (missing.length > 0) {
      throw conflict('expert_scores_incomplete', `还有 ${missing.length} 项指标未打分`, {
        indicatorNos: missing.sort((a, b) => a - b),
      });
    }
    await tx
      .update(evaluationExperts)
      .set({ submittedAt: new Date() })
      .where(and(eq(evaluationExperts.evaluationId, id), eq(evaluationExperts.expertId, actor.userId)));
    const [open] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(evaluationExperts)
      .where(and(eq(evaluationExperts.evaluationId, id), sql`${evaluationExperts.submittedAt} is null`));
    await audit(tx, actor, evaluation, 'evaluation.expert.submit', { remainingExperts: open?.count ?? 0 });
    if ((open?.count ?? 0) === 0) {
      await notify(
        tx,
        evaluation,
        { roles: ['province_admin'] },
        'evaluation.panel_complete',
        '专家评审已全部完成',
        '请根据专家意见下达整改清单。',
      );
    }
  });
  return getEvaluation(context, actor, id);
}
