import { rm } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import type { Actor } from '../../access/scope.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { acceptFileUploads, type Upload, uploadOf } from '../../http/file-upload.ts';
import { errorResponses, etownCodeSchema } from '../../http/schemas.ts';
import { contentDisposition } from '../../lib/attachments.ts';
import { monthlyWorkbookLimits } from '../../lib/spreadsheet-limits.ts';
import { checkXlsxZip } from '../../lib/zip-directory.ts';
import { jobSchema } from '../jobs/jobs.routes.ts';
import { JobFailure, type JobOutcome, startJob } from '../jobs/jobs.service.ts';
import { requireVisibleRegion } from '../regions/regions.service.ts';
import {
  importTrainees,
  TraineeImportRejected,
  traineeTemplateCsv,
  traineeTemplateXlsx,
  writeTraineeImportReceipt,
} from './trainee-import.ts';

const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** 10⁵ trainees of CSV are about 10 MB. */
const MAX_TRAINEE_UPLOAD_BYTES = 50 * 1024 * 1024;
const tags = ['人才培训'];

/** The import as a background job: all or nothing; problems (or the rows skipped) come back as a receipt. */
function startTraineeImport(
  context: AppContext,
  actor: Actor,
  fileName: string,
  etownCode: string,
  upload: Upload,
) {
  const base = fileName.replace(/\.[^.]+$/, '');
  const receipt = (bytes: Buffer, prefix: string) => ({
    bytes,
    fileName: `${prefix}-${base}.xlsx`,
    mediaType: XLSX_MEDIA_TYPE,
  });
  return startJob(
    context,
    actor,
    { kind: 'talent.trainees.import', title: `导入学员名单（${fileName}）`, regionCode: etownCode },
    async (reporter) => {
      try {
        let outcome: JobOutcome = {};
        await importTrainees(context, actor, { path: upload.path, fileName }, etownCode, {
          onProgress: (done, total, stage) => reporter.progress(done, total, stage),
          // The job's outcome commits with the rows it describes.
          beforeCommit: async (executor, { summary, warnings }) => {
            outcome =
              warnings.length === 0
                ? { summary }
                : {
                    summary: { ...summary, warnings: warnings.slice(0, 200) },
                    file: receipt(await writeTraineeImportReceipt(fileName, [], 0, warnings), '导入提示'),
                  };
            await reporter.succeedIn(executor, outcome);
          },
        });
        return outcome;
      } catch (error) {
        if (!(error instanceof TraineeImportRejected)) throw error;
        throw new JobFailure('trainee_import_rejected', error.message, {
          summary: { problemCount: error.problemCount, problems: error.problems.slice(0, 200) },
          file: receipt(
            await writeTraineeImportReceipt(fileName, error.problems, error.problemCount, []),
            '错误回执',
          ),
        });
      } finally {
        await rm(upload.path, { force: true });
      }
    },
  );
}

/** 学员名单导入: the templates, and the upload that runs as a background job. */
export const traineeImportRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  acceptFileUploads(app, MAX_TRAINEE_UPLOAD_BYTES);

  app.get(
    '/trainees/template.:format',
    {
      config: { policy: policies.traineesRead },
      schema: {
        tags,
        summary: '下载学员名单导入模板（XLSX 含填表说明；CSV 为 UTF-8 带 BOM）',
        params: z.object({ format: z.enum(['xlsx', 'csv'], { error: '格式须为 xlsx 或 csv' }) }),
      },
    },
    async (request, reply) => {
      const csv = request.params.format === 'csv';
      return reply
        .header('content-type', csv ? 'text/csv; charset=utf-8' : XLSX_MEDIA_TYPE)
        .header('content-disposition', contentDisposition(`学员名单导入模板.${request.params.format}`))
        .send(csv ? traineeTemplateCsv() : await traineeTemplateXlsx());
    },
  );

  app.post(
    '/trainees/import',
    {
      config: { policy: policies.traineesWrite },
      bodyLimit: MAX_TRAINEE_UPLOAD_BYTES,
      schema: {
        tags,
        summary:
          '上传学员名单并在后台导入到一个e镇（请求体为文件本身，Content-Type: application/octet-stream；CSV 或 XLSX）。按身份证号去重：已建档的跳过；全部成功或全部不写入，有误时生成错误回执。',
        querystring: z.object({
          etownCode: etownCodeSchema,
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
      const actor = requireActor(request);
      await requireVisibleRegion(context.database.db, actor, request.query.etownCode, 'etown');
      if (/\.xlsx$/i.test(request.query.fileName)) await checkXlsxZip(upload.path, monthlyWorkbookLimits);
      const job = await startTraineeImport(
        context,
        actor,
        request.query.fileName,
        request.query.etownCode,
        upload,
      );
      upload.claimed = true;
      return reply.status(202).send(job);
    },
  );
};
