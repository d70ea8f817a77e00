import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
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
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { entities } from './entities.ts';
import { regions } from './regions.ts';

/** 支持方式: 项目补助 / 贷款贴息 / 以奖代补 / 房租减免 / 奖励. */
export const fundSupportModes = [
  'project_subsidy',
  'loan_interest_subsidy',
  'reward_in_lieu',
  'rent_reduction',
  'award',
] as const;
/** 资金来源: 省级财政 / 市级 / 县级 / 社会资本. */
export const fundSources = ['provincial', 'city', 'county', 'social'] as const;
export type FundSource = (typeof fundSources)[number];

/** 资金政策: how money is given under an issuing document, its standard and caps. */
export const fundPolicies = pgTable(
  'fund_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The issuing region: the province (14), a city or a county; it decides who sees the policy. */
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    name: text('name').notNull(),
    supportMode: text('support_mode', { enum: fundSupportModes }).notNull(),
    source: text('source', { enum: fundSources }).notNull(),
    /** A fixed amount per application, or a rate (basis points of the eligible base, 100 bp = 1 %). */
    standardKind: text('standard_kind', { enum: ['amount', 'rate'] }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }),
    rateBp: integer('rate_bp'),
    /** 单项上限: no application under the policy may be approved above it. */
    capFen: bigint('cap_fen', { mode: 'bigint' }),
    conditions: text('conditions').notNull(),
    documentTitle: text('document_title').notNull(),
    documentNumber: text('document_number').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('fund_policies_region_idx').on(table.regionCode),
    check(
      'fund_policies_standard',
      sql`(${table.standardKind} = 'amount' and ${table.amountFen} > 0 and ${table.rateBp} is null)
        or (${table.standardKind} = 'rate' and ${table.rateBp} between 1 and 10000 and ${table.amountFen} is null)`,
    ),
    check('fund_policies_cap', sql`${table.capFen} is null or ${table.capFen} > 0`),
    check('fund_policies_validity', sql`${table.validTo} is null or ${table.validTo} >= ${table.validFrom}`),
  ],
);

export const fundApplicationStatuses = ['submitted', 'returned', 'rejected', 'approved', 'settled'] as const;
export type FundApplicationStatus = (typeof fundApplicationStatuses)[number];

/** 资金申请: an enterprise or the e-town operator applies under a policy, with evidence. */
export const fundApplications = pgTable(
  'fund_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => fundPolicies.id),
    etownCode: text('etown_code')
      .notNull()
      .references(() => regions.code),
    /** The applying entity; null when the e-town operator applies for the e-town itself. */
    entityId: uuid('entity_id').references(() => entities.id),
    applicantId: uuid('applicant_id')
      .notNull()
      .references(() => users.id),
    title: text('title').notNull(),
    description: text('description').notNull(),
    /**
     * 计算基数 under a rate-type policy (贴息 on the interest actually paid, a project's eligible investment,
     * …): requested and approved may not exceed it × the policy's rate. Null under amount-type policies.
     */
    eligibleBaseFen: bigint('eligible_base_fen', { mode: 'bigint' }),
    requestedFen: bigint('requested_fen', { mode: 'bigint' }).notNull(),
    approvedFen: bigint('approved_fen', { mode: 'bigint' }),
    status: text('status', { enum: fundApplicationStatuses }).notNull().default('submitted'),
    reviewReason: text('review_reason'),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('fund_applications_etown_idx').on(table.etownCode, table.status),
    // The list's order (newest first): a province-wide page reads its twenty rows in order instead of sorting all.
    index('fund_applications_created_idx').on(table.createdAt.desc().nullsFirst(), table.id),
    check('fund_applications_requested', sql`${table.requestedFen} > 0`),
    check(
      'fund_applications_approved',
      sql`${table.approvedFen} is null or (${table.approvedFen} > 0 and ${table.approvedFen} <= ${table.requestedFen})`,
    ),
    // A rate is at most 100 %, so no request can exceed its base, whatever the policy's rate is today.
    check(
      'fund_applications_eligible_base',
      sql`${table.eligibleBaseFen} is null or (${table.eligibleBaseFen} > 0 and ${table.requestedFen} <= ${table.eligibleBaseFen})`,
    ),
  ],
);

/** Evidence attached to an application, in the content-addressed file store. */
export const fundApplicationFiles = pgTable(
  'fund_application_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => fundApplications.id, { onDelete: 'cascade' }),
    fileSha256: text('file_sha256').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('fund_application_files_idx').on(table.applicationId)],
);

/**
 * Accounts of the double-entry fund ledger, all in integer fen. A `source` account (per source and
 * region) gives money out and runs negative; an e-town's `budget` (per source) holds what is allocated
 * and not yet committed; an application's `commitment` holds what was approved and not yet paid; its
 * `paid` account what was disbursed. Only source accounts may go below zero: the check constraint is
 * what makes overspending impossible, also for concurrent requests.
 */
export const fundAccountKinds = ['source', 'budget', 'commitment', 'paid'] as const;

export const fundAccounts = pgTable(
  'fund_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: fundAccountKinds }).notNull(),
    source: text('source', { enum: fundSources }).notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    applicationId: uuid('application_id').references(() => fundApplications.id),
    /** Stored balance: the sum of the account's entries (`ezhen funds verify` rebuilds and compares). */
    balanceFen: bigint('balance_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('fund_accounts_identity_uq')
      .on(table.kind, table.source, table.regionCode, table.applicationId)
      .nullsNotDistinct(),
    check('fund_accounts_non_negative', sql`${table.kind} = 'source' or ${table.balanceFen} >= 0`),
    check(
      'fund_accounts_application',
      sql`(${table.kind} in ('commitment', 'paid')) = (${table.applicationId} is not null)`,
    ),
  ],
);

/** 拨付 / 下达 / 核定 / 结算: one balanced transaction; its entries sum to zero (a deferred trigger checks). */
export const fundTransactionKinds = ['allocate', 'approve', 'disburse', 'settle'] as const;

export const fundTransactions = pgTable(
  'fund_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: fundTransactionKinds }).notNull(),
    applicationId: uuid('application_id').references(() => fundApplications.id),
    memo: text('memo').notNull(),
    /** 文号 or 凭证号 behind the transaction (allocation document, payment voucher). */
    reference: text('reference'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('fund_transactions_application_idx').on(table.applicationId)],
);

export const fundEntries = pgTable(
  'fund_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => fundTransactions.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => fundAccounts.id),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
  },
  (table) => [
    index('fund_entries_transaction_idx').on(table.transactionId),
    index('fund_entries_account_idx').on(table.accountId),
    check('fund_entries_non_zero', sql`${table.amountFen} <> 0`),
  ],
);

/** 拨付: the instalments of an approved application, each with its balanced transaction. */
export const fundDisbursements = pgTable(
  'fund_disbursements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => fundApplications.id),
    instalment: integer('instalment').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    voucherNumber: text('voucher_number').notNull(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => fundTransactions.id),
    /** Who registered the instalment (the county operator; on an approved request, who asked for it). */
    createdBy: uuid('created_by').references(() => users.id),
    /** The county finance bureau's approver, where the county requires its approval before paying. */
    approvedBy: uuid('approved_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    unique('fund_disbursements_instalment_uq').on(table.applicationId, table.instalment),
    check('fund_disbursements_amount', sql`${table.amountFen} > 0`),
  ],
);

/**
 * Idempotency keys: a write retried with the same `Idempotency-Key` gets the first answer again
 * instead of doing the work twice (no double payment).
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    key: text('key').notNull(),
    /** `POST /api/…` as called; the same key on another route or with another body is refused. */
    route: text('route').notNull(),
    requestSha256: text('request_sha256').notNull(),
    statusCode: integer('status_code').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] })],
);

/**
 * 拨付需县财政局审批: a county's own setting. When on, an instalment the county operator registers is a
 * request that the county finance bureau approves (then it is paid) or returns with a reason.
 */
export const countyFundSettings = pgTable('county_fund_settings', {
  countyCode: text('county_code')
    .primaryKey()
    .references(() => regions.code),
  disbursementApprovalRequired: boolean('disbursement_approval_required').notNull().default(false),
  /** Optimistic locking: bumped by every edit (src/db/versioned-upsert.ts). */
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const disbursementRequestStatuses = ['pending', 'approved', 'returned'] as const;
export type DisbursementRequestStatus = (typeof disbursementRequestStatuses)[number];

/**
 * 拨付申请: an instalment waiting for the county finance bureau. Nothing moves in the ledger until it is
 * approved; then it becomes an instalment (fund_disbursements) with its balanced transaction.
 */
export const fundDisbursementRequests = pgTable(
  'fund_disbursement_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => fundApplications.id),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    voucherNumber: text('voucher_number').notNull(),
    note: text('note'),
    status: text('status', { enum: disbursementRequestStatuses }).notNull().default('pending'),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid('decided_by').references(() => users.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The approver's note, or the reason a request was returned. */
    decisionNote: text('decision_note'),
    /** The instalment an approved request became. */
    disbursementId: uuid('disbursement_id').references(() => fundDisbursements.id),
  },
  (table) => [
    index('fund_disbursement_requests_application_idx').on(table.applicationId, table.status),
    check('fund_disbursement_requests_amount', sql`${table.amountFen} > 0`),
    check(
      'fund_disbursement_requests_decided',
      sql`(${table.status} = 'approved') = (${table.disbursementId} is not null)
        and (${table.status} = 'pending') = (${table.decidedAt} is null)`,
    ),
  ],
);
