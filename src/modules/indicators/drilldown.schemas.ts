import { z } from 'zod';
import { etownCodeSchema } from '../../http/schemas.ts';

/** A table cell: text, tags, or a link. */
const drillCellSchema = z.union([
  z.string(),
  z.object({ tags: z.array(z.string()) }),
  z.object({ href: z.string(), text: z.string() }),
]);
const drillColumnSchema = z.object({
  key: z.string(),
  title: z.string(),
  align: z.enum(['right', 'center']).optional(),
  width: z.number().optional(),
});
const drillRowSchema = z.object({ key: z.string(), cells: z.record(z.string(), drillCellSchema) });
const drillExcludedRowSchema = drillRowSchema.extend({
  /** Why the engine did not count this row (Chinese). */
  reason: z.string(),
});

const drillTableSectionSchema = z.object({
  kind: z.literal('table'),
  key: z.string(),
  title: z.string(),
  summary: z.string(),
  /** Whether the rows of this condition meet it; absent where the indicator's own verdict says it all. */
  verdict: z.enum(['met', 'unmet']).optional(),
  columns: z.array(drillColumnSchema),
  /** The rows the engine counted, in ledger order. */
  rows: z.array(drillRowSchema),
  /** Rows of the same list the engine looked at but did not count, with the reason. */
  excluded: z.array(drillExcludedRowSchema),
  emptyText: z.string(),
  /** A closing row: its label and the cells under some columns. */
  total: z.object({ label: z.string(), cells: z.record(z.string(), z.string()) }).optional(),
});

const drillMonthlySectionSchema = z.object({
  kind: z.literal('monthly'),
  key: z.string(),
  title: z.string(),
  measure: z.enum(['output', 'online_retail']),
  year: z.number(),
  previousYear: z.number(),
  summary: z.string(),
  /** The months compared, "1—11月" while the year runs; "" for a closed year (all twelve). */
  comparedMonths: z.string(),
  /** Twelve rows, money as "12,345.60"; null where the ledger has no row for that month. */
  months: z.array(
    z.object({
      month: z.number(),
      /** False for a month after the latest month compared in a running year. */
      compared: z.boolean(),
      previous: z.string().nullable(),
      current: z.string().nullable(),
      /** Year-on-year change of the month ("+12.3%", "−4.0%"); null where either is missing or 0. */
      change: z.string().nullable(),
    }),
  ),
  /** The totals the engine compared, to the fen. */
  previousTotal: z.string(),
  currentTotal: z.string(),
  /** The growth in percent as the engine computed it; null when it could not. */
  growth: z.string().nullable(),
  previousRows: z.number(),
  currentRows: z.number(),
  /** The entities with rows in the months compared, the largest in `year` first. */
  contributors: z.array(
    z.object({
      creditCode: z.string(),
      name: z.string(),
      previous: z.string(),
      current: z.string(),
      share: z.string(),
    }),
  ),
});

const drillFactsSectionSchema = z.object({
  kind: z.literal('facts'),
  key: z.string(),
  title: z.string(),
  items: z.array(z.object({ label: z.string(), value: z.string() })),
});

const drillNoteSectionSchema = z.object({ kind: z.literal('note'), key: z.string(), text: z.string() });

export const drillSectionSchema = z.discriminatedUnion('kind', [
  drillTableSectionSchema,
  drillMonthlySectionSchema,
  drillFactsSectionSchema,
  drillNoteSectionSchema,
]);

export const drilldownParamsSchema = z.object({
  code: etownCodeSchema,
  no: z.coerce.number().int().min(1, '指标序号须为正整数'),
});

export const drilldownQuerySchema = z.object({
  year: z.coerce.number().int().min(2020, '年度不早于 2020').max(2100),
  /** The catalog the indicator belongs to: the province's (default) or the county add-on's id. */
  catalog: z.string().min(1).max(100).optional(),
});

export const drilldownSchema = z.object({
  etown: z.object({ code: z.string(), name: z.string() }),
  year: z.number(),
  catalog: z.object({ id: z.string(), version: z.number(), title: z.string() }),
  indicator: z.object({ no: z.number(), title: z.string() }),
  /** The facts the engine recorded, labelled in Chinese, in catalog order. */
  facts: z.array(z.object({ label: z.string(), value: z.string() })),
  /** The ledger rows behind each condition, display-ready. */
  sections: z.array(drillSectionSchema),
});

export type DrillSection = z.infer<typeof drillSectionSchema>;
export type DrillTableSection = Extract<DrillSection, { kind: 'table' }>;
export type DrillMonthlySection = Extract<DrillSection, { kind: 'monthly' }>;
export type Drilldown = z.infer<typeof drilldownSchema>;
