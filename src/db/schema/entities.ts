import {
  boolean,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

/** 市场主体: the registry row that enterprise accounts are scoped to and ledgers list. */
export const entities = pgTable(
  'entities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    creditCode: text('credit_code').notNull().unique(),
    name: text('name').notNull(),
    etownCode: text('etown_code')
      .notNull()
      .references(() => regions.code),
    /** 是否法人主体 (indicator 27 counts legal entities registered in the year). */
    legalEntity: boolean('legal_entity').notNull().default(false),
    registeredOn: date('registered_on', { mode: 'string' }),
    /** Position in the e-town's ledger list, so an export lists entities in the order they were imported. */
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('entities_etown_idx').on(table.etownCode)],
);

export const entityTags = [
  'ecommerce',
  'leading',
  'cross_border',
  'finance_outlet',
  'telecom_outlet',
  'rnd',
] as const;
export type EntityTagCode = (typeof entityTags)[number];

export const entityTagAssignments = pgTable(
  'entity_tags',
  {
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    tag: text('tag', { enum: entityTags }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.entityId, table.tag] })],
);
