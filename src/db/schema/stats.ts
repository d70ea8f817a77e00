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
import { entities } from './entities.ts';
import { regions } from './regions.ts';

/** 月度统计: one row per entity per month; money in integer fen. */
export const monthlyStatistics = pgTable(
  'monthly_statistics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
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
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('monthly_statistics_entity_month').on(table.entityId, table.month),
    index('monthly_statistics_etown_month_idx').on(table.etownCode, table.month),
    check('monthly_statistics_month_shape', sql`${table.month} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
    check(
      'monthly_statistics_money_non_negative',
      sql`${table.outputFen} >= 0 and ${table.onlineRetailFen} >= 0`,
    ),
  ],
);

/** The city's average growth of total output in a year (percent; indicator 23 compares against it + 2). */
export const cityOutputGrowth = pgTable(
  'city_output_growth',
  {
    cityCode: text('city_code')
      .notNull()
      .references(() => regions.code),
    year: integer('year').notNull(),
    growthPct: numeric('growth_pct', { precision: 10, scale: 4 }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.cityCode, table.year] })],
);
