import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

export const auditResults = ['success', 'failure', 'denied'] as const;

/** Append-only and SM3 hash-chained; a trigger (drizzle/0001_*) refuses UPDATE, DELETE and TRUNCATE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    userId: text('user_id'),
    username: text('username'),
    role: text('role'),
    ip: text('ip'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    diff: jsonb('diff').$type<Record<string, unknown>>(),
    /**
     * The region the record concerns (an e-town's or county's code) when it concerns one: what a
     * county-scoped reader (县纪委监委) may see. Chained into the hash when present.
     */
    regionCode: text('region_code'),
    result: text('result', { enum: auditResults }).notNull(),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull().unique(),
  },
  (table) => [
    index('audit_log_at_idx').on(table.at),
    index('audit_log_target_idx').on(table.targetType, table.targetId),
    index('audit_log_username_idx').on(table.username),
    // Region codes nest by prefix: text_pattern_ops lets `region_code like '140827%'` use the index.
    index('audit_log_region_idx').using('btree', table.regionCode.op('text_pattern_ops'), table.id),
  ],
);

/**
 * The newest hash of the chain in one row: `SELECT … FOR UPDATE` on it serialises writers and reads the
 * latest committed hash in one statement, and a chain whose tail was cut no longer matches it.
 */
export const auditChainHead = pgTable(
  'audit_chain_head',
  {
    id: smallint('id').primaryKey(),
    lastId: bigint('last_id', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('audit_chain_head_single_row', sql`${table.id} = 1`)],
);
