import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorBodySchema, errorResponses } from '../../http/schemas.ts';
import {
  acceptRawUploads,
  contentDisposition,
  MAX_DOCUMENT_BYTES,
  sendAttachment,
  uploadedBytes,
} from '../../lib/attachments.ts';
import {
  addFundApplicationFile,
  approveFundApplication,
  getApplicationDetail,
  listFundApplications,
  readFundApplicationFile,
  refuseFundApplication,
  settleFundApplication,
  submitFundApplication,
  updateFundApplication,
} from './fund-applications.service.ts';
import { allocateBudget, getBudgetOverview } from './fund-budgets.service.ts';
import { readCountyFundSettings, writeCountyFundSettings } from './fund-county-settings.ts';
import {
  approveDisbursementRequest,
  disburseFundApplication,
  listDisbursementRequests,
  requestDisbursement,
  returnDisbursementRequest,
} from './fund-disbursements.service.ts';
import { createFundPolicy, listFundPolicies, updateFundPolicy } from './fund-policies.service.ts';
import { getDisclosure, getUsageReport } from './fund-reports.service.ts';
import {
  disclosureFileName,
  usageFileName,
  writeDisclosureWorkbook,
  writeUsageWorkbook,
} from './fund-reports-xlsx.ts';
import { readFundSettings, writeFundSettings } from './fund-settings.ts';
import {
  allocationBodySchema,
  allocationSchema,
  applicationBodySchema,
  applicationDetailSchema,
  applicationFileSchema,
  applicationListSchema,
  approveBodySchema,
  approveDisbursementBodySchema,
  budgetOverviewSchema,
  countyFundSettingsBodySchema,
  countyFundSettingsSchema,
  countyParams,
  disburseBodySchema,
  disbursementRequestBodySchema,
  disbursementRequestListItemSchema,
  disbursementRequestParams,
  disbursementSchema,
  disclosureQuerySchema,
  disclosureSchema,
  fundPolicyBodySchema,
  fundPolicySchema,
  fundSettingsBodySchema,
  fundSettingsSchema,
  listApplicationsQuerySchema,
  listDisbursementRequestsQuerySchema,
  listFundPoliciesQuerySchema,
  reasonBodySchema,
  regionQuerySchema,
  settleBodySchema,
  updateApplicationBodySchema,
  updateFundPolicyBodySchema,
  usageQuerySchema,
  usageReportSchema,
} from './funds.schemas.ts';
import { runIdempotentWrite } from './idempotency.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const idParams = z.object({ id: z.uuid('编号格式不正确') });
/** Every write answers these too: 422 when an Idempotency-Key is reused for a different request. */
const writeErrors = { ...errorResponses, 422: errorBodySchema };
const idempotencyHeader = z.object({
  'idempotency-key': z.string().optional().describe('幂等键：重试同一操作时带相同的值，不会重复执行'),
});

const sendWorkbook = (reply: FastifyReply, bytes: Buffer, asciiName: string, fileName: string) =>
  reply
    .header('Content-Type', XLSX_TYPE)
    .header('Content-Disposition', contentDisposition(fileName, { asciiFallback: asciiName }))
    .send(bytes);

/** 资金管理: policies, budgets, applications with review, instalments and settlement, reports. */
export const fundRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['资金管理'];

  acceptRawUploads(app, MAX_DOCUMENT_BYTES);

  // ---- settings ----

  app.get(
    '/funds/settings',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金设置（每个e镇省级补助上限）',
        response: { 200: fundSettingsSchema, ...errorResponses },
      },
    },
    () => readFundSettings(context),
  );

  app.put(
    '/funds/settings',
    {
      config: { policy: policies.fundsSettings },
      schema: {
        tags,
        summary: '修改每个e镇省级补助上限（默认 2000 万元）',
        headers: idempotencyHeader,
        body: fundSettingsBodySchema,
        response: { 200: fundSettingsSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        writeFundSettings(tx, actor, request.body.provincialCapPerEtownFen),
      ),
  );

  app.get(
    '/funds/county-settings/:countyCode',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '本县资金设置（拨付是否需县财政局审批）',
        params: countyParams,
        response: { 200: countyFundSettingsSchema, ...errorResponses },
      },
    },
    (request) => readCountyFundSettings(context, requireActor(request), request.params.countyCode),
  );

  app.put(
    '/funds/county-settings/:countyCode',
    {
      config: { policy: policies.fundsCountySettings },
      schema: {
        tags,
        summary: '设置本县拨付是否需县财政局审批（县级操作员）',
        params: countyParams,
        headers: idempotencyHeader,
        body: countyFundSettingsBodySchema,
        response: { 200: countyFundSettingsSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        writeCountyFundSettings(tx, actor, request.params.countyCode, request.body),
      ),
  );

  // ---- policies ----

  app.get(
    '/funds/policies',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金政策列表（本级及上级发布、适用于本人范围的政策）',
        querystring: listFundPoliciesQuerySchema,
        response: { 200: z.array(fundPolicySchema), ...errorResponses },
      },
    },
    (request) => listFundPolicies(context, requireActor(request), request.query),
  );

  app.post(
    '/funds/policies',
    {
      config: { policy: policies.fundsPolicyWrite },
      schema: {
        tags,
        summary: '发布资金政策（支持方式、标准、上限、发文与有效期）',
        headers: idempotencyHeader,
        body: fundPolicyBodySchema,
        response: { 201: fundPolicySchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        createFundPolicy(tx, actor, request.body),
      ),
  );

  app.put(
    '/funds/policies/:id',
    {
      config: { policy: policies.fundsPolicyWrite },
      schema: {
        tags,
        summary: '修改本级发布的资金政策（须带版本号）',
        params: idParams,
        headers: idempotencyHeader,
        body: updateFundPolicyBodySchema,
        response: { 200: fundPolicySchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        updateFundPolicy(tx, actor, request.params.id, request.body.policy, request.body.version),
      ),
  );

  // ---- budgets ----

  app.get(
    '/funds/budgets',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '各e镇分来源预算：已下达、可用、已核定待拨付、已拨付，省级补助上限与剩余额度',
        querystring: regionQuerySchema,
        response: { 200: budgetOverviewSchema, ...errorResponses },
      },
    },
    (request) => getBudgetOverview(context, requireActor(request), request.query.regionCode),
  );

  app.post(
    '/funds/allocations',
    {
      config: { policy: policies.fundsAllocate },
      schema: {
        tags,
        summary: '下达预算（省级财政由省级、市级由市级、县级与社会资本由县级下达；省级不超过上限）',
        headers: idempotencyHeader,
        body: allocationBodySchema,
        response: { 201: allocationSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        allocateBudget(tx, actor, request.body),
      ),
  );

  // ---- applications ----

  app.get(
    '/funds/applications',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金申请列表（按区划、状态、政策、关键词筛选，分页）',
        querystring: listApplicationsQuerySchema,
        response: { 200: applicationListSchema, ...errorResponses },
      },
    },
    (request) => listFundApplications(context, requireActor(request), request.query),
  );

  app.post(
    '/funds/applications',
    {
      config: { policy: policies.fundsApply },
      schema: {
        tags,
        summary:
          '提交资金申请（企业为本主体，e镇运营主体为本e镇；按比例补助的政策须填写计算基数，申请金额不超过基数 × 比例，按分向下取整，且不超过单项上限）',
        headers: idempotencyHeader,
        body: applicationBodySchema,
        response: { 201: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        submitFundApplication(tx, actor, request.body),
      ),
  );

  app.get(
    '/funds/applications/:id',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '资金申请详情（材料、审核、分期拨付、账户变动）',
        params: idParams,
        response: { 200: applicationDetailSchema, ...errorResponses },
      },
    },
    (request) => getApplicationDetail(context.database.db, requireActor(request), request.params.id),
  );

  app.put(
    '/funds/applications/:id',
    {
      config: { policy: policies.fundsApply },
      schema: {
        tags,
        summary: '修改资金申请（待审核或已退回；已退回的修改后重新提交）',
        params: idParams,
        headers: idempotencyHeader,
        body: updateApplicationBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        updateFundApplication(tx, actor, request.params.id, request.body.application, request.body.version),
      ),
  );

  app.post(
    '/funds/applications/:id/files',
    {
      config: { policy: policies.fundsApply },
      bodyLimit: MAX_DOCUMENT_BYTES,
      schema: {
        tags,
        summary:
          '上传证明材料（请求体为文件本身，Content-Type: application/octet-stream；PDF/图片/Office，≤ 20 MB）',
        params: idParams,
        headers: idempotencyHeader,
        querystring: z.object({ fileName: z.string().trim().min(1, '请提供文件名').max(200) }),
        response: { 201: applicationFileSchema, ...writeErrors },
      },
    },
    (request, reply) => {
      const bytes = uploadedBytes(request);
      return runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        addFundApplicationFile(tx, context, actor, request.params.id, request.query.fileName, bytes),
      );
    },
  );

  app.get(
    '/funds/applications/:id/files/:fileId',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '下载证明材料',
        params: idParams.extend({ fileId: z.uuid('材料编号格式不正确') }),
      },
    },
    async (request, reply) =>
      sendAttachment(
        reply,
        await readFundApplicationFile(
          context,
          requireActor(request),
          request.params.id,
          request.params.fileId,
        ),
      ),
  );

  app.post(
    '/funds/applications/:id/approve',
    {
      config: { policy: policies.fundsReview },
      schema: {
        tags,
        summary:
          '核定资金（须带 Idempotency-Key；金额不超过申请额、政策标准（定额，或计算基数 × 比例）与上限，从e镇预算转入待拨付）',
        params: idParams,
        headers: idempotencyHeader,
        body: approveBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { required: true }, (tx, actor) =>
        approveFundApplication(tx, actor, request.params.id, request.body),
      ),
  );

  for (const [path, outcome, summary] of [
    ['return', 'returned', '退回修改（须说明理由）'],
    ['reject', 'rejected', '不予支持（须说明理由）'],
  ] as const) {
    app.post(
      `/funds/applications/:id/${path}`,
      {
        config: { policy: policies.fundsReview },
        schema: {
          tags,
          summary,
          params: idParams,
          headers: idempotencyHeader,
          body: reasonBodySchema,
          response: { 200: applicationDetailSchema, ...writeErrors },
        },
      },
      (request, reply) =>
        runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
          refuseFundApplication(tx, actor, request.params.id, outcome, request.body.reason),
        ),
    );
  }

  app.post(
    '/funds/applications/:id/disbursements',
    {
      config: { policy: policies.fundsDisburse },
      schema: {
        tags,
        summary:
          '分期拨付（须带 Idempotency-Key；凭证号与拨付日期；不超过核定未拨付余额）。本县设置“拨付需县财政局审批”时答复 409 finance_approval_required，改为提交拨付申请',
        params: idParams,
        headers: idempotencyHeader,
        body: disburseBodySchema,
        response: { 201: disbursementSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { required: true, status: 201 }, (tx, actor) =>
        disburseFundApplication(tx, actor, request.params.id, request.body),
      ),
  );

  app.post(
    '/funds/applications/:id/disbursement-requests',
    {
      config: { policy: policies.fundsDisburse },
      schema: {
        tags,
        summary:
          '提交拨付申请（本县设置“拨付需县财政局审批”时；金额不超过核定未拨付且未在审批中的余额；县财政局批准后拨付）',
        params: idParams,
        headers: idempotencyHeader,
        body: disbursementRequestBodySchema,
        response: { 201: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { status: 201 }, (tx, actor) =>
        requestDisbursement(tx, actor, request.params.id, request.body),
      ),
  );

  app.get(
    '/funds/disbursement-requests',
    {
      config: { policy: policies.fundsRead },
      schema: {
        tags,
        summary: '拨付申请列表（县财政局审批；可按状态、区划筛选）',
        querystring: listDisbursementRequestsQuerySchema,
        response: { 200: z.array(disbursementRequestListItemSchema), ...errorResponses },
      },
    },
    (request) => listDisbursementRequests(context, requireActor(request), request.query),
  );

  app.post(
    '/funds/disbursement-requests/:id/approve',
    {
      config: { policy: policies.fundsDisbursementApprove },
      schema: {
        tags,
        summary: '县财政局批准拨付（须带 Idempotency-Key；按申请金额拨付，拨付日期不早于申请日、不晚于今天）',
        params: disbursementRequestParams,
        headers: idempotencyHeader,
        body: approveDisbursementBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, { required: true }, (tx, actor) =>
        approveDisbursementRequest(tx, actor, request.params.id, request.body),
      ),
  );

  app.post(
    '/funds/disbursement-requests/:id/return',
    {
      config: { policy: policies.fundsDisbursementApprove },
      schema: {
        tags,
        summary: '县财政局退回拨付申请（须说明理由；不拨付）',
        params: disbursementRequestParams,
        headers: idempotencyHeader,
        body: reasonBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        returnDisbursementRequest(tx, actor, request.params.id, request.body.reason),
      ),
  );

  app.post(
    '/funds/applications/:id/settle',
    {
      config: { policy: policies.fundsDisburse },
      schema: {
        tags,
        summary: '结算（未拨付部分退回预算，此后不再拨付）',
        params: idParams,
        headers: idempotencyHeader,
        body: settleBodySchema,
        response: { 200: applicationDetailSchema, ...writeErrors },
      },
    },
    (request, reply) =>
      runIdempotentWrite(context, request, reply, {}, (tx, actor) =>
        settleFundApplication(tx, actor, request.params.id, request.body),
      ),
  );

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
