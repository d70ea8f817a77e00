import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses, regionCodeSchema } from '../../http/schemas.ts';
import {
  addMemberBodySchema,
  createGroupBodySchema,
  endMemberBodySchema,
  groupDetailSchema,
  groupSummarySchema,
  replaceMemberBodySchema,
  unitBodySchema,
  updateGroupBodySchema,
  updateUnitBodySchema,
} from './leading-groups.schemas.ts';
import {
  addMember,
  addUnit,
  createGroup,
  deleteGroup,
  endMember,
  getGroup,
  listGroups,
  replaceMember,
  updateGroup,
  updateUnit,
} from './leading-groups.service.ts';

const tags = ['领导小组'];
const groupParams = z.object({ id: z.uuid('领导小组 ID 格式不正确') });
const memberParams = groupParams.extend({ memberId: z.uuid('成员 ID 格式不正确') });
const unitParams = groupParams.extend({ unitId: z.uuid('成员单位 ID 格式不正确') });
const detail = { 200: groupDetailSchema, ...errorResponses };

type RouteOptions = { context: AppContext };

const read = { policy: policies.leadingGroupsRead };
const write = { policy: policies.leadingGroupsWrite };

/** Leading groups themselves: list, read, set up, change, delete. */
const registerGroupRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.get(
    '/leading-groups',
    {
      config: read,
      schema: {
        tags,
        summary: '领导小组列表',
        querystring: z.object({ regionCode: regionCodeSchema.optional() }),
        response: { 200: z.array(groupSummarySchema), ...errorResponses },
      },
    },
    (request) => listGroups(context, requireActor(request), request.query.regionCode),
  );

  app.get(
    '/leading-groups/:id',
    {
      config: read,
      schema: {
        tags,
        summary: '领导小组详情（含成员历史与单位职责）',
        params: groupParams,
        response: detail,
      },
    },
    (request) => getGroup(context, requireActor(request), request.params.id),
  );

  app.post(
    '/leading-groups',
    {
      config: write,
      schema: {
        tags,
        summary: '成立领导小组（县或e镇）',
        body: createGroupBodySchema,
        response: { 201: groupDetailSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createGroup(context, requireActor(request), request.body)),
  );

  app.patch(
    '/leading-groups/:id',
    {
      config: write,
      schema: {
        tags,
        summary: '修改领导小组信息',
        params: groupParams,
        body: updateGroupBodySchema,
        response: detail,
      },
    },
    (request) => updateGroup(context, requireActor(request), request.params.id, request.body),
  );

  app.delete(
    '/leading-groups/:id',
    {
      config: write,
      schema: {
        tags,
        summary: '撤销领导小组（审计日志保留其全部成员与历史）',
        params: groupParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteGroup(context, requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

/** A group's member units and members. */
const registerMembershipRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/leading-groups/:id/units',
    {
      config: write,
      schema: {
        tags,
        summary: '增加成员单位及职责',
        params: groupParams,
        body: unitBodySchema,
        response: detail,
      },
    },
    (request) => addUnit(context, requireActor(request), request.params.id, request.body),
  );

  app.patch(
    '/leading-groups/:id/units/:unitId',
    {
      config: write,
      schema: {
        tags,
        summary: '修改成员单位职责',
        params: unitParams,
        body: updateUnitBodySchema,
        response: detail,
      },
    },
    (request) =>
      updateUnit(context, requireActor(request), request.params.id, request.params.unitId, request.body),
  );

  app.post(
    '/leading-groups/:id/members',
    {
      config: write,
      schema: { tags, summary: '增加成员', params: groupParams, body: addMemberBodySchema, response: detail },
    },
    (request) => addMember(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/leading-groups/:id/members/:memberId/replace',
    {
      config: write,
      schema: {
        tags,
        summary: '成员替补（接任者自行替补、备案，不另行发文；保留历史）',
        params: memberParams,
        body: replaceMemberBodySchema,
        response: detail,
      },
    },
    (request) =>
      replaceMember(context, requireActor(request), request.params.id, request.params.memberId, request.body),
  );

  app.post(
    '/leading-groups/:id/members/:memberId/end',
    {
      config: write,
      schema: {
        tags,
        summary: '成员离任',
        params: memberParams,
        body: endMemberBodySchema,
        response: detail,
      },
    },
    (request) =>
      endMember(context, requireActor(request), request.params.id, request.params.memberId, request.body),
  );
};

export const leadingGroupRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerGroupRoutes(app, options);
  await registerMembershipRoutes(app, options);
};
