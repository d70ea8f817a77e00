import { z } from 'zod';
import { isoDateSchema } from '../../http/schemas.ts';
import { monthlyRulesSchema } from './monthly-rules.ts';

export const statsMonthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
  .refine((month) => month >= '2020-01', '月份不早于 2020-01');

export const deadlineYearQuerySchema = z.object({
  year: z.coerce.number('年份须为数字').int('年份须为整数').min(2020, '年份不早于 2020').max(2100),
});

/** One month's submission deadline: the province's override or the default day of the next month. */
export const monthDeadlineSchema = z.object({
  month: z.string(),
  deadline: z.string(),
  defaultDeadline: z.string(),
  isDefault: z.boolean(),
  /** Who set the override and when; null for the default. */
  setByName: z.string().nullable(),
  updatedAt: z.string().nullable(),
});
export type MonthDeadline = z.infer<typeof monthDeadlineSchema>;

export const setDeadlineBodySchema = z.object({ deadline: isoDateSchema });

/** The validation rules with who changed them last (null while the defaults apply). */
export const monthlyRulesWithChangeSchema = monthlyRulesSchema.extend({
  lastChange: z.object({ at: z.string(), byName: z.string() }).nullable(),
});
export type MonthlyRulesWithChange = z.infer<typeof monthlyRulesWithChangeSchema>;
