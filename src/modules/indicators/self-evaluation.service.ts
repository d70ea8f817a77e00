import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/scope.ts';
import { evaluationItems, evaluations, evidenceFiles } from '../../db/schema/evaluations.ts';
import { updateVersioned } from '../../db/versioned-update.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, conflict, notFound } from '../../http/errors.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { getEvaluation } from './evaluation-read.service.ts';
import type {
  EvaluationDetail,
  startEvaluationBodySchema,
  updateItemBodySchema,
} from './workflow.schemas.ts';
import {
  addItemEvent,
  audit,
  type EvaluationRow,
  type ItemRow,
  loadEvaluation,
  loadItem,
  notify,
  requireStatus,
  setStatus,
} from './workflow-common.ts';
import { evaluateEtownForWorkflow } from './workflow-evaluation.ts';

/** The county's self-evaluation: start (closed years only), self-assess, evidence, submit. */

// ---- self-evaluation (county) ----

/** A self-evaluation judges a whole year: it can start only once the year has ended (Shanghai calendar). */
function requireClosedYear(year: number, now = new Date()) {
  const currentYear = Number(shanghaiToday(now).slice(0, 4));
  if (year < currentYear) return;
  throw new AppError(
    409,
    'evaluation_year_not_closed',
    `${year}年尚未结束，不能开始该年度的自评价；年度进行中的达标情况请查看实时评分表`,
    { field: 'year', year, firstAllowedOn: `${year + 1}-01-01` },
  );
}

/** Starts the self-evaluation: every indicator is filled from the platform's data and frozen. */
export async function startEvaluation(
  context: AppContext,
  actor: Actor,
  input: z.infer<typeof startEvaluationBodySchema>,
): Promise<EvaluationDetail> {
  const id = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
    requireClosedYear(input.year);
    const [existing] = await tx
      .select({ id: evaluations.id })
      .from(evaluations)
      .where(and(eq(evaluations.etownCode, input.etownCode), eq(evaluations.year, input.year)));
    if (existing) {
      throw conflict('evaluation_exists', '该e镇本年度的评价已经开始', { evaluationId: existing.id });
    }
    const document = await evaluateEtownForWorkflow(tx, input.etownCode, input.year);
    const [created] = await tx
      .insert(evaluations)
      .values({
        etownCode: input.etownCode,
        year: input.year,
        catalogId: document.catalog.id,
        catalogVersion: document.catalog.version,
        snapshot: document,
        startedBy: actor.userId,
      })
      .onConflictDoNothing()
      .returning();
    if (!created) throw conflict('evaluation_exists', '该e镇本年度的评价已经开始');
    await tx.insert(evaluationItems).values(
      document.indicators.map((indicator) => ({
        evaluationId: created.id,
        indicatorNo: indicator.no,
        title: indicator.title,
        computedStatus: indicator.status,
      })),
    );
    await audit(tx, actor, created, 'evaluation.start', {
      catalog: document.catalog,
      summary: document.summary,
    });
    return created.id;
  });
  return getEvaluation(context, actor, id);
}

/** While drafting every item is editable; after a return only the returned items are. */
function requireItemEditable(evaluation: EvaluationRow, item: ItemRow) {
  requireStatus(evaluation, ['draft', 'returned'], '修改自评');
  if (evaluation.status === 'returned' && item.reviewStatus !== 'returned') {
    throw conflict('item_not_returned', `指标 ${item.indicatorNo} 未被退回，不能修改`, {
      indicatorNo: item.indicatorNo,
    });
  }
}

export async function updateSelfAssessment(
  context: AppContext,
  actor: Actor,
  id: string,
  indicatorNo: number,
  input: z.infer<typeof updateItemBodySchema>,
) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    const item = await loadItem(tx, id, indicatorNo);
    requireItemEditable(evaluation, item);
    await updateVersioned(
      tx,
      evaluationItems,
      eq(evaluationItems.id, item.id),
      input.version,
      { selfScore: input.score, statement: input.statement, updatedAt: new Date() },
      () => getEvaluation(context, actor, id, tx),
      '指标',
    );
    await addItemEvent(tx, actor, [item.id], 'edited');
    await audit(tx, actor, evaluation, 'evaluation.item.update', {
      indicatorNo,
      selfScore: { before: item.selfScore, after: input.score },
      statement: { before: item.statement, after: input.statement },
    });
  });
  return getEvaluation(context, actor, id);
}

/** Stores an evidence file: type decided by its bytes, capped in size, kept under its SHA-256. */
export async function addEvidence(
  context: AppContext,
  actor: Actor,
  id: string,
  indicatorNo: number,
  fileName: string,
  bytes: Buffer,
) {
  const { db } = context.database;
  // Scope and state first, so nothing is stored for a caller who may not upload here.
  const evaluation = await loadEvaluation(db, actor, id);
  requireItemEditable(evaluation, await loadItem(db, id, indicatorNo));
  const { sha256, mediaType, sizeBytes } = await storeAttachment(
    context,
    'evidence',
    { accepts: 'document', what: '证明材料' },
    bytes,
  );
  const evidenceId = await db.transaction(async (tx) => {
    const locked = await loadEvaluation(tx, actor, id, true);
    const item = await loadItem(tx, id, indicatorNo);
    requireItemEditable(locked, item);
    const [row] = await tx
      .insert(evidenceFiles)
      .values({
        itemId: item.id,
        fileName,
        mediaType,
        sizeBytes,
        sha256,
        uploadedBy: actor.userId,
      })
      .returning({ id: evidenceFiles.id });
    await addItemEvent(tx, actor, [item.id], 'evidence_added', fileName);
    await audit(tx, actor, locked, 'evaluation.evidence.add', {
      indicatorNo,
      fileName,
      mediaType,
      sizeBytes,
      sha256,
    });
    return (row as { id: string }).id;
  });
  const detail = await getEvaluation(context, actor, id);
  const evidence = detail.items.flatMap((item) => item.evidence).find((file) => file.id === evidenceId);
  return evidence as NonNullable<typeof evidence>;
}

export async function readEvidence(context: AppContext, actor: Actor, id: string, evidenceId: string) {
  const { db } = context.database;
  await loadEvaluation(db, actor, id);
  const [row] = await db
    .select({ file: evidenceFiles })
    .from(evidenceFiles)
    .innerJoin(evaluationItems, eq(evaluationItems.id, evidenceFiles.itemId))
    .where(and(eq(evidenceFiles.id, evidenceId), eq(evaluationItems.evaluationId, id)));
  if (!row) throw notFound('证明材料');
  return readAttachment(context, 'evidence', { ...row.file, fileSha256: row.file.sha256 });
}

export async function submitEvaluation(context: AppContext, actor: Actor, id: string) {
  await context.database.db.transaction(async (tx) => {
    const evaluation = await loadEvaluation(tx, actor, id, true);
    requireStatus(evaluation, ['draft', 'returned'], '提交');
    const items = await tx.select().from(evaluationItems).where(eq(evaluationItems.evaluationId, id));
    const unscored = items.filter((item) => item.selfScore === null).map((item) => item.indicatorNo);
    if (unscored.length > 0) {
      throw conflict('self_assessment_incomplete', `还有 ${unscored.length} 项指标未自评打分`, {
        indicatorNos: unscored.sort((a, b) => a - b),
      });
    }
    const resubmitted = items.filter((item) => item.reviewStatus === 'returned').map((item) => item.id);
    if (resubmitted.length > 0) {
      await tx
        .update(evaluationItems)
        .set({ reviewStatus: 'pending', updatedAt: new Date() })
        .where(inArray(evaluationItems.id, resubmitted));
      await addItemEvent(tx, actor, resubmitted, 'resubmitted');
    }
    await setStatus(tx, id, {
      status: 'submitted',
      submittedAt: new Date(),
      submissionCount: evaluation.submissionCount + 1,
    });
    await audit(tx, actor, evaluation, 'evaluation.submit', {
      status: { before: evaluation.status, after: 'submitted' },
      resubmittedItems: resubmitted.length,
    });
    await notify(
      tx,
      evaluation,
      { roles: ['city_reviewer'] },
      'evaluation.submitted',
      evaluation.status === 'returned' ? '已修改并重新提交' : '自评已提交',
      '请审核各项指标，逐项通过或退回。',
    );
  });
  return getEvaluation(context, actor, id);
}
