import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  serial,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

export const regionLevels = ['province', 'city', 'county', 'etown'] as const;
export type RegionLevel = (typeof regionLevels)[number];

export const countyTiers = ['pilot_demo', 'overall_advance', 'key_support'] as const;
export type CountyTier = (typeof countyTiers)[number];

/** The region tree: province (14) → city (1408) → county (140827) → e-town (140827-E01). */
export const regions = pgTable(
  'regions',
  {
    code: text('code').primaryKey(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    name: text('name').notNull(),
    level: text('level', { enum: regionLevels }).notNull(),
    parentCode: text('parent_code').references((): AnyPgColumn => regions.code),
    tier: text('tier', { enum: countyTiers }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('regions_parent_code_idx').on(table.parentCode),
    check(
      'regions_code_shape',
      sql`(${table.level} = 'province' and ${table.code} ~ '^[0-9]{2}$')
        or (${table.level} = 'city' and ${table.code} ~ '^[0-9]{4}$')
        or (${table.level} = 'county' and ${table.code} ~ '^[0-9]{6}$')
        or (${table.level} = 'etown' and ${table.code} ~ '^[0-9]{6}-E[0-9]{2}$')`,
    ),
    check('regions_tier_only_on_counties', sql`${table.tier} is null or ${table.level} = 'county'`),
  ],
);

export const countyTierChanges = pgTable(
  'county_tier_changes',
  {
    id: serial('id').primaryKey(),
    countyCode: text('county_code')
      .notNull()
      .references(() => regions.code),
    previousTier: text('previous_tier', { enum: countyTiers }),
    tier: text('tier', { enum: countyTiers }).notNull(),
    reason: text('reason'),
    changedBy: uuid('changed_by'),
    changedByName: text('changed_by_name').notNull(),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('county_tier_changes_county_idx').on(table.countyCode, table.changedAt)],
);

export type EtownPhase = {
  phase: 'launch' | 'implementation' | 'evaluation' | 'acceptance';
  startOn: string;
  endOn: string;
};

export const etownProfiles = pgTable('etown_profiles', {
  code: text('code')
    .primaryKey()
    .references(() => regions.code, { onDelete: 'cascade' }),
  villages: jsonb('villages').$type<string[]>().notNull().default([]),
  boundaryEast: text('boundary_east'),
  boundaryWest: text('boundary_west'),
  boundarySouth: text('boundary_south'),
  boundaryNorth: text('boundary_north'),
  landAreaKm2: numeric('land_area_km2', { precision: 12, scale: 4 }),
  buildingAreaM2: numeric('building_area_m2', { precision: 14, scale: 2 }),
  boundary: jsonb('boundary').$type<Record<string, unknown>>(),
  boundaryAreaKm2: numeric('boundary_area_km2', { precision: 14, scale: 6 }),
  leadingIndustries: jsonb('leading_industries').$type<string[]>().notNull().default([]),
  operatingEntity: text('operating_entity'),
  phases: jsonb('phases').$type<EtownPhase[]>().notNull().default([]),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const leadingGroups = pgTable(
  'leading_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    name: text('name').notNull(),
    docNo: text('doc_no'),
    establishedOn: date('established_on', { mode: 'string' }),
    responsibilities: text('responsibilities'),
    officeLocation: text('office_location'),
    memberChangeRule: text('member_change_rule'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('leading_groups_region_idx').on(table.regionCode)],
);

export const leadingGroupUnits = pgTable(
  'leading_group_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    groupId: uuid('group_id')
      .notNull()
      .references(() => leadingGroups.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    duties: text('duties'),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (table) => [index('leading_group_units_group_idx').on(table.groupId)],
);

export const leadingGroupPositions = ['head', 'deputy', 'member', 'office_director'] as const;
export type LeadingGroupPosition = (typeof leadingGroupPositions)[number];

/** A seat in the group; replacing its holder ends the row and opens a new one (history kept). */
export const leadingGroupMembers = pgTable(
  'leading_group_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    groupId: uuid('group_id')
      .notNull()
      .references(() => leadingGroups.id, { onDelete: 'cascade' }),
    unitId: uuid('unit_id').references(() => leadingGroupUnits.id),
    position: text('position', { enum: leadingGroupPositions }).notNull(),
    personName: text('person_name').notNull(),
    title: text('title'),
    sortOrder: integer('sort_order').notNull().default(0),
    since: date('since', { mode: 'string' }),
    until: date('until', { mode: 'string' }),
    replacesId: uuid('replaces_id').references((): AnyPgColumn => leadingGroupMembers.id),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('leading_group_members_group_idx').on(table.groupId)],
);
