import { z } from 'zod';

/** The error envelope; one OpenAPI component (`ErrorBody`) instead of a copy in every response. */
export const errorBodySchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'ErrorBody' });

/** The error shapes every API route can answer with, for the OpenAPI document. */
export const errorResponses = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
  423: errorBodySchema,
} as const;

export const regionCodeSchema = z
  .string()
  .regex(/^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{6}-E[0-9]{2})$/, '区划代码格式不正确');
export const etownCodeSchema = z.string().regex(/^[0-9]{6}-E[0-9]{2}$/, 'e镇代码格式应为“县代码-E两位数字”');
export const isoDateSchema = z.iso.date('日期格式应为 YYYY-MM-DD');

/** The version of a record as read; an edit sends it back and a stale one answers 409 `stale_version`. */
export const recordVersionSchema = z.number().int().positive();
/** The `version` an update body carries: the one the client loaded. */
export const expectedVersionSchema = z
  .number('请提供版本号（version，即载入记录时的版本）')
  .int('版本号应为整数')
  .positive('版本号应为正整数');
/**
 * The `version` a body carries for a record that may not be stored yet (settings): the one the client
 * loaded, absent or null only when it loaded none (a first save). Absent while a record is stored: 409.
 */
export const loadedVersionSchema = expectedVersionSchema.nullish();
/** The version of a record that may not be stored yet: null while none is (defaults apply). */
export const storedVersionSchema = recordVersionSchema.nullable();

/** An object type with every `…Yuan` key renamed `…Fen`. */
export type FenNamed<T> = {
  [Key in keyof T as Key extends `${infer Stem}Yuan` ? `${Stem}Fen` : Key]: T[Key];
};

/**
 * A body whose `…Yuan` fields (yuan as the person typed it) parse to integer fen, renamed `…Fen` after
 * parsing: clients keep sending `amountYuan: "1500.00"`, services read `amountFen: 150000n`. Only for
 * objects whose every `…Yuan` field parses to fen (the type says so).
 */
export function withFenNames<Output extends { [key: `${string}Yuan`]: bigint | null | undefined }, Input>(
  schema: z.ZodType<Output, Input>,
) {
  return schema.transform((value) => {
    const renamed: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      renamed[key.endsWith('Yuan') ? `${key.slice(0, -'Yuan'.length)}Fen` : key] = field;
    }
    return renamed as FenNamed<Output>;
  });
}

/** `page` and `pageSize` of a paged list's query (20 a page by default, at most 200). */
export const pageQueryFields = {
  page: z.coerce.number().int('页码须为整数').min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce
    .number()
    .int('每页条数须为整数')
    .min(1, '每页至少 1 条')
    .max(200, '每页最多 200 条')
    .default(20),
};
