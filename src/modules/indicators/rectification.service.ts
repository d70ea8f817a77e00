import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import {
  evaluationExperts,
  evaluationItems,
  type RectificationStatus,
  rectificationItems,
} from '../../db/schema/evaluations.ts';
import { staleVersion, updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { conflict, invalidFields, notFound } from '../../http/errors.ts';
import { getEvaluation } from './evaluation-read.service.ts';
import type {
  acceptanceBodySchema,
  rectificationPlanBodySchema,
  updateRectificationBodySchema,
} from './workflow.schemas.ts';
import { audit, loadEvaluation, notify, requireStatus, setStatus } from './workflow-common.ts';

/** Rectification of what experts found, and the final acceptance. */

// ---- rectification and acceptance ----

/** The province turns the panel's findings into rectification items; the evaluation enters 整改. */
export async function planRectification(
  context: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof rectificationPlanBodySchema>,
) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    requireStatus(evaluation, ['expert_review', 'rectification'], '下达整改');
    if (evaluation.status === 'expert_review') {
      const experts = await tx.select().from(evaluationExperts).where(eq(evaluationExperts.evaluationId, id));
      const pending = experts.filter((expert) => !expert.submittedAt).length;
      if (experts.length === 0 || pending > 0) {
        throw conflict('expert_review_incomplete', `还有 ${pending} 位专家未提交评审结果`, { pending });
      }
    }
    const items = await tx
      .select({ no: evaluationItems.indicatorNo })
      .from(evaluationItems)
      .where(eq(evaluationItems.evaluationId, id));
    const nos = new Set(items.map((item) => item.no));
    const problems = input.items.flatMap((item, index) =>
      item.indicatorNo === null || nos.has(item.indicatorNo)
        ? []
        : [{ path: `items.${index}.indicatorNo`, message: `本评价没有指标 ${item.indicatorNo}` }],
    );
    if (problems.length > 0) throw invalidFields(problems);
    if (input.items.length > 0) {
      await tx.insert(rectificationItems).values(input.items.map((item) => ({ evaluationId: id, ...item })));
    }
    await setStatus(tx, id, { status: 'rectification' });
    await audit(tx, actor, evaluation, 'evaluation.rectification.plan', {
      status: { before: evaluation.status, after: 'rectification' },
      items: input.items,
    });
    await notify(
      tx,
      evaluation,
      { roles: ['county_operator'] },
      'evaluation.rectification',
      `下达整改事项 ${input.items.length} 项`,
      input.items.map((item) => `${item.finding}（${item.owner}，${item.deadline} 前）`).join('；') ||
        '无整改事项，待省级验收。',
    );
  });
  return getEvaluation(context, actor, id);
}

export async function updateRectification(
  context: AppContext,
  actor: Actor,
  rectificationId: string,
  input: z.infer<typeof updateRectificationBodySchema>,
) {
  const evaluationId = await context.database.db.transaction(async (tx) => {
    const [item] = await tx
      .select()
      .from(rectificationItems)
      .where(eq(rectificationItems.id, rectificationId));
    if (!item) throw notFound('整改事项');
    const evaluation = await loadEvaluation(tx, actor, item.evaluationId, true);
    requireStatus(evaluation, ['rectification'], '更新整改事项');
    const current = () => getEvaluation(context, actor, evaluation.id, tx);
    if (item.version !== input.version) throw staleVersion(await current());
    if (item.status === input.status && input.note === undefined) return evaluation.id;
    const closing = input.status === 'closed' && item.status !== 'closed';
    await updateVersioned(
      tx,
      rectificationItems,
      eq(rectificationItems.id, item.id),
      input.version,
      {
        status: input.status,
        ...(input.note !== undefined ? { note: input.note } : {}),
        closedAt: input.status === 'closed' ? (item.closedAt ?? new Date()) : null,
        updatedAt: new Date(),
      },
      current,
      '整改事项',
    );
    await audit(tx, actor, evaluation, 'evaluation.rectification.update', {
      rectificationId: item.id,
      status: { before: item.status, after: input.status satisfies RectificationStatus },
      note: input.note,
    });
    const [open] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(rectificationItems)
      .where(
        and(
          eq(rectificationItems.evaluationId, evaluation.id),
          sql`${rectificationItems.status} <> 'closed'`,
        ),
      );
    if (closing && (open?.count ?? 0) === 0) {
      await notify(
        tx,
        evaluation,
        { roles: ['province_admin'] },
        'evaluation.rectification_closed',
        '整改事项已全部完成',
        '请组织验收并登记验收结论。',
      );
    }
    return evaluation.id;
  });
  return getEvaluation(context, actor, evaluationId);
}

export async function recordAcceptance(
  context: AppContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof acceptanceBodySchema>,
) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    requireStatus(evaluation, ['rectification'], '验收');
    const open = await tx
      .select({ id: rectificationItems.id })
      .from(rectificationItems)
      .where(and(eq(rectificationItems.evaluationId, id), sql`${rectificationItems.status} <> 'closed'`));
    if (open.length > 0) {
      throw conflict('rectification_not_closed', `还有 ${open.length} 项整改事项未完成，不能验收`, {
        openItemIds: open.map((row) => row.id),
      });
    }
    await setStatus(tx, id, {
      status: 'accepted',
      acceptedOn: input.acceptedOn,
      acceptanceConclusion: input.conclusion,
    });
    await audit(tx, actor, evaluation, 'evaluation.accept', {
      status: { before: 'rectification', after: 'accepted' },
      acceptedOn: input.acceptedOn,
      conclusion: input.conclusion,
    });
    await notify(
      tx,
      evaluation,
      { roles: ['county_operator', 'city_reviewer'] },
      'evaluation.accepted',
      '已通过验收',
      input.conclusion,
    );
  });
  return getEvaluation(context, actor, id);
}
