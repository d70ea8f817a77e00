import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import type { Actor } from '../../access/scope.ts';
import { countyTiers } from '../../db/schema/regions.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { badRequest } from '../../http/errors.ts';
import { errorResponses } from '../../http/schemas.ts';
import { LEDGER_FORMAT } from '../../indicators/ledger-schema.ts';
import { contentDisposition } from '../../lib/attachments.ts';
import { ledgerWorkbookLimits } from '../../lib/spreadsheet-limits.ts';
import { checkXlsxZip } from '../../lib/zip-directory.ts';
import { jobSchema } from '../jobs/jobs.routes.ts';
import { JobFailure, type JobOutcome, startJob } from '../jobs/jobs.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import { exportLedger, type LedgerJson } from './ledger-export.ts';
import { isWorkbookFile, readLedgerUpload } from './ledger-file.ts';
import {
  importLedger,
  LedgerImportError,
  type LedgerImportSummary,
  ledgerImportSteps,
} from './ledger-import.ts';
import { writeLedgerImportReceipt, writeLedgerReceipt } from './ledger-receipt.ts';
import type { CellProblem } from './ledger-xlsx.ts';
import { writeLedgerWorkbook } from './ledger-xlsx.ts';
import { etownYearParamsSchema, yearQuerySchema } from './scorecard.schemas.ts';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A ledger of a thousand entities over two years is a few MB; leave room, refuse the absurd. */
export const MAX_LEDGER_UPLOAD_BYTES = 30 * 1024 * 1024;

const attachment = (fileName: string) => contentDisposition(fileName);

/** The `ezhen-ledger/1` JSON value as the export writes it (`LedgerJson`), so the web reads it typed. */
const ledgerJsonSchema = z.object({
  format: z.literal(LEDGER_FORMAT),
  year: z.number(),
  etown: z.object({
    code: z.string(),
    name: z.string(),
    countyCode: z.string(),
    countyTier: z.enum(countyTiers),
    landAreaKm2: z.string().nullable(),
    buildingAreaM2: z.string().nullable(),
    boundary: z.record(z.string(), z.unknown()).nullable(),
    leadingIndustries: z.array(z.string()),
    cityOutputGrowthPct: z.string().nullable(),
  }),
  documents: z.array(
    z.object({ kind: z.string(), title: z.string(), docNo: z.string().nullable(), issuedOn: z.string() }),
  ),
  entities: z.array(
    z.object({
      creditCode: z.string(),
      name: z.string(),
      legalEntity: z.boolean(),
      registeredOn: z.string(),
      tags: z.array(z.string()),
    }),
  ),
  monthlyStats: z.array(
    z.object({
      creditCode: z.string(),
      month: z.string(),
      outputYuan: z.string(),
      onlineRetailYuan: z.string(),
    }),
  ),
  investments: z.array(z.object({ project: z.string(), amountYuan: z.string(), date: z.string() })),
  facilities: z.array(
    z.object({
      kind: z.string(),
      name: z.string(),
      buildingAreaM2: z.string(),
      features: z.array(z.string()),
    }),
  ),
  supplyChains: z.array(z.object({ name: z.string() })),
  pavilions: z.array(z.object({ platform: z.string(), name: z.string(), url: z.string().nullable() })),
  brands: z.array(z.object({ name: z.string(), kind: z.string() })),
  products: z.array(z.object({ name: z.string(), brand: z.string(), online: z.boolean() })),
  events: z.array(z.object({ kind: z.string(), date: z.string(), title: z.string() })),
  mediaChannels: z.array(z.object({ kind: z.string(), name: z.string() })),
  trainings: z.array(
    z.object({ date: z.string(), title: z.string(), crossBorder: z.boolean(), attendance: z.number() }),
  ),
  people: z.array(z.object({ role: z.string(), name: z.string() })),
  complianceIncidents: z.array(
    z.object({ date: z.string(), category: z.string(), description: z.string().nullable() }),
  ),
}) satisfies z.ZodType<LedgerJson>;

const stepStages: Record<(typeof ledgerImportSteps)[number], string> = {
  lists: '正在写入台账清单',
  entities: '正在核对市场主体和月度统计',
  profile: '正在写入e镇面积、边界和主导产业',
};
const TOTAL_STEPS = 2 + ledgerImportSteps.length;

/** The rejected upload's error receipt, as a job failure the download centre offers. */
async function rejection(fileName: string, problems: CellProblem[], warnings: CellProblem[]) {
  const base = fileName.replace(/\.[^.]+$/, '');
  return new JobFailure('ledger_rejected', `台账有 ${problems.length} 处问题，未导入任何数据`, {
    summary: {
      problemCount: problems.length,
      problems: problems.slice(0, 200),
      warnings: warnings.slice(0, 200),
    },
    file: {
      bytes: await writeLedgerReceipt(fileName, problems, warnings),
      fileName: `错误回执-${base}.xlsx`,
      mediaType: XLSX_TYPE,
    },
  });
}

/** Reads, checks and imports an uploaded ledger as a background job (all or nothing). */
async function startLedgerImport(
  context: AppContext,
  actor: Actor,
  etownCode: string,
  fileName: string,
  bytes: Buffer,
) {
  const etown = await requireVisibleRegion(context.database.db, actor, etownCode, 'etown');
  return startJob(
    context,
    actor,
    { kind: 'ledger.import', title: `导入台账：${etown.name}（${fileName}）`, regionCode: etownCode },
    async (reporter) => {
      reporter.progress(0, TOTAL_STEPS, '正在读取和校验文件');
      const read = await readLedgerUpload(bytes, fileName);
      if (!read.ok) throw await rejection(fileName, read.problems, read.warnings);
      reporter.progress(1, TOTAL_STEPS, '正在核对平台数据');
      /** What the job shows once the import is in: counts, refusals, and their receipt. */
      const outcomeOf = async ({ refused, ...rest }: LedgerImportSummary) => ({
        summary: {
          ...rest,
          refusedCount: refused.length,
          refused: refused.slice(0, 200),
          warnings: read.warnings.slice(0, 200),
        },
        // Refused items get a receipt to go through with whoever owns them.
        ...(refused.length > 0
          ? {
              file: {
                bytes: await writeLedgerImportReceipt(fileName, refused),
                fileName: `导入回执-${fileName.replace(/\.[^.]+$/, '')}.xlsx`,
                mediaType: XLSX_TYPE,
              },
            }
          : {}),
      });
      try {
        let outcome: JobOutcome = {};
        await importLedger(context, actor, read.ledger, etownCode, {
          onStep: (step) =>
            reporter.progress(2 + ledgerImportSteps.indexOf(step), TOTAL_STEPS, stepStages[step]),
          // The job's outcome commits with the data it describes.
          beforeCommit: async (tx, written) => {
            reporter.progress(TOTAL_STEPS, TOTAL_STEPS);
            outcome = await outcomeOf(written);
            await reporter.succeedIn(tx, outcome);
          },
        });
        return outcome;
      } catch (error) {
        if (!(error instanceof LedgerImportError)) throw error;
        const located = error.problems.map((problem) => ({ ...problem, sheet: '', row: null, column: null }));
        throw await rejection(fileName, located, read.warnings);
      }
    },
  );
}

/** Ledger files in the web app: template, export, the rows behind a scorecard, and import as a job. */
export const ledgerRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['台账'];

  // The file arrives as the raw request body, its type told by the file name and checked by reading it.
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_LEDGER_UPLOAD_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/ledger/template.xlsx',
    {
      config: { policy: policies.ledgerRead },
      schema: { tags, summary: '下载台账 XLSX 模板（中文表头、可选值下拉、填表说明）' },
    },
    async (_request, reply) =>
      reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', attachment('e镇台账模板.xlsx'))
        .send(await writeLedgerWorkbook(null)),
  );

  app.get(
    '/etowns/:code/ledger',
    {
      config: { policy: policies.ledgerRead },
      schema: {
        tags,
        summary: 'e镇台账数据（ezhen-ledger/1）：指标看板逐项下钻到的明细行',
        params: etownYearParamsSchema,
        querystring: yearQuerySchema,
        response: { 200: ledgerJsonSchema, ...errorResponses },
      },
    },
    async (request) => {
      await requireVisibleRegion(context.database.db, requireActor(request), request.params.code, 'etown');
      return exportLedger(context.database.db, request.params.code, request.query.year);
    },
  );

  app.get(
    '/etowns/:code/ledger.:format',
    {
      config: { policy: policies.ledgerRead },
      schema: {
        tags,
        summary: '导出e镇台账文件（XLSX 或 JSON，可再导入）',
        params: etownYearParamsSchema.extend({
          format: z.enum(['xlsx', 'json'], { error: '格式须为 xlsx 或 json' }),
        }),
        querystring: yearQuerySchema,
      },
    },
    async (request, reply) => {
      const { code, format } = request.params;
      const { year } = request.query;
      const etown = await requireVisibleRegion(context.database.db, requireActor(request), code, 'etown');
      const ledger = await exportLedger(context.database.db, code, year);
      const fileName = `台账-${etown.name}-${year}.${format}`;
      reply.header('content-disposition', attachment(fileName));
      if (format === 'json') {
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .send(`${JSON.stringify(ledger, null, 2)}\n`);
      }
      return reply.header('content-type', XLSX_TYPE).send(await writeLedgerWorkbook(ledger));
    },
  );

  app.post(
    '/etowns/:code/ledger/import',
    {
      config: { policy: policies.ledgerImport },
      bodyLimit: MAX_LEDGER_UPLOAD_BYTES,
      schema: {
        tags,
        summary:
          '上传台账文件并在后台导入（请求体为文件本身，Content-Type: application/octet-stream；XLSX 或 JSON，≤ 30 MB）。写入该e镇自己的台账清单和概况，全部成功或全部不写入；有误时生成错误回执。市场主体及标签、经审核的月度统计、违规事件、领导小组文件和市级增长率属于其他角色，导入不更改，文件与平台不一致之处逐项列为拒绝（结果的 refused，并生成导入回执）。',
        params: etownYearParamsSchema,
        querystring: z.object({
          fileName: z
            .string()
            .trim()
            .min(1, '请提供文件名')
            .max(200, '文件名不超过 200 个字符')
            .regex(/\.(xlsx|json)$/i, '台账文件须为 .xlsx 或 .json（旧版 .xls 请另存为 .xlsx）'),
        }),
        response: { 202: jobSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        throw badRequest('file_required', '请以 application/octet-stream 上传台账文件内容');
      }
      // A zip bomb is refused at once, from the zip's directory, before a job reads it.
      if (isWorkbookFile(request.query.fileName)) await checkXlsxZip(request.body, ledgerWorkbookLimits);
      const job = await startLedgerImport(
        context,
        requireActor(request),
        request.params.code,
        request.query.fileName,
        request.body,
      );
      return reply.status(202).send(job);
    },
  );
};
