import { rm } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import type { Actor } from '../../access/scope.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { acceptFileUploads, type Upload, uploadOf } from '../../http/file-upload.ts';
import { errorResponses } from '../../http/schemas.ts';
import { contentDisposition } from '../../lib/attachments.ts';
import { monthlyWorkbookLimits } from '../../lib/spreadsheet-limits.ts';
import { checkXlsxZip } from '../../lib/zip-directory.ts';
import { jobSchema } from '../jobs/jobs.routes.ts';
import { JobFailure, type JobOutcome, startJob } from '../jobs/jobs.service.ts';
import {
  importMonthlyStatistics,
  MonthlyImportRejected,
  type MonthlyImportResult,
} from './monthly-import.ts';
import {
  MAX_MONTHLY_UPLOAD_BYTES,
  monthlyTemplateCsv,
  monthlyTemplateXlsx,
  writeMonthlyImportReceipt,
  XLSX_MEDIA_TYPE,
} from './monthly-import-files.ts';

const attachment = (fileName: string) => contentDisposition(fileName);

/** The import as a background job: checked and written all or nothing; problems come back as a receipt. */
function startMonthlyImport(context: AppContext, actor: Actor, fileName: string, upload: Upload) {
  const base = fileName.replace(/\.[^.]+$/, '');
  return startJob(
    context,
    actor,
    {
      kind: 'stats.monthly.import',
      title: `导入月度统计（${fileName}）`,
      regionCode: actor.scope.kind === 'region' ? actor.scope.code : null,
    },
    async (reporter) => {
      /** What the job shows once the rows are in: the summary, and a receipt when there are warnings. */
      const outcomeOf = async ({ summary, warnings }: MonthlyImportResult): Promise<JobOutcome> => {
        if (summary.warningCount === 0) return { summary };
        return {
          summary: { ...summary, warnings: warnings.slice(0, 200) },
          file: {
            bytes: await writeMonthlyImportReceipt({
              fileName,
              problems: [],
              problemCount: 0,
              warnings,
              warningCount: summary.warningCount,
            }),
            fileName: `导入提示-${base}.xlsx`,
            mediaType: XLSX_MEDIA_TYPE,
          },
        };
      };
      try {
        let outcome: JobOutcome = {};
        await importMonthlyStatistics(
          context,
          actor,
          { path: upload.path, fileName },
          {
            onProgress: (done, total, stage) => reporter.progress(done, total, stage),
            // The job's outcome commits with the rows it describes.
            beforeCommit: async (executor, result) => {
              outcome = await outcomeOf(result);
              await reporter.succeedIn(executor, outcome);
            },
          },
        );
        return outcome;
      } catch (error) {
        if (!(error instanceof MonthlyImportRejected)) throw error;
        throw new JobFailure('monthly_import_rejected', error.message, {
          summary: {
            problemCount: error.problemCount,
            problems: error.problems.slice(0, 200),
            warningCount: error.warningCount,
            warnings: error.warnings.slice(0, 200),
          },
          file: {
            bytes: await writeMonthlyImportReceipt({ fileName, ...error }),
            fileName: `错误回执-${base}.xlsx`,
            mediaType: XLSX_MEDIA_TYPE,
          },
        });
      } finally {
        await rm(upload.path, { force: true });
      }
    },
  );
}

/** 月度统计批量导入: the templates, and the upload that runs as a background job. */
export const monthlyImportRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const tags = ['月度统计'];

  // The file arrives as the raw request body and goes straight to a temporary file, never whole into memory.
  acceptFileUploads(app, MAX_MONTHLY_UPLOAD_BYTES);

  app.get(
    '/stats/monthly/template.:format',
    {
      config: { policy: policies.statsRead },
      schema: {
        tags,
        summary: '下载月度统计导入模板（XLSX 含填表说明；CSV 为 UTF-8 带 BOM）',
        params: z.object({ format: z.enum(['xlsx', 'csv'], { error: '格式须为 xlsx 或 csv' }) }),
      },
    },
    async (request, reply) => {
      if (request.params.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachment('月度统计导入模板.csv'))
          .send(monthlyTemplateCsv());
      }
      return reply
        .header('content-type', XLSX_MEDIA_TYPE)
        .header('content-disposition', attachment('月度统计导入模板.xlsx'))
        .send(await monthlyTemplateXlsx());
    },
  );

  app.post(
    '/stats/monthly/import',
    {
      config: { policy: policies.statsImport },
      bodyLimit: MAX_MONTHLY_UPLOAD_BYTES,
      schema: {
        tags,
        summary:
          '上传月度统计文件并在后台导入（请求体为文件本身，Content-Type: application/octet-stream；CSV 或 XLSX，≤ 200 MB）。同一市场主体同一月份已有数据的予以替换；全部成功或全部不写入，有误时生成错误回执。',
        querystring: z.object({
          fileName: z
            .string()
            .trim()
            .min(1, '请提供文件名')
            .max(200, '文件名不超过 200 个字符')
            .regex(/\.(csv|xlsx)$/i, '文件须为 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）'),
        }),
        response: { 202: jobSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const upload = uploadOf(request);
      // A zip bomb is refused at once, from the zip's directory, before a job reads it.
      if (/\.xlsx$/i.test(request.query.fileName)) await checkXlsxZip(upload.path, monthlyWorkbookLimits);
      const job = await startMonthlyImport(context, requireActor(request), request.query.fileName, upload);
      upload.claimed = true;
      return reply.status(202).send(job);
    },
  );
};
