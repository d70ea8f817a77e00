import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { sendKept } from '../../http/kept-reply.ts';
import { errorResponses } from '../../http/schemas.ts';
import { contentDisposition } from '../../lib/attachments.ts';
import {
  aggregateQuerySchema,
  aggregateRowsQuerySchema,
  aggregateRowsSchema,
  monthlyAggregatesSchema,
} from './monthly-aggregate.schemas.ts';
import { aggregateRows, aggregateRowsOfRange, monthlyAggregates } from './monthly-aggregate.service.ts';
import {
  aggregatesFileName,
  MAX_DETAIL_ROWS,
  shanghaiMinute,
  writeAggregatesWorkbook,
} from './monthly-aggregate-xlsx.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** 统计汇总: approved monthly figures by region and month, as JSON, as a workbook, and the rows behind a cell. */
export const monthlyAggregateRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const tags = ['月度统计'];

  app.get(
    '/stats/aggregates',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary:
          '统计汇总：区划本级及其下级逐月的已审核数据，含总产值、网络零售额的环比和同比（默认近 12 个完整月）',
        querystring: aggregateQuerySchema,
        response: { 200: monthlyAggregatesSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKept(request, reply, await monthlyAggregates(context, requireActor(request), request.query)),
  );

  app.get(
    '/stats/aggregates.xlsx',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary: '导出统计汇总（XLSX：汇总表与明细表，仅含已审核数据）',
        querystring: aggregateQuerySchema,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const aggregates = await monthlyAggregates(context, actor, request.query);
      const detail = await aggregateRowsOfRange(context, actor, aggregates, MAX_DETAIL_ROWS);
      const workbook = await writeAggregatesWorkbook(
        aggregates,
        detail,
        shanghaiMinute(new Date().toISOString()),
      );
      const { region, fromMonth, toMonth } = aggregates;
      return reply
        .header('content-type', XLSX_TYPE)
        .header(
          'content-disposition',
          contentDisposition(aggregatesFileName(aggregates), {
            asciiFallback: `aggregates-${region.code}-${fromMonth}-${toMonth}.xlsx`,
          }),
        )
        .send(workbook);
    },
  );

  app.get(
    '/stats/aggregates/rows',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary: '汇总数字背后的已审核月度数据（某区划或某市场主体某月，分页，合计与汇总一致）',
        querystring: aggregateRowsQuerySchema,
        response: { 200: aggregateRowsSchema, ...errorResponses },
      },
    },
    (request) => aggregateRows(context, requireActor(request), request.query),
  );
};
