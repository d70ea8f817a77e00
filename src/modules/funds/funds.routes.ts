import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../http/context.ts';
import { fundApplicationRoutes } from './fund-applications.routes.ts';
import { fundBudgetRoutes } from './fund-budgets.routes.ts';
import { fundDisbursementRoutes } from './fund-disbursements.routes.ts';
import { fundPolicyRoutes } from './fund-policies.routes.ts';
import { fundReportRoutes } from './fund-reports.routes.ts';
import { fundSettingsRoutes } from './fund-settings.routes.ts';

/** 资金管理: settings, policies, budgets, applications with review and settlement, instalments, reports. */
export const fundRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  // Funds writes store their Idempotency-Key inside their own transaction (runIdempotentWrite).
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, idempotency: 'in-transaction' };
  });
  await app.register(fundSettingsRoutes, { context });
  await app.register(fundPolicyRoutes, { context });
  await app.register(fundBudgetRoutes, { context });
  await app.register(fundApplicationRoutes, { context });
  await app.register(fundDisbursementRoutes, { context });
  await app.register(fundReportRoutes, { context });
};
