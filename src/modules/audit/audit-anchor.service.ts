import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../db/client.ts';
import { auditChainHead } from '../../db/schema/audit.ts';
import type { AppContext } from '../../http/context.ts';
import { traceMacKeyOf } from '../trace/trace-code.ts';
import { type ChainVerification, verifyAuditChain } from './audit.service.ts';

/**
 * Anchors of the audit chain (ADR 013): the chain head (last record id and its hash) at a moment, with an
 * HMAC-SM3 under a key derived from the server's secret key, appended to a file in the data folder. The
 * database owner can cut the chain's tail and reset its head, but cannot rewrite this file or forge a MAC.
 */
export type AuditAnchor = {
  /** The day (China time, YYYY-MM-DD) the anchor was taken. */
  date: string;
  anchoredAt: string;
  lastId: number;
  headHash: string;
  mac: string;
};

export const AUDIT_ANCHOR_FILE = 'audit-anchors.jsonl';
const ANCHOR_FORMAT = 'ezhen-audit-anchor/1';

const anchorKeys = new Map<string, Buffer>();

/**
 * A key of its own for anchors, derived (HKDF-SM3) from the integrity key that signs trace codes, which
 * is kept over rotations of the SM4 key (`ezhen key rotate`): anchors written before a rotation still
 * verify after it. `integrityKeyHex` is `traceMacKeyOf(context)`.
 */
function anchorKey(integrityKeyHex: string): Buffer {
  let key = anchorKeys.get(integrityKeyHex);
  if (!key) {
    key = Buffer.from(
      hkdfSync('sm3', Buffer.from(integrityKeyHex, 'hex'), 'ezhen', 'ezhen/audit-anchor-mac/v1', 32),
    );
    anchorKeys.set(integrityKeyHex, key);
  }
  return key;
}

function anchorMac(secretKeyHex: string, anchor: Omit<AuditAnchor, 'mac'>): string {
  return createHmac('sm3', anchorKey(secretKeyHex))
    .update([ANCHOR_FORMAT, anchor.date, anchor.anchoredAt, anchor.lastId, anchor.headHash].join('\n'))
    .digest('hex');
}

export function anchorMacHolds(secretKeyHex: string, anchor: AuditAnchor): boolean {
  const expected = Buffer.from(anchorMac(secretKeyHex, anchor), 'hex');
  const given = Buffer.from(anchor.mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The anchor file of a data folder; none for an in-memory one (tests). */
export function anchorFilePath(dataDir: string): string | null {
  return dataDir.startsWith('memory://') ? null : path.resolve(dataDir, AUDIT_ANCHOR_FILE);
}

export type AnchorFileContents = { anchors: AuditAnchor[]; unreadableLines: number[] };

/** Every anchor of the file in order; a line that does not parse is reported by its number, not skipped silently. */
export function readAnchors(dataDir: string): AnchorFileContents {
  const file = anchorFilePath(dataDir);
  if (!file || !existsSync(file)) return { anchors: [], unreadableLines: [] };
  const anchors: AuditAnchor[] = [];
  const unreadableLines: number[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        const value = JSON.parse(line) as Partial<AuditAnchor>;
        if (
          typeof value.date !== 'string' ||
          typeof value.anchoredAt !== 'string' ||
          typeof value.lastId !== 'number' ||
          typeof value.headHash !== 'string' ||
          typeof value.mac !== 'string'
        ) {
          throw new Error('missing field');
        }
        anchors.push({
          date: value.date,
          anchoredAt: value.anchoredAt,
          lastId: value.lastId,
          headHash: value.headHash,
          mac: value.mac,
        });
      } catch {
        unreadableLines.push(index + 1);
      }
    });
  return { anchors, unreadableLines };
}

/** The calendar day in China (UTC+8, no daylight saving) of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

async function chainHead(executor: Executor): Promise<{ lastId: number; hash: string } | null> {
  const [head] = await executor.select().from(auditChainHead);
  return head ? { lastId: head.lastId, hash: head.hash } : null;
}

export type AnchorOutcome =
  | { written: true; anchor: AuditAnchor }
  | { written: false; reason: 'no_file' | 'empty_chain' | 'unchanged' | 'anchored_today' };

/**
 * Appends an anchor of the current chain head unless the head has not moved since the last anchor
 * (or, with `oncePerDay`, the last anchor was already taken today).
 */
export async function anchorAuditChain(
  context: AppContext,
  options: { oncePerDay?: boolean; now?: Date } = {},
): Promise<AnchorOutcome> {
  const file = anchorFilePath(context.config.dataDir);
  if (!file) return { written: false, reason: 'no_file' };
  const head = await chainHead(context.database.db);
  if (!head || head.lastId === 0) return { written: false, reason: 'empty_chain' };
  const now = options.now ?? new Date();
  const last = readAnchors(context.config.dataDir).anchors.at(-1);
  if (last && last.lastId === head.lastId && last.headHash === head.hash)
    return { written: false, reason: 'unchanged' };
  if (options.oncePerDay && last && last.date === chinaDate(now))
    return { written: false, reason: 'anchored_today' };
  const unsigned = {
    date: chinaDate(now),
    anchoredAt: now.toISOString(),
    lastId: head.lastId,
    headHash: head.hash,
  };
  const anchor: AuditAnchor = { ...unsigned, mac: anchorMac(traceMacKeyOf(context), unsigned) };
  mkdirSync(path.dirname(file), { recursive: true });
  // One short line per append: O_APPEND keeps concurrent writers (server and console) from interleaving.
  appendFileSync(file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  return { written: true, anchor };
}

/** How often the server checks whether today's anchor is due. */
export const ANCHOR_CHECK_INTERVAL_MS = 60 * 60_000;

/**
 * The chain check with the anchors of the data folder: an anchor file line that does not parse or an anchor
 * whose MAC fails is reported before the chain itself, since the anchors are what a cut tail is judged by.
 */
export async function verifyAuditChainAnchored(context: AppContext): Promise<ChainVerification> {
  const { anchors, unreadableLines } = readAnchors(context.config.dataDir);
  if (unreadableLines.length > 0) {
    return {
      ok: false,
      records: 0,
      brokenAtId: 0,
      reason: `链锚文件第 ${unreadableLines.join('、')} 行无法读取（链锚文件被改动）`,
      anchors: anchors.length,
    };
  }
  const forged = anchors.findIndex((anchor) => !anchorMacHolds(traceMacKeyOf(context), anchor));
  if (forged >= 0) {
    return {
      ok: false,
      records: 0,
      brokenAtId: anchors[forged]?.lastId ?? 0,
      reason: `第 ${forged + 1} 个链锚的校验码不符（链锚被改动，或服务器密钥已不是写入时的密钥）`,
      anchors: anchors.length,
    };
  }
  return verifyAuditChain(context.database.db, { anchors });
}
