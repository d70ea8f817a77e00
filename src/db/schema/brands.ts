import { boolean, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { regions } from './regions.ts';

const etownCode = () =>
  text('etown_code')
    .notNull()
    .references(() => regions.code);

export const brandKinds = ['regional_public', 'own'] as const;

/** 品牌 (indicator 8). */
export const brands = pgTable(
  'brands',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    name: text('name').notNull(),
    kind: text('kind', { enum: brandKinds }).notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('brands_etown_idx').on(table.etownCode)],
);

/** 网货 products; the brand is kept by name, as the ledger names it. */
export const products = pgTable(
  'products',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    etownCode: etownCode(),
    name: text('name').notNull(),
    brandName: text('brand_name').notNull(),
    online: boolean('online').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
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
    etownCode: etownCode(),
    kind: text('kind', { enum: mediaChannelKinds }).notNull(),
    name: text('name').notNull(),
    sortOrder: integer('sort_order').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('media_channels_etown_idx').on(table.etownCode)],
);
