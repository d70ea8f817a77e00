import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, canSeeRegion } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { expertAssignments, users } from '../../db/schema/accounts.ts';
import {
  type EvaluationStatus,
  evaluationExperts,
  evaluationItemEvents,
  evaluationItems,
  evaluations,
  evidenceFiles,
  expertScores,
  type RectificationStatus,
  rectificationItems,
} from '../../db/schema/evaluations.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, conflict, forbidden, invalidFields, notFound } from '../../http/errors.ts';
import type { LedgerEvaluation } from '../../indicators/engine.ts';
import { readAttachment, storeAttachment } from '../../lib/attachments.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { type NewNotification, notifyUsers, usersCovering } from '../notifications/notifications.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { panelResult } from './evaluation-panel.ts';
import {
  type acceptanceBodySchema,
  type assignExpertsBodySchema,
  type EvaluationDetail,
  type EvaluationSummaryView,
  evaluationStatusLabels,
  type expertScoreBodySchema,
  type rectificationPlanBodySchema,
  type reviewBodySchema,
  type startEvaluationBodySchema,
  type updateItemBodySchema,
  type updateRectificationBodySchema,
} from './workflow.schemas.ts';
import { evaluateEtownForWorkflow } from './workflow-evaluation.ts';

type EvaluationRow = typeof evaluations.$inferSelect;
type ItemRow = typeof evaluationItems.$inferSelect;

const actorName = (actor: Actor) => `${actor.displayName}（${actor.username}）`;

/** 409 with a stable code when the evaluation is not in one of the states a step needs. */
function requireStatus(evaluation: EvaluationRow, allowed: EvaluationStatus[], action: string) {
  if (allowed.includes(evaluation.status)) return;
  throw conflict(
    'invalid_evaluation_state',
    `评价当前状态为“${evaluationStatusLabels[evaluation.status]}”，不能${action}`,
    { status: evaluation.status, allowed },
  );
}

/** The evaluation when the actor may see its e-town (locked for update inside a write); otherwise 404. */
async function loadEvaluation(executor: Executor, actor: Actor, id: string, lock = false) {
  const query = executor.select().from(evaluations).where(eq(evaluations.id, id));
  const [row] = lock ? await query.for('update') : await query;
  if (!row || !canSeeRegion(actor.scope, row.etownCode)) throw notFound('评价');
  return row;
}

async function loadItem(executor: Executor, evaluationId: string, indicatorNo: number): Promise<ItemRow> {
  const [item] = await executor
    .select()
    .from(evaluationItems)
    .where(and(eq(evaluationItems.evaluationId, evaluationId), eq(evaluationItems.indicatorNo, indicatorNo)));
  if (!item) throw notFound(`指标 ${indicatorNo}`);
  return item;
}

async function setStatus(executor: Executor, id: string, values: Partial<typeof evaluations.$inferInsert>) {
  await executor
    .update(evaluations)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(evaluations.id, id));
}

async function addItemEvent(
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

async function etownName(executor: Executor, code: string): Promise<string> {
  const [row] = await executor.select({ name: regions.name }).from(regions).where(eq(regions.code, code));
  return row?.name ?? code;
}

async function notify(
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

const audit = (
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

// ---- reading ----

export async function listEvaluations(
  context: AppContext,
  actor: Actor,
  filter: {
    year?: number | undefined;
    regionCode?: string | undefined;
    status?: EvaluationStatus | undefined;
  },
): Promise<EvaluationSummaryView[]> {
  const { db } = context.database;
  if (filter.regionCode) await requireVisibleRegion(db, actor, filter.regionCode);
  const rows = await db
    .select({ evaluation: evaluations, etownName: regions.name })
    .from(evaluations)
    .innerJoin(regions, eq(regions.code, evaluations.etownCode))
    .where(
      and(
        regionScopeCondition(actor.scope, evaluations.etownCode),
        filter.year ? eq(evaluations.year, filter.year) : undefined,
        filter.regionCode ? sql`${evaluations.etownCode} like ${`${filter.regionCode}%`}` : undefined,
        filter.status ? eq(evaluations.status, filter.status) : undefined,
      ),
    )
    .orderBy(desc(evaluations.year), asc(evaluations.etownCode));
  return rows.map((row) => presentSummary(row.evaluation, row.etownName));
}

function presentSummary(evaluation: EvaluationRow, name: string): EvaluationSummaryView {
  const snapshot = evaluation.snapshot as LedgerEvaluation;
  return {
    id: evaluation.id,
    etownCode: evaluation.etownCode,
    etownName: name,
    year: evaluation.year,
    status: evaluation.status,
    statusLabel: evaluationStatusLabels[evaluation.status],
    catalog: { id: evaluation.catalogId, version: evaluation.catalogVersion },
    summary: snapshot.summary,
    reopenCount: evaluation.reopenCount,
    submissionCount: evaluation.submissionCount,
    updatedAt: evaluation.updatedAt.toISOString(),
  };
}

export async function getEvaluation(
  context: AppContext,
  actor: Actor,
  id: string,
  executor: Executor = context.database.db,
): Promise<EvaluationDetail> {
  const evaluation = await loadEvaluation(executor, actor, id);
  const snapshot = evaluation.snapshot as LedgerEvaluation;
  const items = await executor
    .select()
    .from(evaluationItems)
    .where(eq(evaluationItems.evaluationId, id))
    .orderBy(asc(evaluationItems.indicatorNo));
  const itemIds = items.map((item) => item.id);
  const none = itemIds.length === 0;
  const [events, files, scores, experts, rectifications] = await Promise.all([
    none
      ? []
      : executor
          .select()
          .from(evaluationItemEvents)
          .where(inArray(evaluationItemEvents.itemId, itemIds))
          .orderBy(asc(evaluationItemEvents.at), asc(evaluationItemEvents.id)),
    none
      ? []
      : executor
          .select()
          .from(evidenceFiles)
          .where(inArray(evidenceFiles.itemId, itemIds))
          .orderBy(asc(evidenceFiles.uploadedAt)),
    none
      ? []
      : executor
          .select({ score: expertScores, expertName: users.displayName })
          .from(expertScores)
          .innerJoin(users, eq(users.id, expertScores.expertId))
          .where(inArray(expertScores.itemId, itemIds)),
    executor
      .select({ expert: evaluationExperts, name: users.displayName })
      .from(evaluationExperts)
      .innerJoin(users, eq(users.id, evaluationExperts.expertId))
      .where(eq(evaluationExperts.evaluationId, id))
      .orderBy(asc(evaluationExperts.assignedAt)),
    executor
      .select()
      .from(rectificationItems)
      .where(eq(rectificationItems.evaluationId, id))
      .orderBy(
        asc(rectificationItems.deadline),
        asc(rectificationItems.createdAt),
        asc(rectificationItems.id),
      ),
  ]);
  // An expert sees only their own scores, and no panel result: scoring stays independent.
  const isExpert = actor.role === 'expert';
  const visibleScores = isExpert ? scores.filter((row) => row.score.expertId === actor.userId) : scores;
  const byNo = new Map(snapshot.indicators.map((indicator) => [indicator.no, indicator]));
  const today = shanghaiToday();
  return {
    ...presentSummary(evaluation, snapshot.etown.name),
    tier: snapshot.tier,
    items: items.map((item) => {
      const computed = byNo.get(item.indicatorNo);
      const itemScores = visibleScores.filter((row) => row.score.itemId === item.id);
      return {
        indicatorNo: item.indicatorNo,
        title: item.title,
        computedStatus: item.computedStatus,
        facts: computed?.facts ?? {},
        reasons: computed?.reasons ?? [],
        selfScore: item.selfScore,
        statement: item.statement,
        reviewStatus: item.reviewStatus,
        returnReason: item.returnReason,
        history: events
          .filter((event) => event.itemId === item.id)
          .map((event) => ({
            kind: event.kind,
            reason: event.reason,
            actorName: event.actorName,
            at: event.at.toISOString(),
          })),
        evidence: files
          .filter((file) => file.itemId === item.id)
          .map((file) => ({
            id: file.id,
            fileName: file.fileName,
            mediaType: file.mediaType,
            sizeBytes: file.sizeBytes,
            sha256: file.sha256,
            uploadedAt: file.uploadedAt.toISOString(),
          })),
        expertScores: itemScores.map((row) => ({
          expertId: row.score.expertId,
          expertName: row.expertName,
          score: row.score.score,
          finding: row.score.finding,
        })),
        panel: isExpert
          ? null
          : panelResult(itemScores.map((row) => ({ expertId: row.score.expertId, score: row.score.score }))),
      };
    }),
    addOns: snapshot.addOns ?? [],
    experts: experts.map((row) => ({
      id: row.expert.expertId,
      name: row.name,
      submittedAt: row.expert.submittedAt?.toISOString() ?? null,
    })),
    rectifications: rectifications.map((row) => ({
      id: row.id,
      indicatorNo: row.indicatorNo,
      finding: row.finding,
      owner: row.owner,
      deadline: row.deadline,
      status: row.status,
      overdue: row.status !== 'closed' && row.deadline < today,
      note: row.note,
      closedAt: row.closedAt?.toISOString() ?? null,
    })),
    acceptance:
      evaluation.acceptedOn && evaluation.acceptanceConclusion
        ? { acceptedOn: evaluation.acceptedOn, conclusion: evaluation.acceptanceConclusion }
        : null,
    submittedAt: evaluation.submittedAt?.toISOString() ?? null,
    approvedAt: evaluation.approvedAt?.toISOString() ?? null,
  };
}

// ---- self-evaluation (county) ----

/** Starts the self-evaluation: every indicator is filled from the platform's data and frozen. */
export async function startEvaluation(
  context: AppContext,
  actor: Actor,
  input: z.infer<typeof startEvaluationBodySchema>,
): Promise<EvaluationDetail> {
  const id = await context.database.db.transaction(async (tx) => {
    await requireVisibleRegion(tx, actor, input.etownCode, 'etown');
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
    await tx
      .update(evaluationItems)
      .set({ selfScore: input.score, statement: input.statement, updatedAt: new Date() })
      .where(eq(evaluationItems.id, item.id));
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
    await tx
      .insert(expertAssignments)
      .values(expertIds.map((userId) => ({ userId, etownCode: evaluation.etownCode })))
      .onConflictDoNothing();
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
    await tx
      .insert(expertScores)
      .values({ itemId: item.id, expertId: actor.userId, score: input.score, finding: input.finding })
      .onConflictDoUpdate({
        target: [expertScores.itemId, expertScores.expertId],
        set: { score: input.score, finding: input.finding, updatedAt: new Date() },
      });
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
    if (item.status === input.status && input.note === undefined) return evaluation.id;
    const closing = input.status === 'closed' && item.status !== 'closed';
    await tx
      .update(rectificationItems)
      .set({
        status: input.status,
        ...(input.note !== undefined ? { note: input.note } : {}),
        closedAt: input.status === 'closed' ? (item.closedAt ?? new Date()) : null,
        updatedAt: new Date(),
      })
      .where(eq(rectificationItems.id, item.id));
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
