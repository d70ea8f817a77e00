import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The body types a page of another site can send without the browser asking this server first (CORS
 * "simple" requests). The API never takes them: it reads JSON, and uploads arrive as octet-streams.
 */
const CROSS_SITE_BODY_TYPES = new Set([
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
]);

const csrfRejected = (why: string) =>
  new AppError(403, 'csrf_rejected', `请求被拒绝：${why}。请从本系统页面操作`);

function mediaType(request: FastifyRequest): string | undefined {
  return request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

/** The origins this server answers as: its own Host header, and the public address when configured. */
function isOwnOrigin(origin: string, request: FastifyRequest, config: Config): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, privacy redirects) and anything unparsable
  }
  if (parsed.origin === new URL(config.publicUrl).origin) return true;
  return request.headers.host !== undefined && parsed.host === request.headers.host;
}

/** The public QR sign-in page's own form (`POST /s/<code>`), which a phone posts without JavaScript. */
const SIGN_IN_FORM_PATH = /^\/s\/[^/?]+(\?.*)?$/;

/**
 * A form post to the public sign-in page that the browser says comes from this very site: Sec-Fetch-Site
 * `same-origin`, or (older browsers) an Origin of this server. Without either it stays refused.
 */
function isSameOriginSignInForm(request: FastifyRequest, config: Config): boolean {
  if (request.method !== 'POST' || !SIGN_IN_FORM_PATH.test(request.url)) return false;
  if (request.headers['sec-fetch-site'] === 'same-origin') return true;
  const origin = request.headers.origin;
  return origin !== undefined && isOwnOrigin(origin, request, config);
}

/**
 * Cross-site request forgery defence beyond SameSite cookies (SECURITY.md): a state-changing request is
 * refused with 403 `csrf_rejected` when the browser says it comes from another site (Sec-Fetch-Site), when
 * its Origin is not this server, or when its body has a type another site's form or `fetch` could send
 * without a CORS preflight (except the public sign-in page's own form, see isSameOriginSignInForm). Programs outside a browser send neither header and pass on the body-type rule.
 * Runs first, before the session is read, so a forged login cannot even count towards a lockout.
 */
export function registerCsrfDefence(app: FastifyInstance, config: Config) {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw csrfRejected('请求来自其他网站');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isOwnOrigin(origin, request, config)) {
      throw csrfRejected('请求来源与本系统地址不符');
    }
    const type = mediaType(request);
    if (type === 'application/x-www-form-urlencoded' && isSameOriginSignInForm(request, config)) return;
    if (type !== undefined && CROSS_SITE_BODY_TYPES.has(type)) {
      throw csrfRejected('请求内容须为 JSON');
    }
  });
}

// A NUL character, or half of a UTF-16 surrogate pair: PostgreSQL cannot store the first and text encoders
// mangle the second, so neither may enter through any field.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const FORBIDDEN_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (key or value) holding a forbidden character, e.g. `body.members.2.name`. */
export function findForbiddenText(value: unknown, path: string): string | null {
  if (typeof value === 'string') return FORBIDDEN_TEXT.test(value) ? path : null;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const found = findForbiddenText(value[index], `${path}.${index}`);
      if (found) return found;
    }
    return null;
  }
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return null; // a streamed upload
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN_TEXT.test(key)) return `${path}.${key.replace(FORBIDDEN_TEXT, '?')}`;
    const found = findForbiddenText(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

export const invalidCharacters = (path: string) =>
  new AppError(
    400,
    'invalid_characters',
    `请求参数有误：${path} 含有不允许的字符（空字符或不完整的 Unicode 字符）`,
    [{ path, message: '含有不允许的字符（空字符或不完整的 Unicode 字符）' }],
  );

/**
 * Refuses NUL characters and lone surrogates in the path, query and JSON body with 400
 * `invalid_characters` naming the field, before any schema or handler sees them.
 */
export function registerTextGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const found =
      findForbiddenText(request.params, 'params') ??
      findForbiddenText(request.query, 'querystring') ??
      findForbiddenText(request.body, 'body');
    if (found) throw invalidCharacters(found);
  });
}

/**
 * What the web app may load: its own scripts only, antd's runtime styles, images from itself and data:
 * URLs (QR codes, charts exported as images), no framing, no plugins. The API docs page (/docs) keeps the
 * policy its own plugin sets.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Headers on every answer: no sniffing, framing or cross-site referrers; the web app's content policy;
 * private API answers never stored by a browser or proxy (an answer that sets its own caching, such as
 * an attachment, keeps it); HSTS when the server is reached over HTTPS (EZHEN_SECURE_COOKIES=true).
 */
export function registerSecurityHeaders(app: FastifyInstance, config: Config) {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'same-origin');
    if (config.secureCookies) reply.header('Strict-Transport-Security', 'max-age=31536000');
    const pathname = request.url.split('?')[0] ?? '/';
    if (pathname.startsWith('/api/')) {
      if (!reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
    } else if (!pathname.startsWith('/docs') && !reply.hasHeader('Content-Security-Policy')) {
      reply.header('Content-Security-Policy', WEB_APP_CSP);
    }
    return payload;
  });
}
