import { z } from 'zod';
import { regionLevels } from '../../db/schema/regions.ts';
import { monthlySources } from '../../db/schema/stats.ts';
import { regionCodeSchema } from '../../http/schemas.ts';

/** Ranges longer than three years make unreadable charts and heavy workbooks. */
export const MAX_AGGREGATE_MONTHS = 36;

const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
  .refine((month) => month >= '2020-01', '月份不早于 2020-01');

export const aggregateQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  fromMonth: monthSchema.optional(),
  toMonth: monthSchema.optional(),
});
export type AggregateQuery = z.infer<typeof aggregateQuerySchema>;

export const aggregateRowsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  /** One month; without it the range fromMonth–toMonth (by default the last twelve complete months). */
  month: monthSchema.optional(),
  fromMonth: monthSchema.optional(),
  toMonth: monthSchema.optional(),
  /** One entity of an e-town (the e-town's children are its entities). */
  entityId: z.uuid('市场主体编号格式不正确').optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100, '每页不超过 100 行').default(20),
});
export type AggregateRowsQuery = z.infer<typeof aggregateRowsQuerySchema>;

/** The six figures summed, money in yuan with two decimals (exact, from integer fen), and the rows behind them. */
const measuresShape = {
  rows: z.number(),
  outputYuan: z.string(),
  onlineRetailYuan: z.string(),
  crossBorderYuan: z.string(),
  orders: z.number(),
  employees: z.number(),
  ecommerceEmployees: z.number(),
};
export const aggregateMeasuresSchema = z.object(measuresShape);
export type AggregateMeasures = z.infer<typeof aggregateMeasuresSchema>;

/** Percent with two decimals ("12.50", "-3.00"); null when the base month has no approved figures or is zero. */
const pct = z.string().nullable();

export const aggregateCellSchema = z.object({
  ...measuresShape,
  month: z.string(),
  outputMomPct: pct,
  outputYoyPct: pct,
  onlineRetailMomPct: pct,
  onlineRetailYoyPct: pct,
});
export type AggregateCell = z.infer<typeof aggregateCellSchema>;

export const aggregateSeriesLevels = [...regionLevels, 'entity'] as const;
export type AggregateSeriesLevel = (typeof aggregateSeriesLevels)[number];

export const aggregateSeriesSchema = z.object({
  /** A region code, or an entity's id when the series is one entity of an e-town. */
  code: z.string(),
  name: z.string(),
  level: z.enum(aggregateSeriesLevels),
  creditCode: z.string().nullable(),
  months: z.array(aggregateCellSchema),
  /** The range summed; its YoY compares with the same months a year earlier (累计同比). */
  total: z.object({ ...measuresShape, outputYoyPct: pct, onlineRetailYoyPct: pct }),
});
export type AggregateSeries = z.infer<typeof aggregateSeriesSchema>;

export const monthlyAggregatesSchema = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.enum(regionLevels) }),
  fromMonth: z.string(),
  toMonth: z.string(),
  months: z.array(z.string()),
  childLevel: z.enum(aggregateSeriesLevels),
  series: aggregateSeriesSchema,
  children: z.array(aggregateSeriesSchema),
});
export type MonthlyAggregates = z.infer<typeof monthlyAggregatesSchema>;

export const aggregateRowSchema = z.object({
  id: z.string(),
  month: z.string(),
  entity: z.object({ id: z.string(), name: z.string(), creditCode: z.string() }),
  etown: z.object({ code: z.string(), name: z.string() }),
  outputYuan: z.string(),
  onlineRetailYuan: z.string(),
  crossBorderYuan: z.string(),
  orders: z.number(),
  employees: z.number(),
  ecommerceEmployees: z.number(),
  source: z.enum(monthlySources),
  reviewedAt: z.string().nullable(),
});
export type AggregateRow = z.infer<typeof aggregateRowSchema>;

export const aggregateRowsSchema = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.enum(regionLevels) }),
  fromMonth: z.string(),
  toMonth: z.string(),
  entity: z.object({ id: z.string(), name: z.string() }).nullable(),
  page: z.number(),
  pageSize: z.number(),
  /** All rows behind the cell (not just this page), and their sums: the aggregate itself. */
  total: z.number(),
  totals: aggregateMeasuresSchema,
  items: z.array(aggregateRowSchema),
});
export type AggregateRows = z.infer<typeof aggregateRowsSchema>;
