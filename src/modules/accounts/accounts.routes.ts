import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import {
  createUserBodySchema,
  temporaryPasswordSchema,
  updateUserBodySchema,
  userSchema,
} from './accounts.schemas.ts';
import {
  createUser,
  listExperts,
  listUsers,
  resetPassword,
  resetTotp,
  setUserLocked,
  updateUser,
} from './user.service.ts';

const idParams = z.object({ id: z.uuid('用户 ID 格式不正确') });
const tags = ['用户管理（安全管理员）'];

export const accountRoutes: FastifyPluginAsyncZod<{ context: AppContext }> = async (app, { context }) => {
  const config = { policy: policies.usersManage };

  app.get(
    '/users',
    {
      config,
      schema: { tags, summary: '用户列表', response: { 200: z.array(userSchema), ...errorResponses } },
    },
    () => listUsers(context),
  );

  app.post(
    '/users',
    {
      config,
      schema: {
        tags,
        summary: '创建用户（生成临时密码，首次登录须修改；三员账号只能在服务器上用 ezhen user create 创建）',
        body: createUserBodySchema,
        response: { 201: temporaryPasswordSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createUser(context, requireActor(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/users/:id',
    {
      config,
      schema: {
        tags,
        summary: '修改用户姓名、角色或范围（三员账号的角色不能变更，其他账号也不能改为三员角色）',
        params: idParams,
        body: updateUserBodySchema,
        response: { 200: userSchema, ...errorResponses },
      },
    },
    (request) => updateUser(context, requireActor(request), request.params.id, request.body),
  );

  app.post(
    '/users/:id/reset-password',
    {
      config,
      schema: {
        tags,
        summary: '重置密码（生成临时密码，用户的会话全部失效；三员账号只能在服务器上重置）',
        params: idParams,
        response: { 200: temporaryPasswordSchema, ...errorResponses },
      },
    },
    (request) => resetPassword(context, requireActor(request), request.params.id),
  );

  for (const [suffix, locked, summary] of [
    ['lock', true, '锁定账号'],
    ['unlock', false, '解锁账号（同时解除登录失败锁定）'],
  ] as const) {
    app.post(
      `/users/:id/${suffix}`,
      {
        config,
        schema: { tags, summary, params: idParams, response: { 200: userSchema, ...errorResponses } },
      },
      (request) => setUserLocked(context, requireActor(request), request.params.id, locked),
    );
  }

  app.post(
    '/users/:id/reset-totp',
    {
      config,
      schema: {
        tags,
        summary: '重置动态口令（用户下次登录重新绑定）',
        params: idParams,
        response: { 200: userSchema, ...errorResponses },
      },
    },
    (request) => resetTotp(context, requireActor(request), request.params.id),
  );

  app.get(
    '/experts',
    {
      config: { policy: policies.evaluationsAssignExperts },
      schema: {
        tags: ['评价流程'],
        summary: '可指派的评审专家（省级管理员）',
        response: {
          200: z.array(
            z.object({
              id: z.uuid(),
              username: z.string(),
              displayName: z.string(),
              etownCodes: z.array(z.string()),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    () => listExperts(context),
  );
};
