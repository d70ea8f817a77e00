import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { runIdempotentWrite } from '../../http/idempotency.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  acceptRawUploads,
  MAX_DOCUMENT_BYTES,
  sendAttachment,
  uploadedBytes,
} from '../../lib/attachments.ts';
import {
  getApplicationDetail,
  listFundApplications,
  readFundApplicationFile,
} from './fund-application-read.service.ts';
import {
  approveFundApplication,
  refuseFundApplication,
  settleFundApplication,
} from './fund-application-review.service.ts';
import {
  addFundApplicationFile,
  submitFundApplication,
  updateFundApplication,
} from './fund-application-submit.service.ts';
import { idempotencyHeader, idParams, tags, writeErrors } from './funds.route-support.ts';
import {
  applicationBodySchema,
  applicationDetailSchema,
  applicationFileSchema,
  applicationListSchema,
  approveBodySchema,
  listApplicationsQuerySchema,
  reasonBodySchema,
  settleBodySchema,
  updateApplicationBodySchema,
} from './funds.schemas.ts';

type RouteOptions = { context: AppContext };

/** Listing, submitting, reading and changing applications. */
const registerApplicationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/funds/applications',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金申请列表（按区划、状态、政策、关键词筛选，分页）',
        querystring: listApplicationsQuerySchema,
        response: { 200: applicationListSchema, ...errorResponses },
      },
    },
    (request) => listFundApplications(context, requireActor(request), request.query),
  );

  app.post(
    '/funds/applications',
    {
      config: { policy: policies.fundsApply },
      schema: {
        tags,
        summary:
          '提交资金申请（企业为本主体，e镇运营主体为本e镇；按比例补助的政策须填写计算基数，申请金额不超过基数 × 比例，按分向下取整，且不超过单项上限）',
        headers: idempotencyHeader,
        body: applicationBodySchema,
        response: { 201: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        submitFundApplication(tx, actor, request.body),
      ),
  );

  app.get(
    '/funds/applications/:id',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金申请详情（材料、审核、分期拨付、账户变动）',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => getApplicationDetail(context.database.db, requireActor(request), request.params.id),
  );

  app.put(
    '/funds/applications/:id',
    {
      config: { policy: policies.fundsApply },
      schema: {
        tags,
        summary: '修改资金申请（待审核或已退回；已退回的修改后重新提交）',
        params: idParams,
        headers: idempotencyHeader,
        body: updateApplicationBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        updateFundApplication(tx, actor, request.params.id, request.body.application, request.body.version),
      ),
  );
};

/** An application's evidence files. */
const registerApplicationFileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/funds/applications/:id/files',
    {
      config: { policy: policies.fundsApply },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags,
        summary:
          '上传证明材料（请求体为文件本身，Content-Type: application/octet-stream；PDF/图片/Office，≤ 20 MB）',
        params: idParams,
        headers: idempotencyHeader,
        querystring: z.object({ fileName: z.string().trim().min(1, '请提供文件名').max(200) }),
        response: { 201: applicationFileSchema, ...writeErrors },
      },
    },
    (request, reply) => {
      const bytes = uploadedBytes(request);
      return runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        addFundApplicationFile(tx, context, actor, request.params.id, request.query.fileName, bytes),
      );
    },
  );

  app.get(
    '/funds/applications/:id/files/:fileId',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '下载证明材料',
        params: idParams.extend({ fileId: z.uuid('材料编号格式不正确') }),
      },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readFundApplicationFile(
          context,
          requireActor(request),
          request.params.id,
          request.params.fileId,
        ),
      ),
  );
};

/** Approving, returning, rejecting and settling applications. */
const registerApplicationReviewRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/funds/applications/:id/approve',
    {
      config: { policy: policies.fundsReview },
      schema: {
        tags,
        summary:
          '核定资金（须带 Idempotency-Key；金额不超过申请额、政策标准（定额，或计算基数 × 比例）与上限，从e镇预算转入待拨付）',
        params: idParams,
        headers: idempotencyHeader,
        body: approveBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { required: true }, (tx, actor) =>
        approveFundApplication(tx, actor, request.params.id, request.body),
      ),
  );

  for (const [path, outcome, summary] of [
    ['return', 'returned', '退回修改（须说明理由）'],
    ['reject', 'rejected', '不予支持（须说明理由）'],
  ] as const) {
    app.post(
      `/funds/applications/:id/${path}`,
      {
        config: { policy: policies.fundsReview },
        schema: {
          tags,
          summary,
          params: idParams,
          headers: idempotencyHeader,
          body: reasonBodySchema,
          response: { 200: applicationDetailSchema, ...writeErrors },
        },
      },
      (request, reply) =>
        runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
          refuseFundApplication(tx, actor, request.params.id, outcome, request.body.reason),
        ),
    );
  }

  app.post(
    '/funds/applications/:id/settle',
    {
      config: { policy: policies.fundsDisburse },
      schema: {
        tags,
        summary: '结算（未拨付部分退回预算，此后不再拨付）',
        params: idParams,
        headers: idempotencyHeader,
        body: settleBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        settleFundApplication(tx, actor, request.params.id, request.body),
      ),
  );
};

/** 资金申请: submission, evidence files, review, approval and settlement. */
export const fundApplicationRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  acceptRawUploads(app, MAX_DOCUMENT_BYTES);
  await registerApplicationRoutes(app, options);
  await registerApplicationFileRoutes(app, options);
  await registerApplicationReviewRoutes(app, options);
};
