import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { monthlyStatuses } from '../../db/schema/stats.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { sendKept } from '../../http/kept-reply.ts';
import {
  errorResponses,
  expectedVersionSchema,
  pageQueryFields,
  recordVersionSchema,
  regionCodeSchema,
} from '../../http/schemas.ts';
import {
  listMonthlyReports,
  reopenMonthlyReport,
  reportingProgress,
  reviewMonthlyReport,
  saveMonthlyReport,
  submitMonthlyReport,
} from './monthly-report.service.ts';
import { monthlyRulesBodySchema, monthlyRulesWithChangeSchema } from './stats-settings.schemas.ts';
import { readMonthlyRulesWithChange, saveMonthlyRules } from './stats-settings.service.ts';

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
  .refine((month) => month >= '2020-01', '月份不早于 2020-01');
const params = z.object({ entityId: z.uuid('市场主体编号格式不正确'), month: monthSchema });
const money = z.string().trim().max(20).nullable();
const count = z.number().int('须为整数').min(0, '不能为负数').nullable();

const reportSchema = z.object({
  id: z.string(),
  version: recordVersionSchema,
  entity: z.object({ id: z.string(), name: z.string(), creditCode: z.string(), etownCode: z.string() }),
  month: z.string(),
  status: z.enum(monthlyStatuses),
  source: z.string(),
  values: z.object({
    outputYuan: z.string().nullable(),
    onlineRetailYuan: z.string().nullable(),
    crossBorderYuan: z.string().nullable(),
    orders: z.number().nullable(),
    employees: z.number().nullable(),
    ecommerceEmployees: z.number().nullable(),
  }),
  outlierExplanation: z.string().nullable(),
  outliers: z.array(
    z.object({
      field: z.string(),
      label: z.string(),
      previous: z.string(),
      current: z.string(),
      changePct: z.number(),
      thresholdPct: z.number(),
    }),
  ),
  warnings: z.array(z.string()),
  deadline: z.string(),
  submittedAt: z.string().nullable(),
  late: z.boolean(),
  reviewedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  reopenCount: z.number(),
});

const progressSchema = z.object({
  month: z.string(),
  deadline: z.string(),
  regions: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      level: z.enum(['county', 'etown']),
      entities: z.number(),
      reported: z.number(),
      onTime: z.number(),
      completenessPct: z.number(),
      timelinessPct: z.number(),
    }),
  ),
  missing: z.array(
    z.object({
      entityId: z.string(),
      name: z.string(),
      creditCode: z.string(),
      etownCode: z.string(),
      etownName: z.string(),
    }),
  ),
  /** Everyone who has not reported; `missing` holds the first 1,000 of them. */
  missingTotal: z.number().int(),
});

type RouteOptions = { context: AppContext };

const tags = ['月度统计'];

/** Reading, filling in and submitting reports, and the reporting progress. */
const registerReportingRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/stats/monthly',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary: '某月的月度统计填报（企业只见本企业；县级见本县；按区划、状态筛选，分页）',
        querystring: z.object({
          month: monthSchema,
          regionCode: regionCodeSchema.optional(),
          status: z.enum(monthlyStatuses, '状态须为 draft、submitted、approved 或 returned').optional(),
          ...pageQueryFields,
        }),
        response: {
          200: z.object({
            items: z.array(reportSchema),
            total: z.number().int(),
            page: z.number().int(),
            pageSize: z.number().int(),
          }),
          ...errorResponses,
        },
      },
    },
    (request) => listMonthlyReports(context, requireActor(request), request.query),
  );

  app.get(
    '/stats/monthly/progress',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary: '填报进度：各县、各e镇的完整率与及时率，以及尚未填报的市场主体（催报名单）',
        querystring: z.object({ month: monthSchema, regionCode: regionCodeSchema.optional() }),
        response: { 200: progressSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendKept(request, reply, await reportingProgress(context, requireActor(request), request.query)),
  );

  app.put(
    '/stats/monthly/:entityId/:month',
    {
      config: { policy: policies.statsReport },
      schema: {
        tags,
        summary: '填写或修改一个市场主体某月的统计数据（金额单位：元，最多两位小数）',
        params,
        body: z.object({
          outputYuan: money,
          onlineRetailYuan: money,
          crossBorderYuan: money,
          orders: count,
          employees: count,
          ecommerceEmployees: count,
          outlierExplanation: z.string().trim().max(500, '异常说明不超过 500 字').nullable().optional(),
          /** The version loaded; absent (or null) when no report of the month was loaded. */
          version: expectedVersionSchema.nullable().optional(),
        }),
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    (request) =>
      saveMonthlyReport(
        context,
        requireActor(request),
        request.params.entityId,
        request.params.month,
        request.body,
      ),
  );

  app.post(
    '/stats/monthly/:entityId/:month/submit',
    {
      config: { policy: policies.statsReport },
      schema: {
        tags,
        summary: '提交县级审核（较上月异常波动须先填写说明）',
        params,
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    (request) =>
      submitMonthlyReport(context, requireActor(request), request.params.entityId, request.params.month),
  );
};

/** 县级审核 and reopening locked reports. */
const registerReviewRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/stats/monthly/:entityId/:month/review',
    {
      config: { policy: policies.statsReview },
      schema: {
        tags,
        summary: '县级审核：通过（数据锁定）或退回（须说明原因）',
        params,
        body: z.object({ approve: z.boolean(), reason: z.string().trim().max(500).nullable().optional() }),
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    (request) =>
      reviewMonthlyReport(
        context,
        requireActor(request),
        request.params.entityId,
        request.params.month,
        request.body,
      ),
  );

  app.post(
    '/stats/monthly/:entityId/:month/reopen',
    {
      config: { policy: policies.statsReview },
      schema: {
        tags,
        summary: '重新打开已锁定的数据以便更正（计数并审计）',
        params,
        body: z.object({ reason: z.string().trim().min(1, '请说明重新打开的原因').max(500) }),
        response: { 200: reportSchema, ...errorResponses },
      },
    },
    (request) =>
      reopenMonthlyReport(
        context,
        requireActor(request),
        request.params.entityId,
        request.params.month,
        request.body.reason,
      ),
  );
};

/** The province's validation rules. */
const registerRulesRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/stats/rules',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary: '月度统计校验规则（必填、环比异常阈值、截止日），及最近一次修改人和时间',
        response: { 200: monthlyRulesWithChangeSchema, ...errorResponses },
      },
    },
    () => readMonthlyRulesWithChange(context.database.db),
  );

  app.put(
    '/stats/rules',
    {
      config: { policy: policies.statsSettings },
      schema: {
        tags,
        summary: '设置月度统计校验规则',
        body: monthlyRulesBodySchema,
        response: { 200: monthlyRulesWithChangeSchema, ...errorResponses },
      },
    },
    (request) => saveMonthlyRules(context, requireActor(request), request.body),
  );
};

/** Monthly reporting (填报 → 提交 → 县级审核), its progress, and the province's validation rules. */
export const monthlyReportRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerReportingRoutes(app, options);
  await registerReviewRoutes(app, options);
  await registerRulesRoutes(app, options);
};
