import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { getDisclosure, getUsageReport } from './fund-reports.service.ts';
import {
  disclosureFileName,
  usageFileName,
  writeDisclosureWorkbook,
  writeUsageWorkbook,
} from './fund-reports-xlsx.ts';
import { sendWorkbook, tags } from './funds.route-support.ts';
import {
  disclosureQuerySchema,
  disclosureSchema,
  usageQuerySchema,
  usageReportSchema,
} from './funds.schemas.ts';

/** 资金使用报表 and 公示. */
export const fundReportRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  // ---- reports ----

  app.get(
    '/funds/reports/usage',
    {
      config: { policy: policies.fundsReports },
      schema: {
        tags,
        summary: '资金使用情况（按e镇、来源、政策或月份汇总下达、核定、拨付、退回）',
        querystring: usageQuerySchema,
        response: { 200: usageReportSchema, ...errorResponses },
      },
    },
    (request) => getUsageReport(context, requireActor(request), request.query),
  );

  app.get(
    '/funds/reports/usage.xlsx',
    {
      config: { policy: policies.fundsReports },
      schema: { tags, summary: '导出资金使用情况（XLSX）', querystring: usageQuerySchema },
    },
    async (request, reply) => {
      const report = await getUsageReport(context, requireActor(request), request.query);
      return sendWorkbook(
        reply,
        await writeUsageWorkbook(report),
        `fund-usage-${report.regionCode}-${report.groupBy}.xlsx`,
        usageFileName(report),
      );
    },
  );

  app.get(
    '/funds/disclosure',
    {
      config: { policy: policies.fundsReports },
      schema: {
        tags,
        summary: '补助对象公示名单（主体名称、信用代码、政策、核定与拨付金额、日期；不含个人信息）',
        querystring: disclosureQuerySchema,
        response: { 200: disclosureSchema, ...errorResponses },
      },
    },
    (request) => getDisclosure(context, requireActor(request), request.query),
  );

  app.get(
    '/funds/disclosure.xlsx',
    {
      config: { policy: policies.fundsReports },
      schema: { tags, summary: '导出补助对象公示名单（XLSX）', querystring: disclosureQuerySchema },
    },
    async (request, reply) => {
      const disclosure = await getDisclosure(context, requireActor(request), request.query);
      return sendWorkbook(
        reply,
        await writeDisclosureWorkbook(disclosure),
        `fund-disclosure-${disclosure.regionCode}.xlsx`,
        disclosureFileName(disclosure),
      );
    },
  );
};
