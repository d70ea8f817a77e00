import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { brands, products } from './brands.ts';
import { entities, entityShops } from './entities.ts';

/**
 * Brand authorization (品牌授权): applied → authorized (certificate number, term) or rejected;
 * an authorized one may be suspended (and reinstated) or revoked. Expiry is not a status: it is read
 * from `validTo`, so an expired authorization stops counting the moment its term ends.
 */
export const brandAuthorizationStatuses = [
  'applied',
  'authorized',
  'rejected',
  'suspended',
  'revoked',
] as const;
export type BrandAuthorizationStatus = (typeof brandAuthorizationStatuses)[number];

export const brandAuthorizations = pgTable(
  'brand_authorizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    brandId: uuid('brand_id')
      .notNull()
      .references(() => brands.id),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id),
    /** The named products the entity asks to sell under the brand. */
    productNames: text('product_names').array().notNull(),
    applicationNote: text('application_note'),
    status: text('status', { enum: brandAuthorizationStatuses }).notNull().default('applied'),
    certificateNumber: text('certificate_number').unique(),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    /** Why it was rejected, suspended or revoked (the full history is in the events). */
    statusReason: text('status_reason'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('brand_authorizations_brand_idx').on(table.brandId, table.status),
    index('brand_authorizations_entity_idx').on(table.entityId),
    check(
      'brand_authorizations_certificate',
      sql`${table.status} in ('applied','rejected') or (${table.certificateNumber} is not null
        and ${table.validFrom} is not null and ${table.validTo} is not null and ${table.validTo} >= ${table.validFrom})`,
    ),
  ],
);

export const brandAuthorizationActions = [
  'applied',
  'authorized',
  'rejected',
  'suspended',
  'reinstated',
  'revoked',
  'renewed',
] as const;

/** Every step of an authorization with who, when and why. */
export const brandAuthorizationEvents = pgTable(
  'brand_authorization_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    authorizationId: uuid('authorization_id')
      .notNull()
      .references(() => brandAuthorizations.id, { onDelete: 'cascade' }),
    action: text('action', { enum: brandAuthorizationActions }).notNull(),
    reason: text('reason'),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('brand_authorization_events_idx').on(table.authorizationId, table.at)],
);

export const supervisionResults = ['pass', 'fail'] as const;

/** 监督检查 of an authorized entity against the brand's standard. */
export const brandSupervisionChecks = pgTable(
  'brand_supervision_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    authorizationId: uuid('authorization_id')
      .notNull()
      .references(() => brandAuthorizations.id, { onDelete: 'cascade' }),
    checkedOn: date('checked_on', { mode: 'string' }).notNull(),
    result: text('result', { enum: supervisionResults }).notNull(),
    findings: text('findings').notNull(),
    inspectorId: uuid('inspector_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('brand_supervision_checks_idx').on(table.authorizationId, table.checkedOn)],
);

export const certificationKinds = [
  'green_food',
  'organic',
  'geographic_indication',
  'compliance_certificate',
] as const;

/** 认证: 绿色食品, 有机, 地理标志, 承诺达标合格证 — number, issuer and validity. */
export const productCertifications = pgTable(
  'product_certifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: certificationKinds }).notNull(),
    number: text('number').notNull(),
    issuer: text('issuer'),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('product_certifications_product_idx').on(table.productId)],
);

/** Product photos in the content-addressed file store. */
export const productPhotos = pgTable(
  'product_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    fileSha256: text('file_sha256').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('product_photos_product_idx').on(table.productId)],
);

/** The entity's online shops that sell the product (the scan page's "buy" links). */
export const productShops = pgTable(
  'product_shops',
  {
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'cascade' }),
    shopId: uuid('shop_id')
      .notNull()
      .references(() => entityShops.id, { onDelete: 'cascade' }),
    /** The product's own page in that shop, when known. */
    url: text('url'),
  },
  (table) => [primaryKey({ columns: [table.productId, table.shopId] })],
);

/** 批次: produced or harvested on a date, a quantity, the origin base; recalled with a reason. */
export const productBatches = pgTable(
  'product_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    batchNumber: text('batch_number').notNull(),
    producedOn: date('produced_on', { mode: 'string' }).notNull(),
    quantity: integer('quantity').notNull(),
    unit: text('unit').notNull(),
    originBase: text('origin_base').notNull(),
    recalledAt: timestamp('recalled_at', { withTimezone: true }),
    recallReason: text('recall_reason'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('product_batches_number_uq').on(table.productId, table.batchNumber),
    check('product_batches_quantity', sql`${table.quantity} > 0`),
  ],
);

export const inspectionResults = ['pass', 'fail'] as const;

/** 检验检测 of a batch, with its report in the file store. */
export const batchInspections = pgTable(
  'batch_inspections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => productBatches.id, { onDelete: 'cascade' }),
    inspectedOn: date('inspected_on', { mode: 'string' }).notNull(),
    agency: text('agency').notNull(),
    items: text('items').notNull(),
    result: text('result', { enum: inspectionResults }).notNull(),
    reportFileSha256: text('report_file_sha256'),
    reportFileName: text('report_file_name'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('batch_inspections_batch_idx').on(table.batchId)],
);

/**
 * 赋码批次: one request generating serialized trace codes for a batch. `runNumber` is short and
 * global, so a code can name its run (and so its batch) without a lookup.
 */
export const traceCodeRuns = pgTable(
  'trace_code_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    runNumber: bigserial('run_number', { mode: 'number' }).notNull().unique(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => productBatches.id),
    firstSerial: bigint('first_serial', { mode: 'number' }).notNull(),
    count: integer('count').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    jobId: uuid('job_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('trace_code_runs_batch_idx').on(table.batchId),
    check('trace_code_runs_count', sql`${table.count} between 1 and 1000000`),
  ],
);

/** One serialized code per package, written once when generated; its scans are in code_scans. */
export const traceCodes = pgTable(
  'trace_codes',
  {
    code: text('code').primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => traceCodeRuns.id),
    serial: bigint('serial', { mode: 'number' }).notNull(),
  },
  (table) => [index('trace_codes_run_idx').on(table.runId)],
);

/**
 * 扫码状态 of a code that has been scanned: first and last scan and the count. Only scanned codes have a row
 * ("almost nobody scans"), so trace_codes stays write-once and a scan updates a small table, in place.
 */
export const codeScans = pgTable(
  'code_scans',
  {
    code: text('code')
      .primaryKey()
      .references(() => traceCodes.code),
    runId: uuid('run_id')
      .notNull()
      .references(() => traceCodeRuns.id),
    firstScannedAt: timestamp('first_scanned_at', { withTimezone: true }).notNull(),
    lastScannedAt: timestamp('last_scanned_at', { withTimezone: true }).notNull(),
    scanCount: integer('scan_count').notNull(),
  },
  (table) => [
    index('code_scans_run_first_idx').on(table.runId, table.firstScannedAt),
    check('code_scans_count', sql`${table.scanCount} > 0`),
  ],
);

/**
 * 扫码统计: scans per run, China calendar day, client and — only if an IP-location database is configured —
 * coarse region (null: unknown, never guessed). Nothing about the person who scanned is kept; codes first
 * scanned are counted from code_scans.
 */
export const scanTallies = pgTable(
  'scan_tallies',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: uuid('run_id')
      .notNull()
      .references(() => traceCodeRuns.id),
    day: date('day', { mode: 'string' }).notNull(),
    /** wechat | alipay | browser: which app opened the page, from the user agent. */
    client: text('client').notNull(),
    regionCode: text('region_code'),
    scans: integer('scans').notNull(),
  },
  (table) => [
    unique('scan_tallies_cell_uq')
      .on(table.runId, table.day, table.client, table.regionCode)
      .nullsNotDistinct(),
    index('scan_tallies_day_idx').on(table.day),
    check('scan_tallies_scans', sql`${table.scans} > 0`),
  ],
);

export const scanAnomalyKinds = ['excessive_scans', 'recalled_batch', 'revoked_brand'] as const;
export const scanAnomalyStatuses = ['open', 'confirmed', 'dismissed'] as const;

/** 异常扫码: a code scanned far more than a real package would be, or after its batch was recalled. */
export const scanAnomalies = pgTable(
  'scan_anomalies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    runId: uuid('run_id').notNull(),
    kind: text('kind', { enum: scanAnomalyKinds }).notNull(),
    scanCount: integer('scan_count').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status', { enum: scanAnomalyStatuses }).notNull().default('open'),
    reviewNote: text('review_note'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('scan_anomalies_code_kind_uq').on(table.code, table.kind),
    index('scan_anomalies_status_idx').on(table.status, table.detectedAt),
  ],
);
