import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { acceptFileUploads, uploadOf } from '../../http/file-upload.ts';
import { errorResponses } from '../../http/schemas.ts';
import { importSignInList } from './sign-in-import.ts';
import {
  addAttendanceBodySchema,
  attendanceChangeSchema,
  createSessionBodySchema,
  listSessionsQuerySchema,
  sessionDetailSchema,
  sessionListSchema,
} from './training-sessions.schemas.ts';
import {
  createTrainingSession,
  getTrainingSession,
  listTrainingSessions,
  removeAttendance,
  signInByHand,
} from './training-sessions.service.ts';

const idParams = z.object({ id: z.uuid('编号格式不正确') });
const tags = ['人才培训'];
/** A sign-in sheet lists one session's attendees: a few thousand rows at most. */
const MAX_SIGN_IN_UPLOAD_BYTES = 5 * 1024 * 1024;

/** Training sessions (培训场次) and their attendance, from which person-times are counted. */
export const trainingSessionRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
  acceptFileUploads(app, MAX_SIGN_IN_UPLOAD_BYTES);

  app.get(
    '/trainings/sessions',
    {
      config: { policy: policies.trainingsRead },
      schema: {
        tags,
        summary: '培训场次列表（人次按签到记录计数）',
        querystring: listSessionsQuerySchema,
        response: { 200: sessionListSchema, ...errorResponses },
      },
    },
    (request) => listTrainingSessions(context, requireActor(request), request.query),
  );

  app.post(
    '/trainings/sessions',
    {
      config: { policy: policies.trainingsWrite },
      schema: {
        tags,
        summary: '登记培训场次（培训机构须为标记“培训机构”的市场主体）',
        body: createSessionBodySchema,
        response: { 201: sessionDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTrainingSession(context, requireActor(request), request.body)),
  );

  app.get(
    '/trainings/sessions/:id',
    {
      config: { policy: policies.trainingsRead },
      schema: {
        tags,
        summary: '培训场次详情与签到名单（证件号脱敏）',
        params: idParams,
        response: { 200: sessionDetailSchema, ...errorResponses },
      },
    },
    (request) => getTrainingSession(context, requireActor(request), request.params.id),
  );

  app.post(
    '/trainings/sessions/:id/attendance',
    {
      config: { policy: policies.trainingsWrite },
      schema: {
        tags,
        summary: '手工签到（选择学员；每人每场一次，超过容纳人数则整批不签到）',
        params: idParams,
        body: addAttendanceBodySchema,
        response: { 200: attendanceChangeSchema, ...errorResponses },
      },
    },
    (request) => signInByHand(context, requireActor(request), request.params.id, request.body.traineeIds),
  );

  app.delete(
    '/trainings/sessions/:id/attendance/:traineeId',
    {
      config: { policy: policies.trainingsWrite },
      schema: {
        tags,
        summary: '撤销一条签到记录',
        params: idParams.extend({ traineeId: z.uuid('学员编号格式不正确') }),
        response: { 200: sessionDetailSchema, ...errorResponses },
      },
    },
    (request) =>
      removeAttendance(context, requireActor(request), request.params.id, request.params.traineeId),
  );

  app.post(
    '/trainings/sessions/:id/attendance/import',
    {
      config: { policy: policies.trainingsWrite },
      bodyLimit: MAX_SIGN_IN_UPLOAD_BYTES,
      schema: {
        tags,
        summary:
          '导入签到表（请求体为文件本身，Content-Type: application/octet-stream；CSV 或 XLSX，须有「身份证号」列）。每个身份证号须已建档；有任何问题则整表不签到。',
        params: idParams,
        querystring: z.object({
          fileName: z
            .string()
            .trim()
            .min(1, '请提供文件名')
            .max(200, '文件名不超过 200 个字符')
            .regex(/\.(csv|xlsx)$/i, '文件须为 .csv 或 .xlsx（旧版 .xls 请另存为 .xlsx）'),
        }),
        response: { 200: attendanceChangeSchema, ...errorResponses },
      },
    },
    async (request) => {
      // Read in the request: the upload, never claimed, is removed once the answer is sent.
      const upload = uploadOf(request);
      return importSignInList(context, requireActor(request), request.params.id, {
        path: upload.path,
        fileName: request.query.fileName,
      });
    },
  );
};
