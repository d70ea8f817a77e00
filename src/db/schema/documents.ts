import { date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

export const documentKinds = [
  'plan',
  'reward_policy',
  'brand_management',
  'streamlining_policy',
  'leading_group',
  'fund_management',
] as const;

/** 制度文件: policy documents with 文号 and issue date (indicators 1, 5, 9, 18, 21, 22). */
export const policyDocuments = pgTable(
  'policy_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    etownCode: text('etown_code')
      .notNull()
      .references(() => regions.code),
    kind: text('kind', { enum: documentKinds }).notNull(),
    title: text('title').notNull(),
    docNo: text('doc_no'),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    /** 发文机关 and the document itself (platform details beyond the ledger's). */
    issuer: text('issuer'),
    fileSha256: text('file_sha256'),
    fileName: text('file_name'),
    mediaType: text('media_type'),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('policy_documents_etown_idx').on(table.etownCode)],
);
