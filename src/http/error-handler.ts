import path from 'node:path';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from './errors.ts';
import { sendWebIndex, webAppIsBuilt } from './web-app.ts';

/** Errors of the disk under the database or the file store, however deeply a driver wrapped them. */
export function storageFailure(error: unknown): 'disk_full' | 'storage_read_only' | null {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return 'disk_full';
    if (code === 'EROFS') return 'storage_read_only';
    cause = (cause as { cause?: unknown }).cause;
  }
  return null;
}

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

const send = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Every failure leaves as `{ error: { code, message, details? } }`: code for programs, message in Chinese. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setNotFoundHandler(async (request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    // A client-side route of the web app (no file extension, outside /api and the API docs, which answer
    // 404 when EZHEN_API_DOCS=off) gets index.html.
    if (
      (request.method === 'GET' || request.method === 'HEAD') &&
      !pathname.startsWith('/api/') &&
      pathname !== '/docs' &&
      !pathname.startsWith('/docs/') &&
      !path.extname(pathname) &&
      webAppIsBuilt()
    ) {
      return sendWebIndex(reply);
    }
    return reply
      .status(404)
      .send(
        send(
          'not_found',
          `${pathname.startsWith('/api/') ? '接口' : '页面或文件'}不存在：${request.method} ${pathname}`,
        ),
      );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return reply.status(error.status).send(send(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: [error.validationContext ?? 'body', ...issue.instancePath.split('/').filter(Boolean)].join('.'),
        message: issue.message ?? '格式不正确',
      }));
      return reply
        .status(400)
        .send(
          send(
            'validation_failed',
            `请求参数有误：${details.map((d) => `${d.path}（${d.message}）`).join('；')}`,
            details,
          ),
        );
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send(send('internal_error', '服务器内部错误'));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(send('payload_too_large', '请求内容过大'));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return reply.status(415).send(send('unsupported_media_type', '请求内容类型不受支持'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(send('bad_request', `请求有误：${error.message}`));
    }
    const storage = storageFailure(error);
    if (storage) {
      // The log keeps the path and errno for the administrator; the answer says what the person can know.
      request.log.error({ err: error }, storage === 'disk_full' ? 'disk full' : 'storage is read-only');
      return storage === 'disk_full'
        ? reply
            .status(507)
            .send(send('disk_full', '服务器磁盘空间已满，本次操作未保存。请联系系统管理员清理磁盘后重试'))
        : reply
            .status(503)
            .send(send('storage_read_only', '服务器数据目录只读，本次操作未保存。请联系系统管理员'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(send('internal_error', '服务器内部错误，请稍后重试'));
  });
}
