import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import { regionScopeCondition } from '../../access/scope-sql.ts';
import type { Executor } from '../../db/client.ts';
import { users } from '../../db/schema/accounts.ts';
import {
  type EvaluationStatus,
  evaluationExperts,
  evaluationItemEvents,
  evaluationItems,
  evaluations,
  evidenceFiles,
  expertScores,
  rectificationItems,
} from '../../db/schema/evaluations.ts';
import { regions } from '../../db/schema/regions.ts';
import type { AppContext } from '../../http/context.ts';
import type { LedgerEvaluation } from '../../indicators/engine.ts';
import { shanghaiToday } from '../../lib/china-date.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { panelResult } from './evaluation-panel.ts';
import {
  type EvaluationDetail,
  type EvaluationSummaryView,
  evaluationStatusLabels,
} from './workflow.schemas.ts';

import { type EvaluationRow, loadEvaluation } from './workflow-common.ts';

/** Reading evaluations: the list in scope and one evaluation with its items, evidence, experts and history. */

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
  const [events, files, scores, experts, rectifications] = await loadEvaluationParts(executor, id, itemIds);
  // An expert sees only their own scores, and no panel result: scoring stays independent.
  const isExpert = actor.role === 'expert';
  const visibleScores = isExpert ? scores.filter((row) => row.score.expertId === actor.userId) : scores;
  const byNo = new Map(snapshot.indicators.map((indicator) => [indicator.no, indicator]));
  const today = shanghaiToday();
  return {
    ...presentSummary(evaluation, snapshot.etown.name),
    tier: snapshot.tier,
    items: items.map((item) =>
      presentItem(item, {
        computed: byNo.get(item.indicatorNo),
        itemScores: visibleScores.filter((row) => row.score.itemId === item.id),
        events,
        files,
        isExpert,
      }),
    ),
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
      version: row.version,
    })),
    acceptance:
      evaluation.acceptedOn && evaluation.acceptanceConclusion
        ? { acceptedOn: evaluation.acceptedOn, conclusion: evaluation.acceptanceConclusion }
        : null,
    submittedAt: evaluation.submittedAt?.toISOString() ?? null,
    approvedAt: evaluation.approvedAt?.toISOString() ?? null,
  };
}

/** The items' history, evidence and expert scores, and the evaluation's experts and rectifications. */
function loadEvaluationParts(executor: Executor, id: string, itemIds: string[]) {
  const none = itemIds.length === 0;
  return Promise.all([
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
}

type EvaluationParts = Awaited<ReturnType<typeof loadEvaluationParts>>;

/** One item of the evaluation with its history, evidence and the expert scores the reader may see. */
function presentItem(
  item: typeof evaluationItems.$inferSelect,
  parts: {
    computed: LedgerEvaluation['indicators'][number] | undefined;
    itemScores: EvaluationParts[2];
    events: EvaluationParts[0];
    files: EvaluationParts[1];
    isExpert: boolean;
  },
): EvaluationDetail['items'][number] {
  const { computed, itemScores, events, files, isExpert } = parts;
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
    version: item.version,
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
      version: row.score.version,
    })),
    panel: isExpert
      ? null
      : panelResult(itemScores.map((row) => ({ expertId: row.score.expertId, score: row.score.score }))),
  };
}
