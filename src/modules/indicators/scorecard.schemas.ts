import { z } from 'zod';
import { etownCodeSchema, regionCodeSchema } from '../../http/schemas.ts';

const statusSchema = z.enum(['met', 'unmet', 'pending']);
const summarySchema = z.object({ met: z.number(), unmet: z.number(), pending: z.number() });
const tierSchema = z.enum(['pilot_demo', 'overall_advance', 'key_support']);
/** The engine's `FactValue`: what a fact behind an indicator's status can be. */
const factValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
const yearSchema = z.coerce.number().int().min(2020, '年度不早于 2020').max(2100);

export const etownYearParamsSchema = z.object({ code: etownCodeSchema });
export const yearQuerySchema = z.object({ year: yearSchema });

const scorecardIndicatorSchema = z.object({
  no: z.number(),
  title: z.string(),
  category: z.string(),
  /** 建设内容 and 建设标准 as worded in the catalog: the target the figures are read against. */
  content: z.string(),
  standard: z.string(),
  status: statusSchema,
  /** What was found against the standard, one line per condition (Chinese), e.g. "主导产业2个（要求1—3个）". */
  values: z.array(z.string()),
  facts: z.record(z.string(), factValueSchema),
  reasons: z.array(z.string()),
  /** The status at the end of the previous month (rows dated after it left out); null when unknown. */
  previousStatus: statusSchema.nullable(),
});

export const scorecardSchema = z.object({
  etown: z.object({ code: z.string(), name: z.string() }),
  year: z.number(),
  tier: tierSchema,
  catalog: z.object({ id: z.string(), version: z.number() }),
  summary: summarySchema,
  /**
   * Set while the year has not ended: figures cover January through `throughMonth` and growth compares them
   * with the same months of the year before; targets not yet reached are pending (年度进行中).
   */
  running: z.object({ asOf: z.string(), throughMonth: z.number().int() }).nullable(),
  indicators: z.array(scorecardIndicatorSchema),
  trend: z.object({ asOf: z.string(), summary: summarySchema }),
  addOns: z.array(
    z.object({
      catalog: z.object({ id: z.string(), version: z.number(), title: z.string() }),
      summary: summarySchema,
      indicators: z.array(scorecardIndicatorSchema),
    }),
  ),
});
export type Scorecard = z.infer<typeof scorecardSchema>;

export const overviewQuerySchema = z.object({
  year: yearSchema,
  /** Only e-towns under this region (the header's region switcher); outside the user's scope: 404. */
  regionCode: regionCodeSchema.optional(),
  cityCode: regionCodeSchema.optional(),
  tier: tierSchema.optional(),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

export const overviewSchema = z.object({
  year: z.number(),
  /** The year has not ended: statuses judge it as running (targets not yet reached are pending). */
  running: z.boolean(),
  /** The binding indicators in Annex-2 order; `statuses[i]` of a row is for `indicators[i]`. */
  indicators: z.array(z.object({ no: z.number(), title: z.string(), category: z.string() })),
  etowns: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      county: z.object({ code: z.string(), name: z.string() }),
      city: z.object({ code: z.string(), name: z.string() }),
      tier: tierSchema,
      statuses: z.array(statusSchema),
      summary: summarySchema,
    }),
  ),
  /** Per indicator, in the same order: how many of the listed e-towns meet, miss or are pending. */
  totals: z.array(z.object({ no: z.number(), met: z.number(), unmet: z.number(), pending: z.number() })),
  /** E-towns in scope that cannot be evaluated (no county tier, data that is not a valid ledger). */
  notEvaluated: z.array(z.object({ code: z.string(), name: z.string(), reason: z.string() })),
});
export type Overview = z.infer<typeof overviewSchema>;
