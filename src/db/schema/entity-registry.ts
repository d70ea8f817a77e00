import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { entities, entityTags } from './entities.ts';
import { regions } from './regions.ts';

/** Every tag given or taken away, with its reason and date: the tag history. */
export const entityTagEvents = pgTable(
  'entity_tag_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    tag: text('tag', { enum: entityTags }).notNull(),
    action: text('action', { enum: ['added', 'removed'] }).notNull(),
    reason: text('reason').notNull(),
    effectiveOn: date('effective_on', { mode: 'string' }).notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('entity_tag_events_entity_idx').on(table.entityId, table.at)],
);

export const entryApplicationStatuses = ['submitted', 'admitted', 'rejected'] as const;

/** 入驻申请: an enterprise asks to enter an e-town; the county admits (creating the entity) or rejects. */
export const entryApplications = pgTable(
  'entry_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: text('etown_code')
      .notNull()
      .references(() => regions.code),
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id),
    /** The entity as proposed: credit code, name, type, legal entity, registration date, address, contact. */
    proposal: jsonb('proposal').notNull(),
    statement: text('statement'),
    status: text('status', { enum: entryApplicationStatuses }).notNull().default('submitted'),
    entityId: uuid('entity_id').references(() => entities.id),
    reviewReason: text('review_reason'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('entry_applications_etown_idx').on(table.etownCode, table.status)],
);

export const creditRecordKinds = ['good', 'violation'] as const;

/** 信用记录: good conduct and violations (侵权假冒, 虚假交易, …) with their source and date. */
export const creditRecords = pgTable(
  'credit_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: creditRecordKinds }).notNull(),
    category: text('category').notNull(),
    description: text('description').notNull(),
    source: text('source').notNull(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    /** Points this record moves the credit score by (positive for good conduct, negative for violations). */
    points: integer('points').notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('credit_records_entity_idx').on(table.entityId, table.occurredOn),
    check(
      'credit_records_points_sign',
      sql`(${table.kind} = 'good' and ${table.points} >= 0) or (${table.kind} = 'violation' and ${table.points} <= 0)`,
    ),
  ],
);

/** Per month (YYYY-MM) a submission deadline other than the default (the 10th of the next month). */
export const statsDeadlines = pgTable('stats_deadlines', {
  month: text('month').primaryKey(),
  deadline: date('deadline', { mode: 'string' }).notNull(),
  /** Optimistic locking: bumped by every edit (src/db/versioned-upsert.ts). */
  version: integer('version').notNull().default(1),
  setBy: uuid('set_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * 企业账号邀请: the county invites an enterprise to open its account. The link carries a random token;
 * only its SHA-256 is stored. Accepting creates an `enterprise` user bound to the entity.
 */
export const enterpriseInvitations = pgTable(
  'enterprise_invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    tokenSha256: text('token_sha256').notNull().unique(),
    /** Who the invitation is meant for (a name to greet, never used to sign in). */
    inviteeName: text('invitee_name').notNull(),
    invitedBy: uuid('invited_by')
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedUserId: uuid('accepted_user_id').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('enterprise_invitations_entity_idx').on(table.entityId)],
);
