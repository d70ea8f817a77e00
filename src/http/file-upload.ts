import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, badRequest } from './errors.ts';

/** An uploaded file, streamed to a temporary file instead of memory; the job that reads it removes it. */
export type Upload = { path: string; bytes: number; claimed: boolean };

/** Streams the request body to a temporary file, refusing more than `maxBytes`. */
async function receiveUpload(body: NodeJS.ReadableStream, maxBytes: number): Promise<Upload> {
  const upload: Upload = {
    path: path.join(tmpdir(), `ezhen-upload-${randomUUID()}`),
    bytes: 0,
    claimed: false,
  };
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      upload.bytes += chunk.length;
      if (upload.bytes > maxBytes) {
        const megabytes = Math.round(maxBytes / 1024 / 1024);
        callback(new AppError(413, 'payload_too_large', `文件超过 ${megabytes} MB，请拆分后分批导入`));
      } else callback(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(upload.path));
  } catch (error) {
    await rm(upload.path, { force: true });
    throw error;
  }
  return upload;
}

/**
 * Within one route plugin: `application/octet-stream` bodies go straight to a temporary file (never whole
 * into memory), and an upload no handler claimed (a bad query string, a refused request) is removed.
 */
export function acceptFileUploads(app: FastifyInstance, maxBytes: number): void {
  app.addContentTypeParser(
    'application/octet-stream',
    async (_request: unknown, payload: NodeJS.ReadableStream) => receiveUpload(payload, maxBytes),
  );
  app.addHook('onResponse', async (request) => {
    const upload = request.body as Upload | undefined;
    if (upload && typeof upload === 'object' && 'claimed' in upload && !upload.claimed) {
      await rm(upload.path, { force: true });
    }
  });
}

/** The request's uploaded file, or 400 `file_required`. */
export function uploadOf(request: FastifyRequest): Upload {
  const upload = request.body as Upload | undefined;
  if (!upload || typeof upload !== 'object' || !('claimed' in upload) || upload.bytes === 0) {
    throw badRequest('file_required', '请以 application/octet-stream 上传 CSV 或 XLSX 文件内容');
  }
  return upload;
}
