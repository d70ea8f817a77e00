import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const systemSettings = pgTable('system_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  /**
   * Optimistic locking (src/db/versioned-upsert.ts): one row is one settings document, edited whole by
   * one PUT, so the row's version versions the whole document.
   */
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: text('updated_by'),
});

/**
 * A version per region that the database bumps, by triggers in the writer's own transaction, whenever data
 * an evaluation, an aggregate or the reporting progress reads changes for it (migration 0021): e-town rows
 * for their lists, entities and monthly figures; every region of a subtree for a region, a leading group or a
 * city's growth; `*` for the province-wide reporting settings. Versions come from one sequence and only grow,
 * so a cache keyed by them (src/db/data-versions.ts) is current exactly when they are unchanged. Derived:
 * not backed up (a restore's inserts bump it again).
 */
export const regionDataVersions = pgTable(
  'region_data_versions',
  {
    regionCode: text('region_code').primaryKey(),
    version: bigint('version', { mode: 'bigint' }).notNull(),
  },
  // A subtree's versions summed from the index alone (`region_code like '1401%'`).
  (table) => [
    index('region_data_versions_prefix_idx').on(table.regionCode.op('text_pattern_ops'), table.version),
  ],
);
