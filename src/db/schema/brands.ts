import {
  type AnyPgColumn,
  bigint,
  boolean,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { entities } from './entities.ts';
import { regions } from './regions.ts';

const etownCode = () =>
  text('etown_code')
    .notNull()
    .references(() => regions.code);

export const brandKinds = ['regional_public', 'own'] as const;

/**
 * 品牌 (indicator 8): a regional public brand (区域公用品牌, e.g. 垣曲六宝) with its standard, or an own
 * 小而美 brand with its trademark, optionally under a regional brand (母子品牌). The ledger's brand list
 * is these rows' name and kind.
 */
export const brands = pgTable(
  'brands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    name: text('name').notNull(),
    kind: text('kind', { enum: brandKinds }).notNull(),
    description: text('description'),
    /** 品牌标准: its text or summary, and the standard document in the file store. */
    standardText: text('standard_text'),
    standardFileSha256: text('standard_file_sha256'),
    standardFileName: text('standard_file_name'),
    /** 注册商标号 (own brands). */
    trademarkNumber: text('trademark_number'),
    /** The entity that owns an own brand. */
    ownerEntityId: uuid('owner_entity_id').references(() => entities.id),
    /** 母品牌: the regional public brand an own brand sits under. */
    parentBrandId: uuid('parent_brand_id').references((): AnyPgColumn => brands.id),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('brands_etown_idx').on(table.etownCode)],
);

/**
 * 网货 products. The ledger keeps the brand by name (`brandName`); products entered in the platform also
 * link the brand row, the producing entity and their catalogue details.
 */
export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    name: text('name').notNull(),
    brandName: text('brand_name').notNull(),
    online: boolean('online').notNull(),
    brandId: uuid('brand_id').references(() => brands.id),
    entityId: uuid('entity_id').references(() => entities.id),
    category: text('category'),
    /** 规格, e.g. 250g×4袋/盒. */
    specification: text('specification'),
    priceFen: bigint('price_fen', { mode: 'bigint' }),
    description: text('description'),
    sortOrder: integer('sort_order').notNull().default(0),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('products_etown_idx').on(table.etownCode)],
);

export const promotionEventKinds = ['expo', 'competition', 'publicity'] as const;

/** 展会、大赛、宣传活动 (indicators 10, 14, 19). */
export const promotionEvents = pgTable(
  'promotion_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    etownCode: etownCode(),
    kind: text('kind', { enum: promotionEventKinds }).notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    title: text('title').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('promotion_events_etown_idx').on(table.etownCode)],
);

export const mediaChannelKinds = ['new_media', 'traditional'] as const;

export const mediaChannels = pgTable(
  'media_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Optimistic locking: bumped by every edit (src/db/versioned-update.ts). */
    version: integer('version').notNull().default(1),
    etownCode: etownCode(),
    kind: text('kind', { enum: mediaChannelKinds }).notNull(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('media_channels_etown_idx').on(table.etownCode)],
);
