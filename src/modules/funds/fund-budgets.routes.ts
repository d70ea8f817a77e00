import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { runIdempotentWrite } from '../../http/idempotency.ts';
import { errorResponses } from '../../http/schemas.ts';
import { allocateBudget, getBudgetOverview } from './fund-budgets.service.ts';
import { idempotencyHeader, tags, writeErrors } from './funds.route-support.ts';
import {
  allocationBodySchema,
  allocationSchema,
  budgetOverviewSchema,
  regionQuerySchema,
} from './funds.schemas.ts';

/** 预算下达 and the budget overview. */
export const fundBudgetRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  // ---- budgets ----

  app.get(
    '/funds/budgets',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '各e镇分来源预算：已下达、可用、已核定待拨付、已拨付，省级补助上限与剩余额度',
        querystring: regionQuerySchema,
        response: { 200: budgetOverviewSchema, ...errorResponses },
      },
    },
    (request) => getBudgetOverview(context, requireActor(request), request.query.regionCode),
  );

  app.post(
    '/funds/allocations',
    {
      config: { policy: policies.fundsAllocate },
      schema: {
        tags,
        summary: '下达预算（省级财政由省级、市级由市级、县级与社会资本由县级下达；省级不超过上限）',
        headers: idempotencyHeader,
        body: allocationBodySchema,
        response: { 201: allocationSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        allocateBudget(tx, actor, request.body),
      ),
  );
};
