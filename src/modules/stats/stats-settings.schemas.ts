import { z } from 'zod';
import { isoDateSchema, loadedVersionSchema, storedVersionSchema } from '../../http/schemas.ts';
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
  /** The version of the month's override; null for the default. */
  version: storedVersionSchema,
});
export type MonthDeadline = z.infer<typeof monthDeadlineSchema>;

/** The deadline with the `version` the page loaded (absent or null: it showed the default). */
export const setDeadlineBodySchema = z.object({ deadline: isoDateSchema, version: loadedVersionSchema });

/** The validation rules with who changed them last (null while the defaults apply). */
export const monthlyRulesWithChangeSchema = monthlyRulesSchema.extend({
  lastChange: z.object({ at: z.string(), byName: z.string() }).nullable(),
  /** The version of the stored rules document; null while the defaults apply. */
  version: storedVersionSchema,
});
export type MonthlyRulesWithChange = z.infer<typeof monthlyRulesWithChangeSchema>;

/** The rules the province saves, with the `version` it loaded (absent or null: it loaded the defaults). */
export const monthlyRulesBodySchema = monthlyRulesSchema.extend({ version: loadedVersionSchema });
export type MonthlyRulesBody = z.infer<typeof monthlyRulesBodySchema>;
