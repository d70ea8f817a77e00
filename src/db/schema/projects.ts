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
import { users } from './accounts.ts';
import { entities } from './entities.ts';
import { fundSources } from './funds.ts';
import { regions } from './regions.ts';

const etownCode = () =>
  text('etown_code')
    .notNull()
    .references(() => regions.code);

export const projectStatuses = ['planned', 'in_progress', 'completed', 'suspended'] as const;

/** 项目台账: an e-town's construction project with its owner, schedule and status. */
export const projects = pgTable(
  'projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    name: text('name').notNull(),
    ownerEntityId: uuid('owner_entity_id').references(() => entities.id),
    description: text('description'),
    status: text('status', { enum: projectStatuses }).notNull().default('planned'),
    plannedStart: date('planned_start', { mode: 'string' }),
    plannedEnd: date('planned_end', { mode: 'string' }),
    actualStart: date('actual_start', { mode: 'string' }),
    actualEnd: date('actual_end', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('projects_etown_idx').on(table.etownCode),
    check(
      'projects_planned_order',
      sql`${table.plannedEnd} is null or ${table.plannedStart} is null or ${table.plannedEnd} >= ${table.plannedStart}`,
    ),
  ],
);

/** 里程碑: planned and actual dates. */
export const projectMilestones = pgTable(
  'project_milestones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    plannedOn: date('planned_on', { mode: 'string' }).notNull(),
    actualOn: date('actual_on', { mode: 'string' }),
    sortOrder: integer('sort_order').notNull().default(0),
  },
  (table) => [index('project_milestones_project_idx').on(table.projectId)],
);

/** 进度报告 with photos (project_photos.reportId). */
export const projectProgressReports = pgTable(
  'project_progress_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    reportedOn: date('reported_on', { mode: 'string' }).notNull(),
    progressPct: integer('progress_pct').notNull(),
    summary: text('summary').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('project_progress_reports_idx').on(table.projectId, table.reportedOn),
    check('project_progress_pct', sql`${table.progressPct} between 0 and 100`),
  ],
);

/** Photos of a project (of a progress report when `reportId` is set), in the file store. */
export const projectPhotos = pgTable(
  'project_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    projectId: uuid('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    reportId: uuid('report_id').references(() => projectProgressReports.id, { onDelete: 'cascade' }),
    fileSha256: text('file_sha256').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('project_photos_project_idx').on(table.projectId)],
);

/**
 * 投资: investment into an e-town's construction projects, integer fen (indicator 25). The ledger keeps
 * the project by name; investments entered in the platform also link the project and the source.
 */
export const investments = pgTable(
  'investments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    project: text('project').notNull(),
    projectId: uuid('project_id').references(() => projects.id),
    source: text('source', { enum: fundSources }),
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
    /** Platform details beyond the ledger's: the project that built it and its opening date. */
    projectId: uuid('project_id').references(() => projects.id),
    openedOn: date('opened_on', { mode: 'string' }),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('facilities_etown_idx').on(table.etownCode)],
);

export const facilityPhotos = pgTable(
  'facility_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    facilityId: uuid('facility_id')
      .notNull()
      .references(() => facilities.id, { onDelete: 'cascade' }),
    fileSha256: text('file_sha256').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('facility_photos_facility_idx').on(table.facilityId)],
);

export const incidentCategories = [
  'land',
  'environment',
  'debt',
  'housing_speculation',
  'work_safety',
] as const;

/**
 * 违规事件 (indicator 20). Recorded by the county (or city, province), never by the e-town it concerns:
 * the e-town answers it (情况说明 / 整改说明), with who answered and when.
 */
export const complianceIncidents = pgTable(
  'compliance_incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    etownCode: etownCode(),
    occurredOn: date('occurred_on', { mode: 'string' }).notNull(),
    category: text('category', { enum: incidentCategories }).notNull(),
    description: text('description'),
    /** 处置情况 and when it was handled (platform details beyond the ledger's). */
    handling: text('handling'),
    handledOn: date('handled_on', { mode: 'string' }),
    /** Who recorded it in the platform; null for incidents that came in with a ledger file. */
    recordedBy: uuid('recorded_by').references(() => users.id),
    /** The e-town's answer: explanation or rectification statement, by whom and when. */
    answer: text('answer'),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('compliance_incidents_etown_idx').on(table.etownCode)],
);

export const inspectionKinds = ['routine', 'onsite', 'third_party'] as const;

/** 日常监督检查 / 现场检查 / 第三方检查 of an e-town; its findings form the problem list. */
export const inspections = pgTable(
  'inspections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    kind: text('kind', { enum: inspectionKinds }).notNull(),
    inspectedOn: date('inspected_on', { mode: 'string' }).notNull(),
    /** Who inspected: the team or, for third-party checks, the agency. */
    inspectors: text('inspectors').notNull(),
    summary: text('summary').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('inspections_etown_idx').on(table.etownCode, table.inspectedOn)],
);

export const findingStatuses = ['open', 'rectified', 'closed'] as const;

/** 问题清单: a finding with its owner and deadline, rectified with evidence, closed by the inspector. */
export const inspectionFindings = pgTable(
  'inspection_findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id, { onDelete: 'cascade' }),
    etownCode: etownCode(),
    description: text('description').notNull(),
    /** 责任单位 / 责任人. */
    owner: text('owner').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    status: text('status', { enum: findingStatuses }).notNull().default('open'),
    rectificationNote: text('rectification_note'),
    rectifiedAt: timestamp('rectified_at', { withTimezone: true }),
    rectifiedBy: uuid('rectified_by').references(() => users.id),
    closeNote: text('close_note'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('inspection_findings_etown_idx').on(table.etownCode, table.status, table.deadline)],
);

/** Rectification evidence of a finding, in the file store. */
export const findingFiles = pgTable(
  'finding_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    findingId: uuid('finding_id')
      .notNull()
      .references(() => inspectionFindings.id, { onDelete: 'cascade' }),
    fileSha256: text('file_sha256').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('finding_files_finding_idx').on(table.findingId)],
);
