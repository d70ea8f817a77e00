import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/scope.ts';
import type { Transaction } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema/funds.ts';
import { requireActor } from './access-control.ts';
import type { AppContext } from './context.ts';
import { AppError, badRequest } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `in-transaction`: the handler runs `runIdempotentWrite` itself (the key commits with the work). */
    idempotency?: 'in-transaction';
  }
  interface FastifyRequest {
    /** The key this request claimed for a creating route, until its answer is stored. */
    idempotencyClaim: { userId: string; key: string } | null;
  }
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;

/** What a write answers; stored with the key so a retry gets exactly this again. */
export type WriteResult = { status: number; body: unknown };

type Options = {
  /** Disbursements and approvals move money: they refuse to run without a key. */
  required?: boolean;
  status?: number;
};

const keyReused = () =>
  new AppError(
    422,
    'idempotency_key_reused',
    '该 Idempotency-Key 已用于另一项操作或不同的内容，请为新的操作生成新的标识',
  );

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
          if (!stored || stored.route !== route || stored.requestSha256 !== digest) throw keyReused();
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

/** A creating route: a POST documented as answering 201 Created. */
function createsRecord(request: FastifyRequest): boolean {
  if (request.method !== 'POST' || request.is404) return false;
  if (request.routeOptions.config.idempotency === 'in-transaction') return false;
  const response = (request.routeOptions.schema as { response?: Record<string, unknown> } | undefined)
    ?.response;
  return response?.[201] !== undefined || response?.['201'] !== undefined;
}

const WAIT_FOR_FIRST_MS = 15_000;

/**
 * Every creating route takes an optional `Idempotency-Key`: the first request with a key claims it, its
 * 2xx answer is stored with it, and a retry (same user, key, route and body) gets that answer again
 * (header `Idempotent-Replayed: true`) instead of a second record. A retry arriving while the first still
 * runs waits for it. A failed answer releases the key, so the request may be retried. Unlike
 * `runIdempotentWrite`, the key is stored after the work's own transaction: a crash between the two can
 * still let a retry create again, which a retry from a double click or a lost answer does not meet.
 */
export function registerIdempotentCreates(app: FastifyInstance, context: AppContext) {
  const { db } = context.database;
  app.decorateRequest('idempotencyClaim', null);

  app.addHook('preHandler', async (request, reply) => {
    if (!createsRecord(request) || !request.actor) return;
    const key = readKey(request, false);
    if (!key) return;
    const userId = request.actor.userId;
    const route = `${request.method} ${request.url.split('?')[0]}`;
    const digest = requestDigest(request);
    const claimed = await db
      .insert(idempotencyKeys)
      .values({ userId, key, route, requestSha256: digest, statusCode: 0, response: {} })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) {
      request.idempotencyClaim = { userId, key };
      return;
    }
    const started = Date.now();
    for (;;) {
      const [stored] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
      // The first request failed and released the key: this one runs in its place.
      if (!stored) return claimAgain(request, reply, { userId, key, route, digest });
      if (stored.route !== route || stored.requestSha256 !== digest) throw keyReused();
      if (stored.statusCode !== 0) {
        return reply.status(stored.statusCode).header('Idempotent-Replayed', 'true').send(stored.response);
      }
      if (Date.now() - started > WAIT_FOR_FIRST_MS) {
        throw new AppError(409, 'idempotency_in_progress', '相同的提交正在处理中，请稍后刷新查看结果');
      }
      await sleep(100);
    }
  });

  async function claimAgain(
    request: FastifyRequest,
    reply: FastifyReply,
    claim: { userId: string; key: string; route: string; digest: string },
  ) {
    const claimed = await db
      .insert(idempotencyKeys)
      .values({
        userId: claim.userId,
        key: claim.key,
        route: claim.route,
        requestSha256: claim.digest,
        statusCode: 0,
        response: {},
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      throw new AppError(409, 'idempotency_in_progress', '相同的提交正在处理中，请稍后刷新查看结果');
    }
    request.idempotencyClaim = { userId: claim.userId, key: claim.key };
    return reply.sent ? reply : undefined;
  }

  // The answer as the handler made it (before serialization and compression) is what a retry gets.
  app.addHook('preSerialization', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim || reply.statusCode >= 300) return payload;
    await db
      .update(idempotencyKeys)
      .set({ statusCode: reply.statusCode, response: sql`${JSON.stringify(payload ?? null)}::jsonb` })
      .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key)));
    request.idempotencyClaim = null;
    return payload;
  });

  // A failure (or an answer that was not JSON) releases the key.
  app.addHook('onResponse', async (request) => {
    const claim = request.idempotencyClaim;
    if (!claim) return;
    request.idempotencyClaim = null;
    await db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.userId, claim.userId),
          eq(idempotencyKeys.key, claim.key),
          eq(idempotencyKeys.statusCode, 0),
        ),
      );
  });
}
