import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { policies } from '../../access/policies.ts';
import type { AppContext } from '../../http/context.ts';
import { logger } from '../../lib/logger.ts';
import { type PublicSession, type SignInOutcome, sessionOfCode, signInPublicly } from './session-sign-in.ts';
import {
  renderSignInDone,
  renderSignInForm,
  renderSignInNotFound,
  renderSignInTooMany,
  SIGN_IN_PAGE_CSP,
} from './session-sign-in-page.ts';

/** Refused sign-ins (wrong check digit, unknown person) one address may make on one code in a window. */
export const SIGN_IN_FAILURE_LIMIT = 10;
const SIGN_IN_FAILURE_WINDOW_MS = 15 * 60_000;

/**
 * Counts refused attempts per address and code in memory (like a login lockout, but without an account to
 * lock): past the limit the page answers 429 before the ID number is even looked at, so it cannot be used
 * to find out which ID numbers are on file. A trainee who typed wrong a few times is not locked out.
 */
export function signInFailureCounter(limit = SIGN_IN_FAILURE_LIMIT, windowMs = SIGN_IN_FAILURE_WINDOW_MS) {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((at) => now - at < windowMs);
  return {
    blocked(key: string): boolean {
      return recent(key, Date.now()).length >= limit;
    },
    fail(key: string) {
      const now = Date.now();
      if (failures.size > 10_000) {
        for (const [other, times] of failures)
          if (!times.some((at) => now - at < windowMs)) failures.delete(other);
      }
      failures.set(key, [...recent(key, now), now]);
    },
  };
}

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': SIGN_IN_PAGE_CSP,
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
} as const;

const send = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).headers(PAGE_HEADERS).send(body);

function outcomePage(session: PublicSession, outcome: SignInOutcome, name: string): [number, string] {
  switch (outcome.kind) {
    case 'signed_in':
      return [
        200,
        renderSignInDone(session, { tone: 'ok', title: `签到成功：${outcome.name}`, text: '祝您学习顺利。' }),
      ];
    case 'already':
      return [
        200,
        renderSignInDone(session, {
          tone: 'ok',
          title: `已签到：${outcome.name}`,
          text: '您已签到过本场培训，无需重复签到。',
        }),
      ];
    case 'full':
      return [
        409,
        renderSignInForm(session, {
          name,
          notice: { tone: 'warn', title: '本场签到人数已满', text: '请联系培训组织者。' },
        }),
      ];
    case 'unknown':
      return [
        422,
        renderSignInForm(session, {
          name,
          notice: {
            tone: 'bad',
            title: '未找到您的学员档案',
            text: '请核对姓名和身份证号；如无误，请联系培训组织者为您建档后再签到。',
          },
        }),
      ];
    case 'invalid_id':
      return [
        422,
        renderSignInForm(session, {
          name,
          notice: { tone: 'bad', title: '身份证号不正确', text: outcome.message },
        }),
      ];
  }
}

const field = (body: unknown, key: string): string => {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value.trim().slice(0, 60) : '';
};

/**
 * `/s/<code>`: the public page a session's sign-in QR code opens. GET shows the form; the form posts back to
 * the same address (a same-origin form post, the one body type besides JSON the request guards let in, here
 * only). Outside the API, no login.
 */
export const sessionSignInPageRoutes: FastifyPluginAsync<{ context: AppContext }> = async (
  app,
  { context },
) => {
  const failures = signInFailureCounter();
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  const options = { config: { policy: policies.public }, schema: { hide: true }, compress: false as const };

  app.get<{ Params: { code: string } }>('/s/:code', options, async (request, reply) => {
    const session = await sessionOfCode(context, request.params.code);
    if (!session) return send(reply, 404, renderSignInNotFound());
    return send(reply, 200, renderSignInForm(session));
  });

  app.post<{ Params: { code: string } }>('/s/:code', options, async (request, reply) => {
    const key = `${request.ip} ${request.params.code}`;
    if (failures.blocked(key)) return send(reply, 429, renderSignInTooMany());
    const session = await sessionOfCode(context, request.params.code);
    if (!session) {
      failures.fail(key);
      return send(reply, 404, renderSignInNotFound());
    }
    const name = field(request.body, 'name');
    const idNumber = field(request.body, 'idNumber');
    if (!name) {
      const notice = { tone: 'bad' as const, title: '请填写姓名' };
      return send(reply, 422, renderSignInForm(session, { notice }));
    }
    const outcome = await signInPublicly(context, session, { name, idNumber }, request.ip);
    if (outcome.kind === 'unknown' || outcome.kind === 'invalid_id') failures.fail(key);
    else if (outcome.kind === 'signed_in') logger.info({ sessionId: session.id }, '扫码签到');
    const [status, body] = outcomePage(session, outcome, name);
    return send(reply, status, body);
  });
};
