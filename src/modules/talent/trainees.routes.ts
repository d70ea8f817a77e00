import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  addFollowUpBodySchema,
  createTraineeBodySchema,
  listTraineesQuerySchema,
  revealedTraineeSchema,
  traineeDetailSchema,
  traineeListSchema,
  updateTraineeBodySchema,
} from './trainees.schemas.ts';
import {
  addTraineeFollowUp,
  createTrainee,
  getTrainee,
  listTrainees,
  revealTraineeIdentity,
  updateTrainee,
} from './trainees.service.ts';

const idParams = z.object({ id: z.uuid('编号格式不正确') });
const tags = ['人才培训'];

type RouteOptions = { context: AppContext };

/** Trainee files (一人一档): list, register, read, edit. */
const registerTraineeFileRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/trainees',
    {
      config: { policy: policies.traineesRead },
      schema: {
        tags,
        summary: '学员档案列表（按区划、类别、姓名/村、完整身份证号查询，分页；证件号与电话脱敏）',
        querystring: listTraineesQuerySchema,
        response: { 200: traineeListSchema, ...errorResponses },
      },
    },
    (request) => listTrainees(context, requireActor(request), request.query),
  );

  app.post(
    '/trainees',
    {
      config: { policy: policies.traineesWrite },
      schema: {
        tags,
        summary: '建立学员档案（身份证号须通过 GB 11643 校验，一人一档）',
        body: createTraineeBodySchema,
        response: { 201: traineeDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTrainee(context, requireActor(request), request.body)),
  );

  app.get(
    '/trainees/:id',
    {
      config: { policy: policies.traineesRead },
      schema: {
        tags,
        summary: '学员档案详情（证书、培训后跟踪记录）',
        params: idParams,
        response: { 200: traineeDetailSchema, ...errorResponses },
      },
    },
    (request) => getTrainee(context, requireActor(request), request.params.id),
  );

  app.patch(
    '/trainees/:id',
    {
      config: { policy: policies.traineesWrite },
      schema: {
        tags,
        summary: '修改学员档案（须带版本号；身份证号不可修改）',
        params: idParams,
        body: updateTraineeBodySchema,
        response: { 200: traineeDetailSchema, ...errorResponses },
      },
    },
    (request) => updateTrainee(context, requireActor(request), request.params.id, request.body),
  );
};

/** Follow-up after training and the audited reveal of the ID number and phone. */
const registerTraineeRecordRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/trainees/:id/follow-ups',
    {
      config: { policy: policies.traineesWrite },
      schema: {
        tags,
        summary: '添加培训后跟踪记录（开设网店、被登记主体录用、收入变化）',
        params: idParams,
        body: addFollowUpBodySchema,
        response: { 200: traineeDetailSchema, ...errorResponses },
      },
    },
    (request) => addTraineeFollowUp(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/trainees/:id/identity/reveal',
    {
      config: { policy: policies.traineesRevealIdentity },
      schema: {
        tags,
        summary: '查看完整身份证号与电话（每次查看记入审计日志）',
        params: idParams,
        response: { 200: revealedTraineeSchema, ...errorResponses },
      },
    },
    (request) => revealTraineeIdentity(context, requireActor(request), request.params.id),
  );
};

export const traineeRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerTraineeFileRoutes(app, options);
  await registerTraineeRecordRoutes(app, options);
};
