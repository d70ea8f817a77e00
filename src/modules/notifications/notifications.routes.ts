import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
} from './notifications.service.ts';

export const notificationSchema = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  evaluationId: z.string().nullable(),
  read: z.boolean(),
  createdAt: z.string(),
});

export const notificationRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const tags = ['通知'];

  app.get(
    '/notifications',
    {
      config: { policy: policies.notificationsOwn },
      schema: {
        tags,
        summary: '我的站内通知（含未读数）',
        querystring: z.object({
          unread: z.enum(['true', 'false']).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ unreadCount: z.number().int(), items: z.array(notificationSchema) }),
          ...errorResponses,
        },
      },
    },
    (request) =>
      listNotifications(context, requireActor(request), {
        unreadOnly: request.query.unread === 'true',
        limit: request.query.limit,
      }),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { policy: policies.notificationsOwn },
      schema: {
        tags,
        summary: '标记一条通知为已读',
        params: z.object({ id: z.uuid('通知编号格式不正确') }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await markNotificationRead(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/notifications/read-all',
    {
      config: { policy: policies.notificationsOwn },
      schema: {
        tags,
        summary: '全部标记为已读',
        response: { 200: z.object({ marked: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => ({ marked: await markAllNotificationsRead(context, requireActor(request)) }),
  );
};
