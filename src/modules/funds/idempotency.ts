import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/scope.ts';
import type { Transaction } from '../../db/client.ts';
import { idempotencyKeys } from '../../db/schema/funds.ts';
import { requireActor } from '../../http/access-control.ts';
import type { AppContext } from '../../http/context.ts';
import { AppError, badRequest } from '../../http/errors.ts';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;

/** What a write answers; stored with the key so a retry gets exactly this again. */
export type WriteResult = { status: number; body: unknown };

type Options = {
  /** Disbursements and approvals move money: they refuse to run without a key. */
  required?: boolean;
  status?: number;
};

function readKey(request: FastifyRequest, required: boolean): string | null {
  const raw = request.headers[IDEMPOTENCY_HEADER];
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (key === undefined || key === '') {
    if (required) {
      throw badRequest('idempotency_key_required', '此操作须带 Idempotency-Key 请求头（每次操作生成一次）');
    }
    return null;
  }
  if (!KEY_PATTERN.test(key)) {
    throw badRequest(
      'idempotency_key_invalid',
      'Idempotency-Key 须为 8—200 位字母、数字或 _ . : -（建议使用 UUID）',
    );
  }
  return key;
}

/** JSON with sorted keys; the validated body may hold bigint fen, written as `123n`. */
function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `"${value}n"`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonical(item)}`).join(',')}}`;
}

/** The request as the client sent it: a file body by its bytes, JSON by its canonical form. */
function requestDigest(request: FastifyRequest): string {
  const hash = createHash('sha256');
  const body = request.body;
  hash.update(canonical({ query: request.query ?? null }));
  if (Buffer.isBuffer(body)) hash.update(body);
  else hash.update(canonical(body ?? null));
  return hash.digest('hex');
}

/**
 * Runs a write in one transaction together with its idempotency key. The key row is inserted first: a
 * concurrent duplicate waits on its primary key until the first commits, then answers the stored response;
 * a crash before commit leaves neither the work nor the key. A failed write stores nothing (it may be retried).
 */
export async function runIdempotentWrite(
  context: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  options: Options,
  work: (tx: Transaction, actor: Actor) => Promise<unknown>,
): Promise<void> {
  const actor = requireActor(request);
  const key = readKey(request, options.required ?? false);
  const status = options.status ?? 200;
  const route = `${request.method} ${request.url.split('?')[0]}`;
  const digest = key ? requestDigest(request) : '';
  const result = await context.database.db.transaction(
    async (tx): Promise<WriteResult & { replayed: boolean }> => {
      if (key) {
        const claimed = await tx
          .insert(idempotencyKeys)
          .values({ userId: actor.userId, key, route, requestSha256: digest, statusCode: 0, response: {} })
          .onConflictDoNothing()
          .returning({ key: idempotencyKeys.key });
        if (claimed.length === 0) {
          const [stored] = await tx
            .select()
            .from(idempotencyKeys)
            .where(and(eq(idempotencyKeys.userId, actor.userId), eq(idempotencyKeys.key, key)));
          if (!stored || stored.route !== route || stored.requestSha256 !== digest) {
            throw new AppError(
              422,
              'idempotency_key_reused',
              '该 Idempotency-Key 已用于另一项操作或不同的内容，请为新的操作生成新的标识',
            );
          }
          return { status: stored.statusCode, body: stored.response, replayed: true };
        }
      }
      const body = await work(tx, actor);
      if (key) {
        await tx
          .update(idempotencyKeys)
          .set({ statusCode: status, response: sql`${JSON.stringify(body ?? null)}::jsonb` })
          .where(and(eq(idempotencyKeys.userId, actor.userId), eq(idempotencyKeys.key, key)));
      }
      return { status, body, replayed: false };
    },
  );
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  // Sent here (the handler resolves empty): the body is the stored one on a replay.
  await reply.status(result.status).send(result.body);
}
