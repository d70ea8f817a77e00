import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { sendKept } from '../../http/kept-reply.ts';
import { errorResponses } from '../../http/schemas.ts';
import { contentDisposition } from '../../lib/attachments.ts';
import { annex2FileName, writeAnnex2Workbook } from './annex2-xlsx.ts';
import { drilldownParamsSchema, drilldownQuerySchema, drilldownSchema } from './drilldown.schemas.ts';
import {
  etownYearParamsSchema,
  overviewQuerySchema,
  overviewSchema,
  scorecardSchema,
  yearQuerySchema,
} from './scorecard.schemas.ts';
import { getDrilldown, getEtownEvaluation, getOverview, getScorecard } from './scorecard.service.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Live evaluation from the platform's data: one e-town's scorecard, the overview, the Annex-2 export. */
export const scorecardRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['指标评价'];

  app.get(
    '/etowns/:code/scorecard',
    {
      config: { policy: policies.scorecardsRead },
      schema: {
        tags,
        summary: 'e镇指标看板：28 项约束性指标的实时状态、当前值与目标、较上月末变化，及县级附加指标',
        params: etownYearParamsSchema,
        querystring: yearQuerySchema,
        response: { 200: scorecardSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKept(
        request,
        reply,
        await getScorecard(context, requireActor(request), request.params.code, request.query.year),
      ),
  );

  app.get(
    '/etowns/:code/scorecard/indicators/:no',
    {
      config: { policy: policies.scorecardsRead },
      schema: {
        tags,
        summary:
          'e镇指标明细：一项指标背后引擎计入（及未计入）的台账记录、比较的月度合计与设施核对，可直接展示',
        params: drilldownParamsSchema,
        querystring: drilldownQuerySchema,
        response: { 200: drilldownSchema, ...errorResponses },
      },
    },
    (request) =>
      getDrilldown(
        context,
        requireActor(request),
        request.params.code,
        request.query.year,
        request.params.no,
        request.query.catalog,
      ),
  );

  app.get(
    '/evaluations/overview',
    {
      config: { policy: policies.evaluationsOverview },
      schema: {
        tags,
        summary: '指标总览：可见范围内每个e镇 × 28 项指标的状态及各项达标、未达标、待定数',
        querystring: overviewQuerySchema,
        response: { 200: overviewSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKept(request, reply, await getOverview(context, requireActor(request), request.query)),
  );

  app.get(
    '/etowns/:code/annex2.xlsx',
    {
      config: { policy: policies.scorecardsRead },
      schema: {
        tags,
        summary: '导出附件2约束性指标表（含当前值和达标状态）',
        params: etownYearParamsSchema,
        querystring: yearQuerySchema,
        response: { 200: z.any(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      const { year } = request.query;
      const explained = await getEtownEvaluation(context, requireActor(request), code, year);
      const fileName = annex2FileName(explained.evaluation.etown.name, year);
      return reply
        .header('content-type', XLSX_TYPE)
        .header(
          'content-disposition',
          contentDisposition(fileName, { asciiFallback: `annex2-${code}-${year}.xlsx` }),
        )
        .send(await writeAnnex2Workbook(explained, explained.catalog));
    },
  );
};
