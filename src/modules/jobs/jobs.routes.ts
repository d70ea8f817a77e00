import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { contentDisposition } from '../../lib/attachments.ts';
import { jobSchema } from './jobs.schemas.ts';
import { getJob, listJobs, readJobFile } from './jobs.service.ts';

export { jobSchema };

const idParams = z.object({ id: z.uuid('任务编号格式不正确') });

/** 下载中心: the user's own background jobs, their progress and their result or error-receipt files. */
export const jobRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['后台任务'];

  app.get(
    '/jobs',
    {
      config: { policy: policies.jobsOwn },
      schema: {
        tags,
        summary: '下载中心：本人提交的后台任务（最近 50 个），含进度、结果和错误回执',
        response: { 200: z.object({ items: z.array(jobSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await listJobs(context, requireActor(request)) }),
  );

  app.get(
    '/jobs/:id',
    {
      config: { policy: policies.jobsOwn },
      schema: {
        tags,
        summary: '一个后台任务的进度和结果（只能查看本人的任务）',
        params: idParams,
        response: { 200: jobSchema, ...errorResponses },
      },
    },
    (request) => getJob(context, requireActor(request), request.params.id),
  );

  app.get(
    '/jobs/:id/file',
    {
      config: { policy: policies.jobsOwn },
      schema: { tags, summary: '下载任务的结果文件或错误回执', params: idParams },
    },
    async (request, reply) => {
      const file = await readJobFile(context, requireActor(request), request.params.id);
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.fileName))
        .send(file.bytes);
    },
  );
};
