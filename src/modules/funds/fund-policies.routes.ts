import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { runIdempotentWrite } from '../../http/idempotency.ts';
import { errorResponses } from '../../http/schemas.ts';
import { createFundPolicy, listFundPolicies, updateFundPolicy } from './fund-policies.service.ts';
import { idempotencyHeader, idParams, tags, writeErrors } from './funds.route-support.ts';
import {
  fundPolicyBodySchema,
  fundPolicySchema,
  listFundPoliciesQuerySchema,
  updateFundPolicyBodySchema,
} from './funds.schemas.ts';

/** 资金政策. */
export const fundPolicyRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  // ---- policies ----

  app.get(
    '/funds/policies',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金政策列表（本级及上级发布、适用于本人范围的政策）',
        querystring: listFundPoliciesQuerySchema,
        response: { 200: z.array(fundPolicySchema), ...errorResponses },
      },
    },
    (request) => listFundPolicies(context, requireActor(request), request.query),
  );

  app.post(
    '/funds/policies',
    {
      config: { policy: policies.fundsPolicyWrite },
      schema: {
        tags,
        summary: '发布资金政策（支持方式、标准、上限、发文与有效期）',
        headers: idempotencyHeader,
        body: fundPolicyBodySchema,
        response: { 201: fundPolicySchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        createFundPolicy(tx, actor, request.body),
      ),
  );

  app.put(
    '/funds/policies/:id',
    {
      config: { policy: policies.fundsPolicyWrite },
      schema: {
        tags,
        summary: '修改本级发布的资金政策（须带版本号）',
        params: idParams,
        headers: idempotencyHeader,
        body: updateFundPolicyBodySchema,
        response: { 200: fundPolicySchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        updateFundPolicy(tx, actor, request.params.id, request.body.policy, request.body.version),
      ),
  );
};
