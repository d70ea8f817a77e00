import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

const etownCode = () =>
  text('etown_code')
    .notNull()
    .references(() => regions.code);

/** 特色馆 on e-commerce platforms (indicator 6). */
export const pavilions = pgTable(
  'pavilions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    platform: text('platform').notNull(),
    name: text('name').notNull(),
    url: text('url'),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('pavilions_etown_idx').on(table.etownCode)],
);

/**
 * 产业链供应链 (indicator 3). DESIGN.md gives indicator 3 to `services`, which is not built yet and
 * not this change's to create; kept here until the services module takes it over.
 */
export const supplyChains = pgTable(
  'supply_chains',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('supply_chains_etown_idx').on(table.etownCode)],
);
