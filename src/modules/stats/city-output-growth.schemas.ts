import { z } from 'zod';
import { loadedVersionSchema, recordVersionSchema } from '../../http/schemas.ts';

/** A city's average growth of total output in a year, percent (indicator 23 compares against it + 2). */
export const growthPctSchema = z
  .string()
  .trim()
  .regex(/^-?\d{1,3}(\.\d{1,4})?$/, '增长率须为百分数，最多三位整数、四位小数，如 6.5 或 -1.25');

export const cityCodeParamsSchema = z.object({
  cityCode: z.string().regex(/^[0-9]{4}$/, '市级区划代码应为 4 位数字'),
});
export const cityYearParamsSchema = cityCodeParamsSchema.extend({
  year: z.coerce.number().int().min(2020, '年度不早于 2020').max(2100, '年度不晚于 2100'),
});

export const cityOutputGrowthBodySchema = z.object({
  growthPct: growthPctSchema,
  /** Where the figure comes from, e.g. "运城市2026年国民经济和社会发展统计公报". */
  source: z.string().trim().min(2, '请填写数据来源，如统计公报').max(200, '数据来源不超过 200 字'),
  /** The figure's version the page loaded; absent or null for a year it showed no figure of. */
  version: loadedVersionSchema,
});
export type CityOutputGrowthBody = z.infer<typeof cityOutputGrowthBodySchema>;

export const cityOutputGrowthEntrySchema = z.object({
  cityCode: z.string(),
  year: z.number().int(),
  growthPct: z.string(),
  source: z.string(),
  updatedAt: z.string(),
  updatedByName: z.string().nullable(),
  version: recordVersionSchema,
});
export type CityOutputGrowthEntry = z.infer<typeof cityOutputGrowthEntrySchema>;

export const cityOutputGrowthListSchema = z.object({
  city: z.object({ code: z.string(), name: z.string() }),
  /** The city's e-towns: every one of them is evaluated against the city's figure of the year. */
  etownCount: z.number().int(),
  entries: z.array(cityOutputGrowthEntrySchema),
});
export type CityOutputGrowthList = z.infer<typeof cityOutputGrowthListSchema>;
