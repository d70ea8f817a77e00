import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { evaluationStatuses } from '../../db/schema/evaluations.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses, regionCodeSchema } from '../../http/schemas.ts';
import {
  acceptRawUploads,
  MAX_DOCUMENT_BYTES,
  sendAttachment,
  uploadedBytes,
} from '../../lib/attachments.ts';
import { notificationRoutes } from '../notifications/notifications.routes.ts';
import { bulkApproveEvaluations, reopenEvaluation, reviewEvaluation } from './city-review.service.ts';
import { getEvaluation, listEvaluations } from './evaluation-read.service.ts';
import { assignExperts, scoreIndicator, submitExpertScores } from './expert-review.service.ts';
import { planRectification, recordAcceptance, updateRectification } from './rectification.service.ts';
import {
  addEvidence,
  readEvidence,
  startEvaluation,
  submitEvaluation,
  updateSelfAssessment,
} from './self-evaluation.service.ts';
import {
  acceptanceBodySchema,
  assignExpertsBodySchema,
  bulkApproveBodySchema,
  bulkApproveResultSchema,
  evaluationDetailSchema,
  evaluationSummarySchema,
  expertScoreBodySchema,
  reasonBodySchema,
  rectificationPlanBodySchema,
  reviewBodySchema,
  startEvaluationBodySchema,
  updateItemBodySchema,
  updateRectificationBodySchema,
} from './workflow.schemas.ts';

const idParams = z.object({ id: z.uuid('评价编号格式不正确') });
const itemParams = idParams.extend({ no: z.coerce.number().int().min(1).max(99) });
const detail = { 200: evaluationDetailSchema, ...errorResponses };

type RouteOptions = { context: AppContext };

const tags = ['评价流程'];

/** Listing, starting and reading evaluations. */
const registerEvaluationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/evaluations',
    {
      config: { policy: policies.evaluationsRead },
      schema: {
        tags,
        summary: '评价列表（本人可见范围）',
        querystring: z.object({
          year: z.coerce.number().int().optional(),
          regionCode: regionCodeSchema.optional(),
          status: z.enum(evaluationStatuses).optional(),
        }),
        response: { 200: z.array(evaluationSummarySchema), ...errorResponses },
      },
    },
    (request) => listEvaluations(context, requireActor(request), request.query),
  );

  app.post(
    '/evaluations',
    {
      config: { policy: policies.evaluationsSelfAssess },
      schema: {
        tags,
        summary: '开始年度自评：平台按数据填好每项指标并固定快照',
        body: startEvaluationBodySchema,
        response: { 201: evaluationDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await startEvaluation(context, requireActor(request), request.body)),
  );

  app.get(
    '/evaluations/:id',
    {
      config: { policy: policies.evaluationsRead },
      schema: {
        tags,
        summary: '评价详情（指标、自评、审核历史、证明材料、专家评分、整改、验收）',
        params: idParams,
        response: detail,
      },
    },
    (request) => getEvaluation(context, requireActor(request), request.params.id),
  );
};

/** 自评: an item's self-assessment and its evidence. */
const registerSelfAssessmentRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.put(
    '/evaluations/:id/items/:no',
    {
      config: { policy: policies.evaluationsSelfAssess },
      schema: {
        tags,
        summary: '填写某项指标的自评分（0–100）和说明',
        params: itemParams,
        body: updateItemBodySchema,
        response: detail,
      },
    },
    (request) =>
      updateSelfAssessment(
        context,
        requireActor(request),
        request.params.id,
        request.params.no,
        request.body,
      ),
  );

  app.post(
    '/evaluations/:id/items/:no/evidence',
    {
      config: { policy: policies.evaluationsSelfAssess },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags,
        summary:
          '上传证明材料（请求体为文件本身，Content-Type: application/octet-stream；PDF/图片/Office，≤ 20 MB）',
        params: itemParams,
        querystring: z.object({ fileName: z.string().trim().min(1, '请提供文件名').max(200) }),
        response: {
          201: z.object({
            id: z.string(),
            fileName: z.string(),
            mediaType: z.string(),
            sizeBytes: z.number().int(),
            sha256: z.string(),
            uploadedAt: z.string(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const evidence = await addEvidence(
        context,
        requireActor(request),
        request.params.id,
        request.params.no,
        request.query.fileName,
        uploadedBytes(request),
      );
      return reply.status(201).send(evidence);
    },
  );

  app.get(
    '/evaluations/:id/evidence/:evidenceId',
    {
      config: { policy: policies.evaluationsRead },
      schema: {
        tags,
        summary: '下载证明材料',
        params: idParams.extend({ evidenceId: z.uuid('材料编号格式不正确') }),
      },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readEvidence(context, requireActor(request), request.params.id, request.params.evidenceId),
      ),
  );
};

/** Submitting, 市级审核 (one or in bulk) and reopening. */
const registerCityReviewRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/evaluations/:id/submit',
    {
      config: { policy: policies.evaluationsSelfAssess },
      schema: { tags, summary: '提交（或修改后重新提交）自评', params: idParams, response: detail },
    },
    (request) => submitEvaluation(context, requireActor(request), request.params.id),
  );

  app.post(
    '/evaluations/:id/review',
    {
      config: { policy: policies.evaluationsReview },
      schema: {
        tags,
        summary: '市级审核：列出退回的指标及原因，其余待审指标通过；无退回即通过并锁定',
        params: idParams,
        body: reviewBodySchema,
        response: detail,
      },
    },
    (request) => reviewEvaluation(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/evaluations/bulk-approve',
    {
      config: { policy: policies.evaluationsReview },
      schema: {
        tags,
        summary: '批量通过多个e镇的评价（逐个全部成功或全部不变，分别报告结果）',
        body: bulkApproveBodySchema,
        response: { 200: bulkApproveResultSchema, ...errorResponses },
      },
    },
    (request) => bulkApproveEvaluations(context, requireActor(request), request.body.evaluationIds),
  );

  app.post(
    '/evaluations/:id/reopen',
    {
      config: { policy: policies.evaluationsReview },
      schema: {
        tags,
        summary: '重新开放已通过（锁定）的评价供县级修改',
        params: idParams,
        body: reasonBodySchema,
        response: detail,
      },
    },
    (request) => reopenEvaluation(context, requireActor(request), request.params.id, request.body.reason),
  );
};

/** 专家评审: assigning experts and their scores. */
const registerExpertReviewRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/evaluations/:id/experts',
    {
      config: { policy: policies.evaluationsAssignExperts },
      schema: {
        tags,
        summary: '指派评审专家',
        params: idParams,
        body: assignExpertsBodySchema,
        response: detail,
      },
    },
    (request) => assignExperts(context, requireActor(request), request.params.id, request.body),
  );

  app.put(
    '/evaluations/:id/expert-scores/:no',
    {
      config: { policy: policies.evaluationsExpertScore },
      schema: {
        tags,
        summary: '专家对某项指标打分（0–100）并填写评审意见',
        params: itemParams,
        body: expertScoreBodySchema,
        response: detail,
      },
    },
    (request) =>
      scoreIndicator(context, requireActor(request), request.params.id, request.params.no, request.body),
  );

  app.post(
    '/evaluations/:id/expert-scores/submit',
    {
      config: { policy: policies.evaluationsExpertScore },
      schema: { tags, summary: '专家提交评审结果（须每项已打分）', params: idParams, response: detail },
    },
    (request) => submitExpertScores(context, requireActor(request), request.params.id),
  );
};

/** 整改 and 验收. */
const registerRectificationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/evaluations/:id/rectifications',
    {
      config: { policy: policies.rectificationsPlan },
      schema: {
        tags,
        summary: '根据专家意见下达整改事项（责任人、期限）',
        params: idParams,
        body: rectificationPlanBodySchema,
        response: detail,
      },
    },
    (request) => planRectification(context, requireActor(request), request.params.id, request.body),
  );

  app.patch(
    '/rectifications/:id',
    {
      config: { policy: policies.rectificationsUpdate },
      schema: {
        tags,
        summary: '更新整改事项状态（未开始/整改中/已完成）',
        params: z.object({ id: z.uuid('整改事项编号格式不正确') }),
        body: updateRectificationBodySchema,
        response: detail,
      },
    },
    (request) => updateRectification(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/evaluations/:id/acceptance',
    {
      config: { policy: policies.evaluationsAccept },
      schema: {
        tags,
        summary: '登记验收日期和结论（整改事项须全部完成）',
        params: idParams,
        body: acceptanceBodySchema,
        response: detail,
      },
    },
    (request) => recordAcceptance(context, requireActor(request), request.params.id, request.body),
  );
};

/** The yearly evaluation: 自评 → 市级审核 → 专家评审 → 整改 → 验收. */
export const evaluationWorkflowRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  // The workflow is what notifies today, so its inbox comes with it (one registration in app.ts).
  await app.register(notificationRoutes, { context: options.context });

  acceptRawUploads(app, MAX_DOCUMENT_BYTES);
  await registerEvaluationRoutes(app, options);
  await registerSelfAssessmentRoutes(app, options);
  await registerCityReviewRoutes(app, options);
  await registerExpertReviewRoutes(app, options);
  await registerRectificationRoutes(app, options);
};
