import { z } from 'zod';
import {
  evaluationStatuses,
  itemReviewStatuses,
  rectificationStatuses,
} from '../../db/schema/evaluations.ts';
import {
  etownCodeSchema,
  expectedVersionSchema,
  isoDateSchema,
  recordVersionSchema,
} from '../../http/schemas.ts';

export const evaluationStatusLabels = {
  draft: '自评中',
  submitted: '待市级审核',
  returned: '已退回修改',
  approved: '市级已通过（已锁定）',
  expert_review: '专家评审中',
  rectification: '整改中',
  accepted: '已验收',
} as const;

export const rectificationStatusLabels = { open: '未开始', in_progress: '整改中', closed: '已完成' } as const;

/** A self or expert score: an integer 0–100 per indicator (the catalog defines no weights; see ADR). */
const score = z
  .number('评分须为数字')
  .int('评分须为整数')
  .min(0, '评分须在 0 到 100 之间')
  .max(100, '评分须在 0 到 100 之间');
const indicatorNo = z.number().int().min(1).max(99);

export const startEvaluationBodySchema = z.object({
  etownCode: etownCodeSchema,
  year: z.number().int().min(2020, '年度不早于 2020').max(2100),
});

export const updateItemBodySchema = z.object({
  score: score.nullable(),
  statement: z.string().trim().max(4000).nullable(),
  version: expectedVersionSchema,
});

export const reviewBodySchema = z.object({
  returns: z
    .array(z.object({ indicatorNo, reason: z.string().trim().min(1, '请填写退回原因').max(1000) }))
    .max(100)
    .default([]),
});

export const bulkApproveBodySchema = z.object({
  evaluationIds: z.array(z.uuid('评价编号格式不正确')).min(1).max(200),
});

export const reasonBodySchema = z.object({ reason: z.string().trim().min(1, '请填写原因').max(1000) });

export const assignExpertsBodySchema = z.object({
  expertUserIds: z.array(z.uuid('专家编号格式不正确')).min(1, '至少指派一名专家').max(20),
});

export const expertScoreBodySchema = z.object({
  score,
  finding: z.string().trim().max(4000).nullable(),
  /** The version of the expert's own score as loaded; null for a first score of this indicator. */
  version: expectedVersionSchema.nullable(),
});

export const rectificationPlanBodySchema = z.object({
  items: z
    .array(
      z.object({
        indicatorNo: indicatorNo.nullable(),
        finding: z.string().trim().min(1, '请填写问题').max(2000),
        owner: z.string().trim().min(1, '请填写责任人或责任单位').max(200),
        deadline: isoDateSchema,
      }),
    )
    .max(200),
});

export const updateRectificationBodySchema = z.object({
  status: z.enum(rectificationStatuses),
  note: z.string().trim().max(2000).nullable().optional(),
  version: expectedVersionSchema,
});

export const acceptanceBodySchema = z.object({
  acceptedOn: isoDateSchema,
  conclusion: z.string().trim().min(1, '请填写验收结论').max(4000),
});

const historyEntrySchema = z.object({
  kind: z.string(),
  reason: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});

const evidenceSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
});

const factValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const evaluationItemSchema = z.object({
  indicatorNo: z.number().int(),
  title: z.string(),
  computedStatus: z.string(),
  facts: z.record(z.string(), factValue),
  reasons: z.array(z.string()),
  selfScore: z.number().int().nullable(),
  statement: z.string().nullable(),
  reviewStatus: z.enum(itemReviewStatuses),
  returnReason: z.string().nullable(),
  version: recordVersionSchema,
  history: z.array(historyEntrySchema),
  evidence: z.array(evidenceSchema),
  expertScores: z.array(
    z.object({
      expertId: z.string(),
      expertName: z.string(),
      score: z.number().int(),
      finding: z.string().nullable(),
      version: recordVersionSchema,
    }),
  ),
  panel: z
    .object({
      count: z.number().int(),
      mean: z.number().nullable(),
      median: z.number().nullable(),
      outlierExpertIds: z.array(z.string()),
    })
    .nullable(),
});

export const rectificationSchema = z.object({
  id: z.string(),
  indicatorNo: z.number().int().nullable(),
  finding: z.string(),
  owner: z.string(),
  deadline: z.string(),
  status: z.enum(rectificationStatuses),
  overdue: z.boolean(),
  note: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: recordVersionSchema,
});

export const evaluationSummarySchema = z.object({
  id: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  year: z.number().int(),
  status: z.enum(evaluationStatuses),
  statusLabel: z.string(),
  catalog: z.object({ id: z.string(), version: z.number().int() }),
  summary: z.object({ met: z.number().int(), unmet: z.number().int(), pending: z.number().int() }),
  reopenCount: z.number().int(),
  submissionCount: z.number().int(),
  updatedAt: z.string(),
});
export type EvaluationSummaryView = z.infer<typeof evaluationSummarySchema>;

/** A county's add-on targets as the engine evaluated them (`AddOnEvaluation`), apart from the binding items. */
const addOnEvaluationSchema = z.object({
  catalog: z.object({ id: z.string(), version: z.number().int(), title: z.string() }),
  summary: z.object({ met: z.number().int(), unmet: z.number().int(), pending: z.number().int() }),
  indicators: z.array(
    z.object({
      no: z.number().int(),
      title: z.string(),
      status: z.enum(['met', 'unmet', 'pending']),
      facts: z.record(z.string(), factValue),
      reasons: z.array(z.string()),
    }),
  ),
});

export const evaluationDetailSchema = evaluationSummarySchema.extend({
  tier: z.string(),
  items: z.array(evaluationItemSchema),
  addOns: z.array(addOnEvaluationSchema),
  experts: z.array(z.object({ id: z.string(), name: z.string(), submittedAt: z.string().nullable() })),
  rectifications: z.array(rectificationSchema),
  acceptance: z.object({ acceptedOn: z.string(), conclusion: z.string() }).nullable(),
  submittedAt: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
export type EvaluationDetail = z.infer<typeof evaluationDetailSchema>;

export const bulkApproveResultSchema = z.object({
  results: z.array(
    z.object({
      evaluationId: z.string(),
      ok: z.boolean(),
      status: z.enum(evaluationStatuses).optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
