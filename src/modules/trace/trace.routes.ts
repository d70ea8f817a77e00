import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { contentDisposition } from '../../lib/attachments.ts';
import { jobSchema } from '../jobs/jobs.routes.ts';
import {
  analyticsQuerySchema,
  anomalyQuerySchema,
  generateRunSchema,
  labelRangeSchema,
  MAX_LABELS_PER_SHEET,
  reviewAnomalySchema,
  scanAnomalySchema,
  traceAnalyticsSchema,
  traceBatchSchema,
} from './trace.schemas.ts';
import { listScanAnomalies, reviewScanAnomaly, traceAnalytics, traceBatchView } from './trace.service.ts';
import { exportRunCodesCsv, exportRunLabelSheet } from './trace-code-export.ts';
import { startTraceCodeGeneration } from './trace-generation.ts';
import {
  readTraceRulesView,
  traceRulesBodySchema,
  traceRulesViewSchema,
  writeTraceRules,
} from './trace-rules.ts';

const attachment = (fileName: string) => contentDisposition(fileName);
const batchParams = z.object({ batchId: z.uuid('批次编号格式不正确') });
const runParams = z.object({ runId: z.uuid('赋码批次编号格式不正确') });

type RouteOptions = { context: AppContext };

const tags = ['追溯码与扫码'];

/** A batch's codes: generating runs and downloading them for printing. */
const registerTraceCodeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/trace/batches/:batchId',
    {
      config: { policy: policies.traceRead },
      schema: {
        tags,
        summary: '一个批次的赋码记录、扫码数量、每日扫码和最近首次扫码',
        params: batchParams,
        response: { 200: traceBatchSchema, ...errorResponses },
      },
    },
    (request) => traceBatchView(context, requireActor(request), request.params.batchId),
  );

  app.post(
    '/trace/batches/:batchId/runs',
    {
      config: { policy: policies.traceGenerate },
      schema: {
        tags,
        summary: '为批次生成追溯码（1—1000000 个，后台任务；全部写入或全部不写入）。已召回的批次不能赋码。',
        params: batchParams,
        body: generateRunSchema,
        response: { 202: jobSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const job = await startTraceCodeGeneration(context, requireActor(request), {
        batchId: request.params.batchId,
        count: request.body.count,
      });
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/trace/runs/:runId/codes.csv',
    {
      config: { policy: policies.traceCodesExport },
      schema: {
        tags,
        summary: '下载一次赋码的全部追溯码（CSV，UTF-8 带 BOM，供印刷厂）：追溯码、网址、序号、产品、批次',
        params: runParams,
      },
    },
    async (request, reply) => {
      const file = await exportRunCodesCsv(context, requireActor(request), request.params.runId);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachment(file.fileName))
        .send(file.content);
    },
  );

  app.get(
    '/trace/runs/:runId/labels.pdf',
    {
      config: { policy: policies.traceCodesExport },
      schema: {
        tags,
        summary: `打印追溯码标签（A4 PDF，每页 24 枚，每次最多 ${MAX_LABELS_PER_SHEET} 枚）；from/to 为序号范围，默认从本次赋码的第一个起`,
        params: runParams,
        querystring: labelRangeSchema,
      },
    },
    async (request, reply) => {
      const file = await exportRunLabelSheet(
        context,
        requireActor(request),
        request.params.runId,
        request.query,
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', attachment(file.fileName))
        .send(file.content);
    },
  );
};

/** Scan analytics and the queue of anomalous scans. */
const registerScanMonitoringRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/trace/analytics',
    {
      config: { policy: policies.traceRead },
      schema: {
        tags,
        summary:
          '扫码分析：按产品、批次、日期、地区（无 IP 定位库时为“未知”）和客户端统计扫码；赋码数与扫码率',
        querystring: analyticsQuerySchema,
        response: { 200: traceAnalyticsSchema, ...errorResponses },
      },
    },
    (request) => traceAnalytics(context, requireActor(request), request.query),
  );

  app.get(
    '/trace/anomalies',
    {
      config: { policy: policies.traceRead },
      schema: {
        tags,
        summary: '异常扫码待核查队列（查询次数过多、召回批次被扫码、品牌授权已撤销）',
        querystring: anomalyQuerySchema,
        response: { 200: z.object({ items: z.array(scanAnomalySchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listScanAnomalies(context, requireActor(request), request.query) }),
  );

  app.post(
    '/trace/anomalies/:id/review',
    {
      config: { policy: policies.traceReview },
      schema: {
        tags,
        summary: '核查异常扫码：确认异常（疑似仿冒或召回产品仍在流通）或排除，须填写说明',
        params: z.object({ id: z.uuid('异常记录编号格式不正确') }),
        body: reviewAnomalySchema,
        response: { 200: scanAnomalySchema, ...errorResponses },
      },
    },
    (request) => reviewScanAnomaly(context, requireActor(request), request.params.id, request.body),
  );
};

/** The rules that make a scan anomalous. */
const registerTraceRulesRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/trace/rules',
    {
      config: { policy: policies.traceRead },
      schema: {
        tags,
        summary: '异常扫码规则（一个追溯码被查询超过多少次视为异常）',
        response: { 200: traceRulesViewSchema, ...errorResponses },
      },
    },
    () => readTraceRulesView(context.database.db),
  );

  app.put(
    '/trace/rules',
    {
      config: { policy: policies.traceSettings },
      schema: {
        tags,
        summary: '设置异常扫码规则',
        body: traceRulesBodySchema,
        response: { 200: traceRulesViewSchema, ...errorResponses },
      },
    },
    (request) => writeTraceRules(context, requireActor(request), request.body),
  );
};

/** 追溯码: generation, printing (label sheets, CSV), scans of a batch, analytics and the anomaly queue. */
export const traceRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerTraceCodeRoutes(app, options);
  await registerScanMonitoringRoutes(app, options);
  await registerTraceRulesRoutes(app, options);
};
