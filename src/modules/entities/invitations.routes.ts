import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  acceptedInvitationSchema,
  acceptInvitationBodySchema,
  createdInvitationSchema,
  createInvitationBodySchema,
  invitationSchema,
  invitationTokenParams,
  publicInvitationSchema,
} from './invitations.schemas.ts';
import {
  acceptInvitation,
  createInvitation,
  listInvitations,
  readPublicInvitation,
  revokeInvitation,
} from './invitations.service.ts';

const entityParams = z.object({ id: z.uuid('编号格式不正确') });

/** 企业账号邀请: the county invites, the enterprise opens its account through the one-time link. */
export const invitationRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const tags = ['企业账号邀请'];

  app.get(
    '/entities/:id/invitations',
    {
      config: { policy: policies.entitiesInvitationsRead },
      schema: {
        tags,
        summary: '市场主体的企业账号邀请（待接受、已接受、已撤销、已过期）',
        params: entityParams,
        response: { 200: z.array(invitationSchema), ...errorResponses },
      },
    },
    (request) => listInvitations(context, requireActor(request), request.params.id),
  );

  app.post(
    '/entities/:id/invitations',
    {
      config: { policy: policies.entitiesInvite },
      schema: {
        tags,
        summary: '邀请企业开通账号（返回一次性链接，7 天内有效，仅显示一次）',
        params: entityParams,
        body: createInvitationBodySchema,
        response: { 201: createdInvitationSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createInvitation(context, requireActor(request), request.params.id, request.body)),
  );

  app.post(
    '/entities/:id/invitations/:invitationId/revoke',
    {
      config: { policy: policies.entitiesInvite },
      schema: {
        tags,
        summary: '撤销尚未接受的邀请',
        params: entityParams.extend({ invitationId: z.uuid('编号格式不正确') }),
        response: { 200: invitationSchema, ...errorResponses },
      },
    },
    (request) =>
      revokeInvitation(context, requireActor(request), request.params.id, request.params.invitationId),
  );

  app.get(
    '/invitations/:token',
    {
      config: { policy: policies.public },
      schema: {
        tags,
        summary: '公开：查看邀请（市场主体、e镇、被邀请人、有效期）',
        params: invitationTokenParams,
        response: { 200: publicInvitationSchema, ...errorResponses },
      },
    },
    (request) => readPublicInvitation(context, request.params.token),
  );

  app.post(
    '/invitations/:token/accept',
    {
      config: { policy: policies.public },
      schema: {
        tags,
        summary: '公开：接受邀请，设置用户名和密码，开通企业账号',
        params: invitationTokenParams,
        body: acceptInvitationBodySchema,
        response: { 201: acceptedInvitationSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await acceptInvitation(context, request.params.token, request.body, request.ip)),
  );
};
