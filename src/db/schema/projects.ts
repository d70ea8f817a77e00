import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

const etownCode = () =>
  text('etown_code')
    .notNull()
    .references(() => regions.code);

/** 投资: investment into an e-town's construction projects, integer fen (indicator 25). */
export const investments = pgTable(
  'investments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    project: text('project').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    investedOn: date('invested_on', { mode: 'string' }).notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('investments_etown_idx').on(table.etownCode),
    check('investments_amount_non_negative', sql`${table.amountFen} >= 0`),
  ],
);

export const facilityKinds = ['service_center', 'showroom', 'logistics_center', 'training_center'] as const;

/** 设施 (indicators 11, 15–17). */
export const facilities = pgTable(
  'facilities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    kind: text('kind', { enum: facilityKinds }).notNull(),
    name: text('name').notNull(),
    buildingAreaM2: numeric('building_area_m2', { precision: 14, scale: 2 }).notNull(),
    features: jsonb('features').$type<string[]>().notNull().default([]),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('facilities_etown_idx').on(table.etownCode)],
);

export const incidentCategories = [
  'land',
  'environment',
  'debt',
  'housing_speculation',
  'work_safety',
] as const;

/** 违规事件 (indicator 20). */
export const complianceIncidents = pgTable(
  'compliance_incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    category: text('category', { enum: incidentCategories }).notNull(),
    description: text('description'),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('compliance_incidents_etown_idx').on(table.etownCode)],
);
