import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses, etownCodeSchema, regionCodeSchema } from '../../http/schemas.ts';
import {
  createEtownBodySchema,
  etownDetailSchema,
  etownSummarySchema,
  regionDetailSchema,
  regionNodeSchema,
  setTierBodySchema,
  updateEtownBodySchema,
} from './regions.schemas.ts';
import {
  createEtown,
  deleteEtown,
  getEtown,
  getRegionDetail,
  getRegionTree,
  listEtowns,
  setCountyTier,
  updateEtown,
} from './regions.service.ts';

type RouteOptions = { context: AppContext };

const regionTags = ['区划'];
const etownTags = ['e镇档案'];

/** The region tree, a region and its county tier. */
const registerRegionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/regions',
    {
      config: { policy: policies.regionsRead },
      schema: {
        tags: regionTags,
        summary: '当前用户可见的区划树（省→市→县→e镇）',
        response: { 200: z.object({ roots: z.array(regionNodeSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ roots: await getRegionTree(context, requireActor(request)) }),
  );

  app.get(
    '/regions/:code',
    {
      config: { policy: policies.regionsRead },
      schema: {
        tags: regionTags,
        summary: '区划详情',
        params: z.object({ code: regionCodeSchema }),
        response: { 200: regionDetailSchema, ...errorResponses },
      },
    },
    (request) => getRegionDetail(context, requireActor(request), request.params.code),
  );

  app.put(
    '/regions/:code/tier',
    {
      config: { policy: policies.countyTierWrite },
      schema: {
        tags: regionTags,
        summary: '设置县分类（先行示范县/整体推进县/重点帮扶县），保留变更历史',
        params: z.object({ code: z.string().regex(/^[0-9]{6}$/, '县级区划代码须为 6 位数字') }),
        body: setTierBodySchema,
        response: { 200: regionDetailSchema, ...errorResponses },
      },
    },
    (request) => setCountyTier(context, requireActor(request), request.params.code, request.body),
  );
};

/** e-town records: list, read, register, change, delete. */
const registerEtownRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/etowns',
    {
      config: { policy: policies.etownsRead },
      schema: {
        tags: etownTags,
        summary: 'e镇列表（可按区划筛选）',
        querystring: z.object({ regionCode: regionCodeSchema.optional() }),
        response: { 200: z.array(etownSummarySchema), ...errorResponses },
      },
    },
    (request) => listEtowns(context, requireActor(request), request.query.regionCode),
  );

  app.get(
    '/etowns/:code',
    {
      config: { policy: policies.etownsRead },
      schema: {
        tags: etownTags,
        summary: 'e镇档案',
        params: z.object({ code: etownCodeSchema }),
        response: { 200: etownDetailSchema, ...errorResponses },
      },
    },
    (request) => getEtown(context, requireActor(request), request.params.code),
  );

  app.post(
    '/etowns',
    {
      config: { policy: policies.etownsWrite },
      schema: {
        tags: etownTags,
        summary: '在县下新建e镇（自动编号）',
        body: createEtownBodySchema,
        response: { 201: etownDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createEtown(context, requireActor(request), request.body)),
  );

  app.patch(
    '/etowns/:code',
    {
      config: { policy: policies.etownsWrite },
      schema: {
        tags: etownTags,
        summary: '修改e镇档案（含边界 GeoJSON；须带版本号）',
        params: z.object({ code: etownCodeSchema }),
        body: updateEtownBodySchema,
        response: { 200: etownDetailSchema, ...errorResponses },
      },
    },
    (request) => updateEtown(context, requireActor(request), request.params.code, request.body),
  );

  app.delete(
    '/etowns/:code',
    {
      config: { policy: policies.etownsWrite },
      schema: {
        tags: etownTags,
        summary: '删除e镇（无业务数据时）',
        params: z.object({ code: etownCodeSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteEtown(context, requireActor(request), request.params.code);
      return reply.status(204).send(null);
    },
  );
};

export const regionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerRegionRoutes(app, options);
  await registerEtownRoutes(app, options);
};
