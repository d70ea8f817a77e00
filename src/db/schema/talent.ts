import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { entities } from './entities.ts';
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
export type TalentRole = (typeof talentRoles)[number];
/** Where a person's row comes from: a ledger import (replaced by the next one) or the platform's forms. */
export const talentPersonSources = ['ledger', 'platform'] as const;

/**
 * 电商专家、商业带头人、本地网红 (indicators 12, 13). Ledger rows carry the role and name only; rows entered
 * on the platform (`source = 'platform'`) carry the role's details and are never touched by a ledger import
 * (ADR 017, people).
 */
export const talentPeople = pgTable(
  'talent_people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    role: text('role', { enum: talentRoles }).notNull(),
    name: text('name').notNull(),
    source: text('source', { enum: talentPersonSources }).notNull().default('ledger'),
    /** 专家: field of expertise, employer, engagement period. */
    expertise: text('expertise'),
    employer: text('employer'),
    engagedFrom: date('engaged_from', { mode: 'string' }),
    engagedTo: date('engaged_to', { mode: 'string' }),
    /** 商业带头人: the registered entity led (same e-town) and what is led. */
    entityId: uuid('entity_id').references(() => entities.id),
    leads: text('leads'),
    /** 本地网红: platform, account, followers, monthly sales in fen for `salesMonth` (YYYY-MM). */
    platform: text('platform'),
    account: text('account'),
    followers: integer('followers'),
    monthlySalesFen: bigint('monthly_sales_fen', { mode: 'bigint' }),
    salesMonth: text('sales_month'),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('talent_people_etown_idx').on(table.etownCode),
    check('talent_people_followers_non_negative', sql`${table.followers} is null or ${table.followers} >= 0`),
    check(
      'talent_people_sales_non_negative',
      sql`${table.monthlySalesFen} is null or ${table.monthlySalesFen} >= 0`,
    ),
  ],
);

/** 证明材料 of a platform-entered person (contract, licence, account screenshot), stored by sha256. */
export const talentPersonEvidence = pgTable(
  'talent_person_evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id')
      .notNull()
      .references(() => talentPeople.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('talent_person_evidence_person_idx').on(table.personId)],
);

export const traineeGenders = ['male', 'female'] as const;
/** 培训对象分层 (county plan 五(六)); 脱贫户 is sensitive personal information (PIPL) shown only to the county. */
export const traineeCategories = [
  'returning_migrant_worker',
  'college_student',
  'veteran',
  'poverty_alleviated',
  'individual_business',
  'cooperative_member',
  'other',
] as const;
export type TraineeCategory = (typeof traineeCategories)[number];
export type TraineeCertificate = { name: string; issuedOn: string | null };

/** 学员档案 (一人一档): one file per person, the ID number and phone SM4-encrypted and shown masked. */
export const trainees = pgTable(
  'trainees',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    villageName: text('village_name'),
    name: text('name').notNull(),
    gender: text('gender', { enum: traineeGenders }).notNull(),
    birthYear: integer('birth_year').notNull(),
    /** 身份证号, SM4-encrypted; shown as `idNumberMasked` unless the role may reveal it. */
    idNumberCipher: text('id_number_cipher').notNull(),
    idNumberMasked: text('id_number_masked').notNull(),
    /** HMAC-SM3 blind index of the ID number: one file per person, found without decrypting. */
    idNumberIndex: text('id_number_index').notNull(),
    phoneCipher: text('phone_cipher'),
    phoneMasked: text('phone_masked'),
    category: text('category', { enum: traineeCategories }).notNull(),
    skills: jsonb('skills').$type<string[]>().notNull().default([]),
    certificates: jsonb('certificates').$type<TraineeCertificate[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('trainees_id_number_index_unique').on(table.idNumberIndex),
    index('trainees_etown_idx').on(table.etownCode, table.name),
  ],
);

export const traineeFollowUpKinds = ['opened_shop', 'employed', 'income_change'] as const;

/** 培训后跟踪: a trainee opened a shop, was employed by a registered entity, or reported a new income. */
export const traineeFollowUps = pgTable(
  'trainee_follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    traineeId: uuid('trainee_id')
      .notNull()
      .references(() => trainees.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: traineeFollowUpKinds }).notNull(),
    happenedOn: date('happened_on', { mode: 'string' }).notNull(),
    /** The employer (employed) or the shop's owner entity, when it is in the registry. */
    entityId: uuid('entity_id').references(() => entities.id),
    shopName: text('shop_name'),
    /** Monthly income after the change (income_change), in fen. */
    monthlyIncomeFen: bigint('monthly_income_fen', { mode: 'bigint' }),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('trainee_follow_ups_trainee_idx').on(table.traineeId, table.happenedOn),
    check(
      'trainee_follow_ups_income_non_negative',
      sql`${table.monthlyIncomeFen} is null or ${table.monthlyIncomeFen} >= 0`,
    ),
  ],
);

/**
 * 培训场次: a session held by a training institution (an entity of the registry). Its person-times are
 * counted from its attendance rows, never typed (indicator 11 and the cross-border count read them).
 */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    institutionEntityId: uuid('institution_entity_id')
      .notNull()
      .references(() => entities.id),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    place: text('place').notNull(),
    teacher: text('teacher').notNull(),
    topic: text('topic').notNull(),
    crossBorder: boolean('cross_border').notNull().default(false),
    capacity: integer('capacity').notNull(),
    /** SM3 hash of the current QR sign-in code (the code itself is shown once, never stored). */
    signInCodeHash: text('sign_in_code_hash'),
    signInCodeExpiresAt: timestamp('sign_in_code_expires_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('training_sessions_etown_idx').on(table.etownCode, table.heldOn),
    uniqueIndex('training_sessions_sign_in_code_unique').on(table.signInCodeHash),
    check('training_sessions_capacity_positive', sql`${table.capacity} > 0`),
  ],
);

export const attendanceSources = ['manual', 'import', 'qr'] as const;

/** 签到: one row per trainee per session; the session's e-town is kept so its version trigger can bump it. */
export const trainingAttendance = pgTable(
  'training_attendance',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id, { onDelete: 'cascade' }),
    traineeId: uuid('trainee_id')
      .notNull()
      .references(() => trainees.id),
    etownCode: etownCode(),
    source: text('source', { enum: attendanceSources }).notNull(),
    signedInAt: timestamp('signed_in_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.sessionId, table.traineeId] }),
    index('training_attendance_trainee_idx').on(table.traineeId),
  ],
);
