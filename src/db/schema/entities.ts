import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

/** 市场主体: the minimal registry row that enterprise accounts are scoped to; issue 5 extends it. */
export const entities = pgTable(
  'entities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    creditCode: text('credit_code').notNull().unique(),
    name: text('name').notNull(),
    etownCode: text('etown_code')
      .notNull()
      .references(() => regions.code),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('entities_etown_idx').on(table.etownCode)],
);
