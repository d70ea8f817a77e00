import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
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

/** Training sessions (培训场次) and their attendance, from which person-times are counted. */
export const trainingSessionRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (
  app,
  { context },
) => {
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
};
