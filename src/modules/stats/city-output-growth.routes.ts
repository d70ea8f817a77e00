import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  cityCodeParamsSchema,
  cityOutputGrowthBodySchema,
  cityOutputGrowthEntrySchema,
  cityOutputGrowthListSchema,
  cityYearParamsSchema,
} from './city-output-growth.schemas.ts';
import {
  deleteCityOutputGrowth,
  listCityOutputGrowth,
  putCityOutputGrowth,
} from './city-output-growth.service.ts';

/** 市级年总产值平均增长率: the city's figure each of its e-towns' indicator 23 is judged against. */
export const cityOutputGrowthRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const tags = ['月度统计'];

  app.get(
    '/cities/:cityCode/output-growth',
    {
      config: { policy: policies.cityOutputGrowthRead },
      schema: {
        tags,
        summary: '某市各年度的年总产值平均增长率（指标 23 的比较基准）',
        params: cityCodeParamsSchema,
        response: { 200: cityOutputGrowthListSchema, ...errorResponses },
      },
    },
    (request) => listCityOutputGrowth(context, requireActor(request), request.params.cityCode),
  );

  app.put(
    '/cities/:cityCode/output-growth/:year',
    {
      config: { policy: policies.cityOutputGrowthWrite },
      schema: {
        tags,
        summary: '录入或更正某年的市年总产值平均增长率及数据来源（立即作用于该市所有e镇）',
        params: cityYearParamsSchema,
        body: cityOutputGrowthBodySchema,
        response: { 200: cityOutputGrowthEntrySchema, ...errorResponses },
      },
    },
    (request) =>
      putCityOutputGrowth(
        context,
        requireActor(request),
        request.params.cityCode,
        request.params.year,
        request.body,
      ),
  );

  app.delete(
    '/cities/:cityCode/output-growth/:year',
    {
      config: { policy: policies.cityOutputGrowthWrite },
      schema: {
        tags,
        summary: '删除某年的市年总产值平均增长率（指标 23 回到待定）',
        params: cityYearParamsSchema,
        response: { 200: cityOutputGrowthListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await deleteCityOutputGrowth(context, actor, request.params.cityCode, request.params.year);
      return listCityOutputGrowth(context, actor, request.params.cityCode);
    },
  );
};
