import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { regions } from './regions.ts';

/** draft → submitted → (returned → submitted)* → approved → expert_review → rectification → accepted. */
export const evaluationStatuses = [
  'draft',
  'submitted',
  'returned',
  'approved',
  'expert_review',
  'rectification',
  'accepted',
] as const;
export type EvaluationStatus = (typeof evaluationStatuses)[number];

export const itemReviewStatuses = ['pending', 'approved', 'returned'] as const;
export type ItemReviewStatus = (typeof itemReviewStatuses)[number];

export const rectificationStatuses = ['open', 'in_progress', 'closed'] as const;
export type RectificationStatus = (typeof rectificationStatuses)[number];

/** One yearly evaluation of one e-town; the indicator results are a frozen snapshot taken at start. */
export const evaluations = pgTable(
  'evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: text('etown_code')
      .notNull()
      .references(() => regions.code),
    year: integer('year').notNull(),
    status: text('status', { enum: evaluationStatuses }).notNull().default('draft'),
    catalogId: text('catalog_id').notNull(),
    catalogVersion: integer('catalog_version').notNull(),
    /** The `ezhen-evaluation/1` document as computed when the evaluation started (or was refreshed). */
    snapshot: jsonb('snapshot').notNull(),
    reopenCount: integer('reopen_count').notNull().default(0),
    submissionCount: integer('submission_count').notNull().default(0),
    startedBy: uuid('started_by').references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    acceptedOn: date('accepted_on'),
    acceptanceConclusion: text('acceptance_conclusion'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('evaluations_etown_year_key').on(table.etownCode, table.year),
    index('evaluations_status_idx').on(table.status),
  ],
);

/** One indicator of an evaluation: the platform's result plus the county's self-assessment and review. */
export const evaluationItems = pgTable(
  'evaluation_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    evaluationId: uuid('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    indicatorNo: integer('indicator_no').notNull(),
    title: text('title').notNull(),
    computedStatus: text('computed_status').notNull(),
    selfScore: integer('self_score'),
    statement: text('statement'),
    reviewStatus: text('review_status', { enum: itemReviewStatuses }).notNull().default('pending'),
    returnReason: text('return_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('evaluation_items_no_key').on(table.evaluationId, table.indicatorNo),
    check('evaluation_items_self_score_range', sql`${table.selfScore} between 0 and 100`),
  ],
);

/** The history of one item: edits, returns with reasons, resubmissions, approvals. */
export const evaluationItemEvents = pgTable(
  'evaluation_item_events',
  {
    id: serial('id').primaryKey(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => evaluationItems.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    reason: text('reason'),
    actorId: uuid('actor_id').references(() => users.id),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('evaluation_item_events_item_idx').on(table.itemId)],
);

/** Evidence files: metadata here, bytes in the content-addressed file store under their SHA-256. */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => evaluationItems.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('evidence_files_item_idx').on(table.itemId)],
);

/** Experts the province assigned to an evaluation; `submittedAt` once the expert has finished scoring. */
export const evaluationExperts = pgTable(
  'evaluation_experts',
  {
    evaluationId: uuid('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    expertId: uuid('expert_id')
      .notNull()
      .references(() => users.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.evaluationId, table.expertId] })],
);

export const expertScores = pgTable(
  'expert_scores',
  {
    itemId: uuid('item_id')
      .notNull()
      .references(() => evaluationItems.id, { onDelete: 'cascade' }),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    expertId: uuid('expert_id')
      .notNull()
      .references(() => users.id),
    score: integer('score').notNull(),
    finding: text('finding'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.itemId, table.expertId] }),
    check('expert_scores_range', sql`${table.score} between 0 and 100`),
  ],
);

/** 整改: a finding the county must fix, with an owner and a deadline; overdue is derived, not stored. */
export const rectificationItems = pgTable(
  'rectification_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    evaluationId: uuid('evaluation_id')
      .notNull()
      .references(() => evaluations.id, { onDelete: 'cascade' }),
    indicatorNo: integer('indicator_no'),
    finding: text('finding').notNull(),
    owner: text('owner').notNull(),
    deadline: date('deadline').notNull(),
    status: text('status', { enum: rectificationStatuses }).notNull().default('open'),
    note: text('note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('rectification_items_evaluation_idx').on(table.evaluationId)],
);

/** In-app notifications: each workflow step tells the next actor. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    evaluationId: uuid('evaluation_id').references(() => evaluations.id, { onDelete: 'cascade' }),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('notifications_user_idx').on(table.userId, table.createdAt)],
);
