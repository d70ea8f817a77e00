import { createServer } from 'node:http';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type Policy, policies } from '../access/policies.ts';
import { logger } from '../lib/logger.ts';
import { accountRoutes } from '../modules/accounts/accounts.routes.ts';
import { authRoutes } from '../modules/accounts/auth.routes.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { brandRoutes } from '../modules/brands/brands.routes.ts';
import { entityRoutes } from '../modules/entities/entities.routes.ts';
import { invitationRoutes } from '../modules/entities/invitations.routes.ts';
import { fundRoutes } from '../modules/funds/funds.routes.ts';
import { ledgerRoutes } from '../modules/indicators/ledger.routes.ts';
import { scorecardRoutes } from '../modules/indicators/scorecard.routes.ts';
import { evaluationWorkflowRoutes } from '../modules/indicators/workflow.routes.ts';
import { jobRoutes } from '../modules/jobs/jobs.routes.ts';
import { waitForJobs } from '../modules/jobs/jobs.service.ts';
import { projectRoutes } from '../modules/projects/projects.routes.ts';
import { leadingGroupRoutes } from '../modules/regions/leading-groups.routes.ts';
import { regionRoutes } from '../modules/regions/regions.routes.ts';
import { cityOutputGrowthRoutes } from '../modules/stats/city-output-growth.routes.ts';
import { monthlyAggregateRoutes } from '../modules/stats/monthly-aggregate.routes.ts';
import { monthlyImportRoutes } from '../modules/stats/monthly-import.routes.ts';
import { monthlyReportRoutes } from '../modules/stats/monthly-report.routes.ts';
import { statsSettingsRoutes } from '../modules/stats/stats-settings.routes.ts';
import { systemRoutes } from '../modules/system/system.routes.ts';
import { sessionSignInPageRoutes } from '../modules/talent/session-sign-in.routes.ts';
import { talentRoutes } from '../modules/talent/talent.routes.ts';
import { scanPageRoutes, scanPages } from '../modules/trace/scan-page.routes.ts';
import { traceRoutes } from '../modules/trace/trace.routes.ts';
import { registerAccessControl } from './access-control.ts';
import type { AppContext } from './context.ts';
import { registerErrorHandling } from './error-handler.ts';
import { registerIdempotentCreates } from './idempotency.ts';
import { registerOpenApi } from './openapi.ts';
import { registerCsrfDefence, registerSecurityHeaders, registerTextGuard } from './request-guards.ts';
import { registerWebApp } from './web-app.ts';

z.config(z.locales.zhCN());

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: Policy;
  }
}

export type RegisteredRoute = { method: string; url: string; policy: Policy | undefined };
export type App = FastifyInstance & { registeredRoutes: RegisteredRoute[] };

/**
 * zod validates and serialises every route. Given as the compilers' factories (what setValidatorCompiler and
 * setSerializerCompiler would install), Fastify does not load its default ones: ajv alone is 170 files and a
 * quarter of a second of CPU at each start.
 */
const zodCompilers = {
  compilersFactory: {
    buildValidator: () => validatorCompiler,
    buildSerializer: () => serializerCompiler,
  },
} as unknown as FastifyServerOptions['schemaController'];

/** Builds the whole server: API, OpenAPI document, docs and the web app. */
export async function buildApp(context: AppContext, options: { logger?: boolean } = {}): Promise<App> {
  const pages = scanPages(context);
  const app = Fastify({
    // The process logger (with its redaction of cookies, credentials and personal data) logs requests too.
    ...(options.logger ? { loggerInstance: logger as FastifyBaseLogger } : { logger: false }),
    trustProxy: false,
    bodyLimit: 2 * 1024 * 1024,
    schemaController: zodCompilers,
    // The same server Fastify would make, answering plain scan-page requests (/t/<code>) before routing:
    // a QR scan needs no cookie, session, compression or audit hook, and they were a third of its cost.
    serverFactory: (handler, settings) => {
      const server = createServer((request, response) => {
        if (!pages.serveRaw(request, response)) handler(request, response);
      });
      const timeouts = settings as {
        keepAliveTimeout?: number;
        requestTimeout?: number;
        connectionTimeout?: number;
      };
      server.keepAliveTimeout = timeouts.keepAliveTimeout ?? 72_000;
      server.requestTimeout = timeouts.requestTimeout ?? 0;
      server.setTimeout(timeouts.connectionTimeout ?? 0);
      return server;
    },
  }).withTypeProvider<ZodTypeProvider>();

  const routeOptions: { method: string; url: string; options: { config?: { policy?: Policy } } }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routeOptions.push({ method, url: route.url, options: route });
  });
  const registeredRoutes = (): RegisteredRoute[] =>
    routeOptions.map(({ method, url, options }) => ({ method, url, policy: options.config?.policy }));
  app.decorate('registeredRoutes', { getter: registeredRoutes });
  // A route without a declared policy is a programming error: the server refuses to start.
  // Background jobs of this server finish their transaction before it closes.
  app.addHook('onClose', () => waitForJobs(context));
  app.addHook('onReady', async () => {
    const missing = registeredRoutes().filter((route) => !route.policy);
    if (missing.length > 0) {
      throw new Error(
        `routes without an access policy: ${missing.map((r) => `${r.method} ${r.url}`).join(', ')}`,
      );
    }
  });

  registerErrorHandling(app);
  // gzip/brotli for the web app (antd alone is over 1 MB) and larger API answers.
  await app.register(fastifyCompress, { global: true, threshold: 1024 });
  await app.register(fastifyCookie);
  await registerOpenApi(app, context.config.version);
  registerSecurityHeaders(app, context.config);
  registerCsrfDefence(app, context.config);
  registerAccessControl(app, context);
  registerTextGuard(app);
  registerIdempotentCreates(app, context);

  if (context.config.apiDocs === 'public') {
    await app.register(
      async (docs) => {
        // Everything the docs plugin registers (its page and assets) is public.
        docs.addHook('onRoute', (route) => {
          route.config = { ...route.config, policy: policies.public };
        });
        await docs.register(fastifySwaggerUi, { routePrefix: '/docs' });
      },
      { prefix: '' },
    );
    app.get('/openapi.json', { config: { policy: policies.public }, schema: { hide: true } }, () =>
      app.swagger(),
    );
  }

  await app.register(
    async (api) => {
      await api.register(systemRoutes, { context });
      await api.register(authRoutes, { context });
      await api.register(accountRoutes, { context });
      await api.register(regionRoutes, { context });
      await api.register(leadingGroupRoutes, { context });
      await api.register(auditRoutes, { context });
      await api.register(evaluationWorkflowRoutes, { context });
      await api.register(scorecardRoutes, { context });
      await api.register(ledgerRoutes, { context });
      await api.register(jobRoutes, { context });
      await api.register(monthlyReportRoutes, { context });
      await api.register(monthlyAggregateRoutes, { context });
      await api.register(monthlyImportRoutes, { context });
      await api.register(entityRoutes, { context });
      await api.register(talentRoutes, { context });
      await api.register(traceRoutes, { context });
      await api.register(brandRoutes, { context });
      await api.register(invitationRoutes, { context });
      await api.register(statsSettingsRoutes, { context });
      await api.register(cityOutputGrowthRoutes, { context });
      await api.register(fundRoutes, { context });
      await api.register(projectRoutes, { context });
    },
    { prefix: '/api' },
  );

  // The public trace page a package's QR code opens (/t/<code>): plain HTML, outside the API.
  await app.register(scanPageRoutes, { pages });
  // The public sign-in page a training session's QR code opens (/s/<code>).
  await app.register(sessionSignInPageRoutes, { context });

  await registerWebApp(app);

  return app as unknown as App;
}
