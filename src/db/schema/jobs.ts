import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { regions } from './regions.ts';

export const jobStatuses = ['running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/**
 * 后台任务: long work (imports, exports, evaluations of many e-towns) run in the background with
 * progress, and the download centre's list of results. A running job beats its heartbeat while it
 * works; one whose heartbeat stopped (the server was killed) is reported as interrupted.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stable English kind, e.g. `ledger.import`. */
    kind: text('kind').notNull(),
    /** What the user sees in the download centre, e.g. 导入台账：皋陶乡村e镇. */
    title: text('title').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    regionCode: text('region_code').references(() => regions.code),
    status: text('status', { enum: jobStatuses }).notNull().default('running'),
    stage: text('stage').notNull().default(''),
    progressDone: integer('progress_done').notNull().default(0),
    progressTotal: integer('progress_total').notNull().default(0),
    /** What came of it: counts, problems; the shape is the kind's own. */
    summary: jsonb('summary'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    /** The result (or error receipt) file, in the content-addressed file store. */
    fileSha256: text('file_sha256'),
    fileName: text('file_name'),
    fileMediaType: text('file_media_type'),
    fileSizeBytes: bigint('file_size_bytes', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('jobs_owner_created_idx').on(table.ownerId, table.createdAt),
    check('jobs_progress_sane', sql`${table.progressDone} >= 0 and ${table.progressTotal} >= 0`),
  ],
);
