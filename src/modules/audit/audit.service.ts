import { asc, desc, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Executor } from '../../db/client.ts';
import { auditLog } from '../../db/schema/audit.ts';
import { canonicalJson, sm3Hex } from '../../lib/national-crypto.ts';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_CHAIN_LOCK = 727002;

export type AuditEntry = {
  action: string;
  targetType?: string | undefined;
  targetId?: string | undefined;
  diff?: Record<string, unknown> | undefined;
  result?: 'success' | 'failure' | 'denied';
};

export type AuditActor =
  | Pick<Actor, 'userId' | 'username' | 'role' | 'ip'>
  | { username: string; ip: string };

type ChainedFields = {
  at: Date;
  userId: string | null;
  username: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  diff: Record<string, unknown> | null;
  result: string;
  previousHash: string;
};

export function hashAuditRecord(record: ChainedFields): string {
  return sm3Hex(canonicalJson({ ...record, at: record.at.toISOString() }));
}

/** Appends one record, chained to the previous one; call it inside the transaction of the change itself. */
export async function recordAudit(executor: Executor, actor: AuditActor | null, entry: AuditEntry) {
  await executor.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await executor
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .orderBy(desc(auditLog.id))
    .limit(1);
  const fields: ChainedFields = {
    at: new Date(),
    userId: actor && 'userId' in actor ? actor.userId : null,
    username: actor?.username ?? null,
    role: actor && 'role' in actor ? actor.role : null,
    ip: actor?.ip ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    diff: entry.diff ? (JSON.parse(JSON.stringify(entry.diff)) as Record<string, unknown>) : null,
    result: entry.result ?? 'success',
    previousHash: last?.hash ?? GENESIS_HASH,
  };
  await executor
    .insert(auditLog)
    .values({ ...fields, result: fields.result as 'success', hash: hashAuditRecord(fields) });
}

export type ChainVerification =
  | { ok: true; records: number }
  | { ok: false; records: number; brokenAtId: number; reason: string };

/** Walks the chain in id order in pages; reports the first record whose link or hash does not hold. */
export async function verifyAuditChain(executor: Executor, pageSize = 5000): Promise<ChainVerification> {
  let previousHash = GENESIS_HASH;
  let lastId = 0;
  let count = 0;
  for (;;) {
    const rows = await executor
      .select()
      .from(auditLog)
      .where(sql`${auditLog.id} > ${lastId}`)
      .orderBy(asc(auditLog.id))
      .limit(pageSize);
    if (rows.length === 0) return { ok: true, records: count };
    for (const row of rows) {
      count += 1;
      if (row.previousHash !== previousHash) {
        return { ok: false, records: count, brokenAtId: row.id, reason: '与上一条记录的哈希链接断开' };
      }
      const expected = hashAuditRecord({
        at: row.at,
        userId: row.userId,
        username: row.username,
        role: row.role,
        ip: row.ip,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        diff: row.diff ?? null,
        result: row.result,
        previousHash: row.previousHash,
      });
      if (expected !== row.hash) {
        return { ok: false, records: count, brokenAtId: row.id, reason: '记录内容与其哈希不符（已被篡改）' };
      }
      previousHash = row.hash;
      lastId = row.id;
    }
  }
}

/** Field-level before/after difference for the audit record of an update. */
export function diffObjects(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
      changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
    }
  }
  return changes;
}
