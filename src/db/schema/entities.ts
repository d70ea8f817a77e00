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

export const entityTypes = ['enterprise', 'individual', 'cooperative', 'family_farm', 'institution'] as const;
export type EntityType = (typeof entityTypes)[number];
export const entityStatuses = ['active', 'exited'] as const;

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
    /** 企业 / 个体工商户 / 合作社 / 家庭农场 / 机构. */
    entityType: text('entity_type', { enum: entityTypes }).notNull().default('enterprise'),
    address: text('address'),
    contactName: text('contact_name'),
    /** The contact phone, SM4-encrypted; shown as `contactPhoneMasked` unless the role may see it. */
    contactPhoneCipher: text('contact_phone_cipher'),
    contactPhoneMasked: text('contact_phone_masked'),
    /** Why a code failing its GB 32100 check character was accepted (administrator's documented override). */
    creditCodeOverride: text('credit_code_override'),
    /** 在册 / 已退出 (退出 with its date and reason). */
    status: text('status', { enum: entityStatuses }).notNull().default('active'),
    exitedOn: date('exited_on', { mode: 'string' }),
    exitReason: text('exit_reason'),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** Position in the e-town's ledger list, so an export lists entities in the order they were imported. */
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('entities_etown_idx').on(table.etownCode),
    // Scope filters are code prefixes (`like '140827%'`): a plain index serves them only under the C collation.
    index('entities_etown_prefix_idx').on(table.etownCode.op('text_pattern_ops')),
    // Keyword search (`ilike '%…%'` on name or credit code) through trigrams (pg_trgm, created by migration
    // 0021): a keyword of three characters or more reads the index instead of every row in scope.
    index('entities_name_trgm_idx').using('gin', table.name.op('gin_trgm_ops')),
    index('entities_credit_code_trgm_idx').using('gin', table.creditCode.op('gin_trgm_ops')),
  ],
);

/** The tags an `ezhen-ledger/1` file carries (the format's list, in its order). */
export const ledgerEntityTags = [
  'ecommerce',
  'leading',
  'cross_border',
  'finance_outlet',
  'telecom_outlet',
  'rnd',
] as const;
export type LedgerEntityTag = (typeof ledgerEntityTags)[number];
/** The registry's tags: the ledger's and 培训机构, which no indicator counts and no ledger file carries. */
export const entityTags = [...ledgerEntityTags, 'training'] as const;
export type EntityTagCode = (typeof entityTags)[number];

export const entityTagAssignments = pgTable(
  'entity_tags',
  {
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    tag: text('tag', { enum: entityTags }).notNull(),
    /** Why and since when the entity carries the tag (the history is in entity_tag_events). */
    reason: text('reason'),
    taggedOn: date('tagged_on', { mode: 'string' }),
  },
  (table) => [primaryKey({ columns: [table.entityId, table.tag] })],
);

/** Online shops of an entity: platform + shop name + link. */
export const entityShops = pgTable(
  'entity_shops',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    entityId: uuid('entity_id')
      .notNull()
      .references(() => entities.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    shopName: text('shop_name').notNull(),
    url: text('url'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('entity_shops_entity_idx').on(table.entityId)],
);
