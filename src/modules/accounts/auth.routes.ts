import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { policies } from '../../access/policies.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { errorResponses } from '../../http/schemas.ts';
import { recordAuditAlone } from '../audit/audit.service.ts';
import {
  changePasswordBodySchema,
  loginBodySchema,
  meSchema,
  totpCodeBodySchema,
} from './accounts.schemas.ts';
import {
  changeOwnPassword,
  confirmTotpEnrollment,
  disableOwnTotp,
  login,
  startTotpEnrollment,
} from './auth.service.ts';
import { presentMe } from './me.presenter.ts';
import { deleteSession, SESSION_COOKIE } from './session.service.ts';

const okSchema = z.object({ ok: z.literal(true) });

type RouteOptions = { context: AppContext };

const sessionCookieOptions = (context: AppContext) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: context.config.secureCookies,
  path: '/',
});

/** Signing in and out, the caller's own profile and password. */
const registerSessionRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  const cookieOptions = sessionCookieOptions(context);

  app.post(
    '/auth/login',
    {
      config: { policy: policies.login },
      schema: {
        tags: ['账号'],
        summary: '登录',
        body: loginBodySchema,
        response: { 200: meSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { token, actor } = await login(context, request.body, request.ip, request.headers['user-agent']);
      reply.setCookie(SESSION_COOKIE, token, cookieOptions);
      return presentMe(context, actor);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { policy: policies.public },
      schema: { tags: ['账号'], summary: '退出登录', response: { 200: okSchema } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteSession(context, token);
      if (request.actor) {
        await recordAuditAlone(context.database.db, request.actor, {
          action: 'auth.logout',
          targetType: 'user',
          targetId: request.actor.userId,
        });
      }
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return { ok: true as const };
    },
  );

  app.get(
    '/me',
    {
      config: { policy: policies.session },
      schema: { tags: ['账号'], summary: '当前用户', response: { 200: meSchema, ...errorResponses } },
    },
    (request) => presentMe(context, requireActor(request), { fromSession: true }),
  );

  app.post(
    '/auth/password',
    {
      config: { policy: policies.session },
      schema: {
        tags: ['账号'],
        summary: '修改本人密码（本人的其他会话随即失效）',
        body: changePasswordBodySchema,
        response: { 200: meSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await changeOwnPassword(context, actor, request.body, request.cookies[SESSION_COOKIE]);
      return presentMe(context, { ...actor, mustChangePassword: false });
    },
  );
};

/** Enrolling in and leaving two-factor sign-in (TOTP). */
const registerTotpRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, { context }) => {
  app.post(
    '/auth/totp/setup',
    {
      config: { policy: policies.session },
      schema: {
        tags: ['账号'],
        summary: '生成动态口令（TOTP）密钥与二维码',
        response: {
          200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrCodeDataUrl: z.string() }),
          ...errorResponses,
        },
      },
    },
    (request) => startTotpEnrollment(context, requireActor(request)),
  );

  app.post(
    '/auth/totp/enable',
    {
      config: { policy: policies.session },
      schema: {
        tags: ['账号'],
        summary: '以一次动态口令确认绑定',
        body: totpCodeBodySchema,
        response: { 200: meSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await confirmTotpEnrollment(context, actor, request.body.code);
      return presentMe(context, { ...actor, totpEnrollmentRequired: false });
    },
  );

  app.post(
    '/auth/totp/disable',
    {
      config: { policy: policies.session },
      schema: {
        tags: ['账号'],
        summary: '关闭动态口令（管理员角色不可关闭）',
        body: totpCodeBodySchema,
        response: { 200: meSchema, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      await disableOwnTotp(context, actor, request.body.code);
      return presentMe(context, actor);
    },
  );
};

export const authRoutes: FastifyPluginAsyncZod<RouteOptions> = async (app, options) => {
  await registerSessionRoutes(app, options);
  await registerTotpRoutes(app, options);
};
