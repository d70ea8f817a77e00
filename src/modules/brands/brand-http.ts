import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { badRequest } from '../../http/errors.ts';

export const idParams = z.object({ id: z.uuid('编号格式不正确') });

/** The raw body of an upload route, or 400. */
export function uploadedBytes(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body)) {
    throw badRequest('file_required', '请以 application/octet-stream 上传文件内容');
  }
  return request.body;
}

/** Sends a stored file; `inline` for images shown in the page, otherwise as a download. */
export function sendFile(
  reply: FastifyReply,
  file: { bytes: Buffer; mediaType: string; fileName: string; sha256: string },
  inline = false,
) {
  return reply
    .header('Content-Type', file.mediaType)
    .header(
      'Content-Disposition',
      `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('X-Content-SHA256', file.sha256)
    .header('Cache-Control', 'private, max-age=3600')
    .send(file.bytes);
}
