import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

const etownCode = () =>
  text('etown_code')
    .notNull()
    .references(() => regions.code);

/** 培训 with its attendance in person-times (indicator 11). */
export const trainings = pgTable(
  'trainings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    crossBorder: boolean('cross_border').notNull(),
    attendance: integer('attendance').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('trainings_etown_idx').on(table.etownCode),
    check('trainings_attendance_non_negative', sql`${table.attendance} >= 0`),
  ],
);

export const talentRoles = ['expert', 'business_leader', 'influencer'] as const;

/** 电商专家、商业带头人、本地网红 (indicators 12, 13). */
export const talentPeople = pgTable(
  'talent_people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    role: text('role', { enum: talentRoles }).notNull(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('talent_people_etown_idx').on(table.etownCode)],
);
