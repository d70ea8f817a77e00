import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  readSettings,
  settingsBodySchema,
  settingsSchema,
  settingsViewSchema,
  writeSettings,
} from './settings.service.ts';

export const systemRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  app.get(
    '/health',
    {
      config: { policy: policies.public },
      schema: {
        tags: ['系统'],
        summary: '健康检查',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.enum(['pglite', 'postgres']),
            version: z.string(),
          }),
          503: z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await context.database.query('select 1');
      } catch {
        return reply.status(503).send({ error: { code: 'database_unavailable', message: '数据库不可用' } });
      }
      return { status: 'ok' as const, database: context.database.kind, version: context.config.version };
    },
  );

  app.get(
    '/public/settings',
    {
      config: { policy: policies.public },
      schema: {
        tags: ['系统'],
        summary: '登录页公告',
        response: { 200: settingsSchema.pick({ loginNotice: true }) },
      },
    },
    async () => ({ loginNotice: (await readSettings(context)).loginNotice }),
  );

  app.get(
    '/settings',
    {
      config: { policy: policies.settingsRead },
      schema: {
        tags: ['系统设置（系统管理员）'],
        summary: '系统设置',
        response: { 200: settingsViewSchema, ...errorResponses },
      },
    },
    () => readSettings(context),
  );

  app.put(
    '/settings',
    {
      config: { policy: policies.settingsWrite },
      schema: {
        tags: ['系统设置（系统管理员）'],
        summary: '修改系统设置',
        body: settingsBodySchema,
        response: { 200: settingsViewSchema, ...errorResponses },
      },
    },
    (request) => writeSettings(context, requireActor(request), request.body),
  );
};
