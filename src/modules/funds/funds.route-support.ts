import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorBodySchema, errorResponses } from '../../http/schemas.ts';
import { contentDisposition } from '../../lib/attachments.ts';

/** What the funds routes share: their OpenAPI tag, id params, the idempotency header and write errors. */

export const tags = ['资金管理'];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const idParams = z.object({ id: z.uuid('编号格式不正确') });
/** Every write answers these too: 422 when an Idempotency-Key is reused for a different request. */
export const writeErrors = { ...errorResponses, 422: errorBodySchema };
export const idempotencyHeader = z.object({
  'idempotency-key': z.string().optional().describe('幂等键：重试同一操作时带相同的值，不会重复执行'),
});

export const sendWorkbook = (reply: FastifyReply, bytes: Buffer, asciiName: string, fileName: string) =>
  reply
    .header('Content-Type', XLSX_TYPE)
    .header('Content-Disposition', contentDisposition(fileName, { asciiFallback: asciiName }))
    .send(bytes);
