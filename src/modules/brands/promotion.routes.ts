import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { idParams } from './brand-http.ts';
import {
  createMediaChannelBodySchema,
  createPromotionEventBodySchema,
  mediaChannelBodySchema,
  mediaChannelSchema,
  promotionEventBodySchema,
  promotionEventSchema,
  promotionQuerySchema,
} from './brands.schemas.ts';
import {
  createMediaChannel,
  createPromotionEvent,
  deleteMediaChannel,
  deletePromotionEvent,
  listMediaChannels,
  listPromotionEvents,
  updateMediaChannel,
  updatePromotionEvent,
} from './promotion.service.ts';

type RouteOptions = { context: AppContext };

const tags = ['展会与宣传'];
const deleted = { 204: z.null(), ...errorResponses };

/** Expos, competitions and publicity events. */
const registerPromotionEventRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/promotion/events',
    {
      config: { policy: policies.promotionRead },
      schema: {
        tags,
        summary: '展会、大赛与宣传活动（指标 10、14、19）',
        querystring: promotionQuerySchema,
        response: { 200: z.array(promotionEventSchema), ...errorResponses },
      },
    },
    (request) => listPromotionEvents(context, requireActor(request), request.query.regionCode),
  );

  app.post(
    '/promotion/events',
    {
      config: { policy: policies.promotionWrite },
      schema: {
        tags,
        summary: '登记活动',
        body: createPromotionEventBodySchema,
        response: { 201: promotionEventSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPromotionEvent(context, requireActor(request), request.body)),
  );

  app.put(
    '/promotion/events/:id',
    {
      config: { policy: policies.promotionWrite },
      schema: {
        tags,
        summary: '修改活动',
        params: idParams,
        body: promotionEventBodySchema,
        response: { 200: promotionEventSchema, ...errorResponses },
      },
    },
    (request) => updatePromotionEvent(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/promotion/events/:id',
    {
      config: { policy: policies.promotionWrite },
      schema: { tags, summary: '删除活动', params: idParams, response: deleted },
    },
    async (request, reply) => {
      await deletePromotionEvent(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** New and traditional media channels. */
const registerMediaChannelRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/promotion/media-channels',
    {
      config: { policy: policies.promotionRead },
      schema: {
        tags,
        summary: '宣传渠道（新媒体与传统媒体，指标 10）',
        querystring: promotionQuerySchema,
        response: { 200: z.array(mediaChannelSchema), ...errorResponses },
      },
    },
    (request) => listMediaChannels(context, requireActor(request), request.query.regionCode),
  );

  app.post(
    '/promotion/media-channels',
    {
      config: { policy: policies.promotionWrite },
      schema: {
        tags,
        summary: '登记宣传渠道',
        body: createMediaChannelBodySchema,
        response: { 201: mediaChannelSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createMediaChannel(context, requireActor(request), request.body)),
  );

  app.put(
    '/promotion/media-channels/:id',
    {
      config: { policy: policies.promotionWrite },
      schema: {
        tags,
        summary: '修改宣传渠道',
        params: idParams,
        body: mediaChannelBodySchema,
        response: { 200: mediaChannelSchema, ...errorResponses },
      },
    },
    (request) => updateMediaChannel(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/promotion/media-channels/:id',
    {
      config: { policy: policies.promotionWrite },
      schema: { tags, summary: '删除宣传渠道', params: idParams, response: deleted },
    },
    async (request, reply) => {
      await deleteMediaChannel(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** 展会与宣传: the e-town's events (expo, competition, publicity) and media channels, ledger lists. */
export const promotionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerPromotionEventRoutes(app, options);
  await registerMediaChannelRoutes(app, options);
};
