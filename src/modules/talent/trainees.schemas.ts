import { z } from 'zod';
import { traineeCategories, traineeFollowUpKinds, traineeGenders } from '../../db/schema/talent.ts';
import {
  etownCodeSchema,
  expectedVersionSchema,
  isoDateSchema,
  pageQueryFields,
  recordVersionSchema,
  regionCodeSchema,
} from '../../http/schemas.ts';
import { parseMoneyText } from '../../indicators/exact.ts';
import { phoneSchema } from '../entities/entities.schemas.ts';

export const traineeCategoryLabels = {
  returning_migrant_worker: '返乡农民工',
  college_student: '大学生',
  veteran: '退役军人',
  poverty_alleviated: '脱贫户',
  individual_business: '个体工商户',
  cooperative_member: '合作社成员',
  other: '其他',
} as const satisfies Record<(typeof traineeCategories)[number], string>;

export const traineeGenderLabels = { male: '男', female: '女' } as const satisfies Record<
  (typeof traineeGenders)[number],
  string
>;

export const traineeFollowUpKindLabels = {
  opened_shop: '开设网店',
  employed: '被市场主体录用',
  income_change: '收入变化',
} as const satisfies Record<(typeof traineeFollowUpKinds)[number], string>;

const requiredText = (label: string, max: number) =>
  z.string(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .nullish()
    .transform((value) => value || null);

const categorySchema = z.enum(
  traineeCategories,
  `人员类别须为：${Object.values(traineeCategoryLabels).join('、')}`,
);
/** The GB 11643 check is the service's, so the message can name the expected character. */
const idNumberSchema = z
  .string('请填写身份证号')
  .trim()
  .min(1, '请填写身份证号')
  .max(30, '身份证号须为 18 位');

const certificateSchema = z.object({
  name: requiredText('证书名称', 100),
  issuedOn: isoDateSchema.nullish().transform((value) => value ?? null),
});

const traineeFields = {
  etownCode: etownCodeSchema,
  villageName: optionalText('所在村', 50),
  name: requiredText('姓名', 50),
  gender: z.enum(traineeGenders, '性别须为 male（男）或 female（女）'),
  /** Optional: read from the ID number; when given it must agree with it. */
  birthYear: z.number('出生年份须为数字').int('出生年份须为整数').min(1900).max(2100).nullish(),
  idNumber: idNumberSchema,
  phone: phoneSchema.nullish().transform((value) => value ?? null),
  category: categorySchema,
  skills: z.array(requiredText('技能', 50)).max(30, '技能最多 30 项').default([]),
  certificates: z.array(certificateSchema).max(30, '证书最多 30 项').default([]),
};

export const createTraineeBodySchema = z.object(traineeFields);
export type CreateTraineeInput = z.infer<typeof createTraineeBodySchema>;

export const updateTraineeBodySchema = z.object({
  villageName: traineeFields.villageName,
  name: traineeFields.name.optional(),
  gender: traineeFields.gender.optional(),
  phone: phoneSchema.nullish(),
  category: categorySchema.optional(),
  skills: z.array(requiredText('技能', 50)).max(30, '技能最多 30 项').optional(),
  certificates: z.array(certificateSchema).max(30, '证书最多 30 项').optional(),
  version: expectedVersionSchema,
});
export type UpdateTraineeInput = z.infer<typeof updateTraineeBodySchema>;

export const listTraineesQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  category: categorySchema.optional(),
  keyword: z.string().trim().max(50, '关键词最多 50 个字').optional(),
  /** A whole ID number: found through its blind index, never by a partial match. */
  idNumber: idNumberSchema.optional(),
  ...pageQueryFields,
});
export type ListTraineesQuery = z.infer<typeof listTraineesQuerySchema>;

const monthlyIncomeYuanSchema = z
  .string('月收入须为金额（元）')
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, '月收入须为不超过两位小数的金额（元），如 3500')
  .transform((text) => parseMoneyText(text) as bigint);

export const addFollowUpBodySchema = z.object({
  kind: z.enum(traineeFollowUpKinds, '跟踪类型须为 opened_shop、employed 或 income_change'),
  happenedOn: isoDateSchema,
  entityId: z
    .uuid('市场主体编号格式不正确')
    .nullish()
    .transform((value) => value ?? null),
  shopName: optionalText('网店名称', 100),
  monthlyIncomeYuan: monthlyIncomeYuanSchema.nullish().transform((value) => value ?? null),
  note: optionalText('备注', 500),
});
export type AddFollowUpInput = z.infer<typeof addFollowUpBodySchema>;

export const followUpSchema = z.object({
  id: z.uuid(),
  kind: z.enum(traineeFollowUpKinds),
  happenedOn: z.string(),
  entityId: z.string().nullable(),
  entityName: z.string().nullable(),
  shopName: z.string().nullable(),
  monthlyIncomeYuan: z.string().nullable(),
  note: z.string().nullable(),
});

export const traineeSummarySchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  villageName: z.string().nullable(),
  name: z.string(),
  gender: z.enum(traineeGenders),
  birthYear: z.number().int(),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  /** Null when the category is 脱贫户 and the caller's role is above the county (PIPL). */
  category: z.enum(traineeCategories).nullable(),
  categoryHidden: z.boolean(),
  skills: z.array(z.string()),
  version: recordVersionSchema,
});
export type TraineeSummary = z.infer<typeof traineeSummarySchema>;

export const traineeListSchema = z.object({
  items: z.array(traineeSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const traineeDetailSchema = traineeSummarySchema.extend({
  certificates: z.array(z.object({ name: z.string(), issuedOn: z.string().nullable() })),
  followUps: z.array(followUpSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TraineeDetail = z.infer<typeof traineeDetailSchema>;

export const revealedTraineeSchema = z.object({ idNumber: z.string(), phone: z.string().nullable() });
