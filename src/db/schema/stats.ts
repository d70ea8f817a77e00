import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { entities } from './entities.ts';
import { regions } from './regions.ts';

export const monthlyStatuses = ['draft', 'submitted', 'approved', 'returned'] as const;
export type MonthlyStatus = (typeof monthlyStatuses)[number];
/** Where a row came from: an enterprise's (or county's) monthly report, a ledger file, a bulk import. */
export const monthlySources = ['report', 'ledger', 'import'] as const;

/** 月度统计: one row per entity per month; money in integer fen. */
export const monthlyStatistics = pgTable(
  'monthly_statistics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    etownCode: text('etown_code')
      .notNull()
      .references(() => regions.code),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    /** YYYY-MM */
    month: text('month').notNull(),
    outputFen: bigint('output_fen', { mode: 'bigint' }).notNull(),
    onlineRetailFen: bigint('online_retail_fen', { mode: 'bigint' }).notNull(),
    /** Of which cross-border (跨境), integer fen. */
    crossBorderFen: bigint('cross_border_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    orders: bigint('orders', { mode: 'number' }).notNull().default(0),
    employees: integer('employees').notNull().default(0),
    ecommerceEmployees: integer('ecommerce_employees').notNull().default(0),
    /**
     * 填报 → 提交 → 县级审核: approved figures are locked; changing them needs a reopening (counted).
     * Rows from a ledger import or a bulk import by the county are approved as they arrive.
     */
    status: text('status', { enum: monthlyStatuses }).notNull().default('approved'),
    source: text('source', { enum: monthlySources }).notNull().default('ledger'),
    /** Why a month-over-month change beyond the threshold is real (required before submission). */
    outlierExplanation: text('outlier_explanation'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by'),
    returnReason: text('return_reason'),
    reopenCount: integer('reopen_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('monthly_statistics_entity_month').on(table.entityId, table.month),
    index('monthly_statistics_etown_month_idx').on(table.etownCode, table.month),
    // A month's reports and reporting progress across a region: the month, then the code prefix (pattern
    // operators, since `like '14%'` uses a plain index only under the C collation).
    index('monthly_statistics_month_etown_idx').on(table.month, table.etownCode.op('text_pattern_ops')),
    check('monthly_statistics_month_shape', sql`${table.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check(
      'monthly_statistics_money_non_negative',
      sql`${table.outputFen} >= 0 and ${table.onlineRetailFen} >= 0`,
    ),
    check(
      'monthly_statistics_counts_non_negative',
      sql`${table.crossBorderFen} >= 0 and ${table.orders} >= 0 and ${table.employees} >= 0 and ${table.ecommerceEmployees} >= 0`,
    ),
  ],
);

/**
 * 月度汇总底表: the approved monthly figures summed per e-town and month, kept by statement triggers on
 * monthly_statistics (migration 0019) so dashboards and evaluations read a few thousand sums instead of
 * millions of rows. `rows` counts the approved entity-months behind a sum; 0 means none (a row may stay
 * after its figures were reopened).
 */
export const monthlyEtownTotals = pgTable(
  'monthly_etown_totals',
  {
    etownCode: text('etown_code').notNull(),
    /** YYYY-MM */
    month: text('month').notNull(),
    rows: integer('rows').notNull(),
    outputFen: bigint('output_fen', { mode: 'bigint' }).notNull(),
    onlineRetailFen: bigint('online_retail_fen', { mode: 'bigint' }).notNull(),
    crossBorderFen: bigint('cross_border_fen', { mode: 'bigint' }).notNull(),
    orders: bigint('orders', { mode: 'bigint' }).notNull(),
    employees: bigint('employees', { mode: 'bigint' }).notNull(),
    ecommerceEmployees: bigint('ecommerce_employees', { mode: 'bigint' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.etownCode, table.month] })],
);

/** The city's average growth of total output in a year (percent; indicator 23 compares against it + 2). */
export const cityOutputGrowth = pgTable(
  'city_output_growth',
  {
    cityCode: text('city_code')
      .notNull()
      .references(() => regions.code),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    year: integer('year').notNull(),
    growthPct: numeric('growth_pct', { precision: 10, scale: 4 }).notNull(),
    /** Where the figure comes from, e.g. "运城市2026年国民经济和社会发展统计公报". */
    source: text('source').notNull().default(''),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.cityCode, table.year] })],
);
