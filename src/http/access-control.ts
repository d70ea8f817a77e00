import type { FastifyInstance, FastifyRequest } from 'fastify';
import { roleMayUse } from '../access/policies.ts';
import type { Actor } from '../access/scope.ts';
import { loadSessionActor, SESSION_COOKIE } from '../modules/accounts/session.service.ts';
import { recordAuditAlone } from '../modules/audit/audit.service.ts';
import type { AppContext } from './context.ts';
import { AppError, forbidden, unauthenticated } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/** The caller, or 401: for handlers behind a non-public policy. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/**
 * Loads the session on every request and enforces the route's declared policy as the request arrives:
 * before its body is read, so a caller without the right cannot make the server receive an upload.
 */
export function registerAccessControl(app: FastifyInstance, context: AppContext) {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    // Unknown URLs reach the not-found handler, which only answers 404.
    if (request.is404) return;
    const policy = request.routeOptions.config.policy;
    if (!policy) throw new AppError(500, 'internal_error', '接口未声明访问策略');
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.actor = await loadSessionActor(context, token, request.ip);
    if (policy.access === 'public') return;
    const actor = request.actor;
    if (!actor) throw unauthenticated();
    if (!policy.allowPendingSetup) {
      if (actor.mustChangePassword) {
        throw new AppError(403, 'password_change_required', '首次登录或密码已重置，请先修改密码');
      }
      if (actor.totpEnrollmentRequired) {
        throw new AppError(403, 'totp_enrollment_required', '管理员账号须先绑定动态口令（TOTP）');
      }
    }
    if (!roleMayUse(policy, actor.role)) throw forbidden();
  });

  // A refused or failed write is audited too (its own transaction: the write itself was rolled back),
  // before the answer leaves, so the record exists once the caller has seen the refusal.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || ['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return payload;
    if (!request.actor || request.is404 || request.routeOptions.config.policy?.name === 'login')
      return payload;
    try {
      await recordAuditAlone(context.database.db, request.actor, {
        action: `${request.method} ${request.routeOptions.url}`,
        targetType: 'request',
        targetId: request.url.split('?')[0],
        diff: { status: reply.statusCode },
        result: reply.statusCode === 403 || reply.statusCode === 404 ? 'denied' : 'failure',
      });
    } catch (error) {
      request.log.error({ err: error }, 'could not audit a refused request');
    }
    return payload;
  });
}
