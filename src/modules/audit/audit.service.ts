import { asc, sql } from 'drizzle-orm';
import type { Actor } from '../../access/scope.ts';
import type { Database, Executor } from '../../db/client.ts';
import { auditChainHead, auditLog } from '../../db/schema/audit.ts';
import { canonicalJson, sm3Hex } from '../../lib/national-crypto.ts';

export const GENESIS_HASH = '0'.repeat(64);

export type AuditEntry = {
  action: string;
  targetType?: string | undefined;
  targetId?: string | undefined;
  diff?: Record<string, unknown> | undefined;
  result?: 'success' | 'failure' | 'denied';
  /**
   * The region the record concerns: the e-town of an application, incident, evaluation …, or a county.
   * County-scoped readers of the log (县纪委监委) see exactly the records whose region lies in their county.
   * A record about an e-town or region itself (targetType `etown` / `region`) defaults to its target.
   */
  regionCode?: string | null | undefined;
};

const regionTargets = new Set(['etown', 'region']);

/** The region an entry concerns: given, or the target itself when the target is a region. */
function regionOf(entry: AuditEntry): string | null {
  if (entry.regionCode) return entry.regionCode;
  if (entry.targetType && entry.targetId && regionTargets.has(entry.targetType)) return entry.targetId;
  return null;
}

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
  /** Hashed only when present, so records written before regions were recorded verify unchanged. */
  regionCode: string | null;
  result: string;
  previousHash: string;
};

export function hashAuditRecord(record: ChainedFields): string {
  const { regionCode, ...rest } = record;
  const hashed = regionCode === null ? rest : record;
  return sm3Hex(canonicalJson({ ...hashed, at: record.at.toISOString() }));
}

type Head = { hash: string };

async function lockChainHead(executor: Executor): Promise<Head> {
  const select = () =>
    executor.execute(sql`select hash from ${auditChainHead} where id = 1 for update`) as unknown as Promise<{
      rows: Head[];
    }>;
  let [head] = (await select()).rows;
  if (!head) {
    // The very first record: create the head row, then lock it like every later writer does.
    await executor
      .insert(auditChainHead)
      .values({ id: 1, lastId: 0, hash: GENESIS_HASH })
      .onConflictDoNothing();
    [head] = (await select()).rows;
  }
  if (!head) throw new Error('audit chain head missing');
  return head;
}

/**
 * Appends one record, chained to the previous one, inside the transaction of the change itself: the head's
 * row lock is held from reading the head to moving it and released at commit, so two appends at once (two
 * requests, two servers) never chain to the same record. A record that is not part of a change (a login, a
 * download) goes through `recordAuditAlone`.
 */
export function recordAudit(executor: Executor, actor: AuditActor | null, entry: AuditEntry) {
  return appendRecord(executor, actor, entry);
}

/** Appends one record in a transaction of its own: for what is not part of a change (a login, a download). */
export function recordAuditAlone(database: Database, actor: AuditActor | null, entry: AuditEntry) {
  return database.transaction((tx) => appendRecord(tx, actor, entry));
}

async function appendRecord(executor: Executor, actor: AuditActor | null, entry: AuditEntry) {
  const head = await lockChainHead(executor);
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
    regionCode: regionOf(entry),
    result: entry.result ?? 'success',
    previousHash: head.hash,
  };
  const hash = hashAuditRecord(fields);
  // Insert the record and move the head in one statement.
  await executor.execute(sql`with inserted as (
      insert into ${auditLog} (at, user_id, username, role, ip, action, target_type, target_id, diff, region_code, result, previous_hash, hash)
      values (${fields.at.toISOString()}, ${fields.userId}, ${fields.username}, ${fields.role}, ${fields.ip}, ${fields.action},
        ${fields.targetType}, ${fields.targetId}, ${fields.diff === null ? null : JSON.stringify(fields.diff)}::jsonb,
        ${fields.regionCode}, ${fields.result}, ${fields.previousHash}, ${hash})
      returning id)
    update ${auditChainHead} set hash = ${hash}, last_id = (select id from inserted), updated_at = now() where id = 1`);
}

export type ChainVerification =
  | { ok: true; records: number; anchors?: number }
  | { ok: false; records: number; brokenAtId: number; reason: string; anchors?: number };

/** A chain head taken earlier and kept outside the database (see audit-anchor.service.ts). */
export type ChainAnchor = { date: string; lastId: number; headHash: string };

/**
 * Walks the chain in id order in pages; reports the first record whose link or hash does not hold, and
 * then a tail cut short: the chain must still reach each anchor's record with the anchored hash.
 */
export async function verifyAuditChain(
  executor: Executor,
  options: { anchors?: ChainAnchor[]; pageSize?: number } = {},
): Promise<ChainVerification> {
  const pageSize = options.pageSize ?? 5000;
  const anchors = options.anchors ?? [];
  const anchoredIds = new Set(anchors.map((anchor) => anchor.lastId));
  const hashAtAnchoredId = new Map<number, string>();
  const withAnchors = <T extends object>(result: T) =>
    options.anchors ? { ...result, anchors: anchors.length } : result;
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
    if (rows.length === 0) {
      const [head] = await executor.select().from(auditChainHead);
      if ((head?.hash ?? GENESIS_HASH) !== previousHash) {
        return withAnchors({
          ok: false as const,
          records: count,
          brokenAtId: head?.lastId ?? lastId,
          reason: '链尾记录缺失（与链头登记的哈希不符）',
        });
      }
      for (const anchor of anchors) {
        if (anchor.lastId > lastId) {
          return withAnchors({
            ok: false as const,
            records: count,
            brokenAtId: lastId + 1,
            reason: `链尾被截断：${anchor.date} 的链锚登记链已到第 ${anchor.lastId} 号记录，现在只到第 ${lastId} 号`,
          });
        }
        if (hashAtAnchoredId.get(anchor.lastId) !== anchor.headHash) {
          return withAnchors({
            ok: false as const,
            records: count,
            brokenAtId: anchor.lastId,
            reason: `链尾被截断或改写：第 ${anchor.lastId} 号记录的哈希与 ${anchor.date} 的链锚不符`,
          });
        }
      }
      return withAnchors({ ok: true as const, records: count });
    }
    for (const row of rows) {
      count += 1;
      if (row.previousHash !== previousHash) {
        return withAnchors({
          ok: false as const,
          records: count,
          brokenAtId: row.id,
          reason: '与上一条记录的哈希链接断开',
        });
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
        regionCode: row.regionCode,
        result: row.result,
        previousHash: row.previousHash,
      });
      if (expected !== row.hash) {
        return withAnchors({
          ok: false as const,
          records: count,
          brokenAtId: row.id,
          reason: '记录内容与其哈希不符（已被篡改）',
        });
      }
      if (anchoredIds.has(row.id)) hashAtAnchoredId.set(row.id, row.hash);
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
