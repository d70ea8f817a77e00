import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { runIdempotentWrite } from '../../http/idempotency.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  approveDisbursementRequest,
  disburseFundApplication,
  listDisbursementRequests,
  requestDisbursement,
  returnDisbursementRequest,
} from './fund-disbursements.service.ts';
import { idempotencyHeader, idParams, tags, writeErrors } from './funds.route-support.ts';
import {
  applicationDetailSchema,
  approveDisbursementBodySchema,
  disburseBodySchema,
  disbursementRequestBodySchema,
  disbursementRequestListItemSchema,
  disbursementRequestParams,
  disbursementSchema,
  listDisbursementRequestsQuerySchema,
  reasonBodySchema,
} from './funds.schemas.ts';

/** 拨付: instalments, and requests for them where the county finance bureau approves.
 * A route table, long only by its endpoints: each declaration is a few lines that parse and delegate.
 */
export const fundDisbursementRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  app.post(
    '/funds/applications/:id/disbursements',
    {
      config: { policy: policies.fundsDisburse },
      schema: {
        tags,
        summary:
          '分期拨付（须带 Idempotency-Key；凭证号与拨付日期；不超过核定未拨付余额）。本县设置“拨付需县财政局审批”时答复 409 finance_approval_required，改为提交拨付申请',
        params: idParams,
        headers: idempotencyHeader,
        body: disburseBodySchema,
        response: { 201: disbursementSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { required: true, status: 201 }, (tx, actor) =>
        disburseFundApplication(tx, actor, request.params.id, request.body),
      ),
  );

  app.post(
    '/funds/applications/:id/disbursement-requests',
    {
      config: { policy: policies.fundsDisburse },
      schema: {
        tags,
        summary:
          '提交拨付申请（本县设置“拨付需县财政局审批”时；金额不超过核定未拨付且未在审批中的余额；县财政局批准后拨付）',
        params: idParams,
        headers: idempotencyHeader,
        body: disbursementRequestBodySchema,
        response: { 201: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        requestDisbursement(tx, actor, request.params.id, request.body),
      ),
  );

  app.get(
    '/funds/disbursement-requests',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '拨付申请列表（县财政局审批；可按状态、区划筛选）',
        querystring: listDisbursementRequestsQuerySchema,
        response: { 200: z.array(disbursementRequestListItemSchema), ...errorResponses },
      },
    },
    (request) => listDisbursementRequests(context, requireActor(request), request.query),
  );

  app.post(
    '/funds/disbursement-requests/:id/approve',
    {
      config: { policy: policies.fundsDisbursementApprove },
      schema: {
        tags,
        summary: '县财政局批准拨付（须带 Idempotency-Key；按申请金额拨付，拨付日期不早于申请日、不晚于今天）',
        params: disbursementRequestParams,
        headers: idempotencyHeader,
        body: approveDisbursementBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { required: true }, (tx, actor) =>
        approveDisbursementRequest(tx, actor, request.params.id, request.body),
      ),
  );

  app.post(
    '/funds/disbursement-requests/:id/return',
    {
      config: { policy: policies.fundsDisbursementApprove },
      schema: {
        tags,
        summary: '县财政局退回拨付申请（须说明理由；不拨付）',
        params: disbursementRequestParams,
        headers: idempotencyHeader,
        body: reasonBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        returnDisbursementRequest(tx, actor, request.params.id, request.body.reason),
      ),
  );
};
