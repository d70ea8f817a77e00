import { z } from 'zod';
import { talentPersonSources, talentRoles } from '../../db/schema/talent.ts';
import {
  etownCodeSchema,
  expectedVersionSchema,
  isoDateSchema,
  pageQueryFields,
  recordVersionSchema,
  regionCodeSchema,
} from '../../http/schemas.ts';
import { parseMoneyText } from '../../indicators/exact.ts';

export const talentRoleLabels = {
  expert: '聘用专家',
  business_leader: '商业带头人',
  influencer: '本地网红',
} as const satisfies Record<(typeof talentRoles)[number], string>;

/** The platforms offered in the form; another platform may be typed. */
export const influencerPlatforms = [
  '抖音',
  '快手',
  '视频号',
  '淘宝直播',
  '小红书',
  '拼多多',
  '京东',
] as const;

const requiredText = (label: string, max: number) =>
  z.string(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string(`${label}须为文字`)
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .nullish()
    .transform((value) => (value ? value : null));

const monthlySalesYuanSchema = z
  .string('月销售额须为金额（元）')
  .trim()
  .regex(/^\d{1,12}(\.\d{1,2})?$/, '月销售额须为不超过两位小数的金额（元），如 128000.50')
  .transform((text) => parseMoneyText(text) as bigint);

/** What a person's form carries besides the e-town and role; fields of other roles are stored as null. */
const personFields = {
  name: requiredText('姓名', 50),
  expertise: optionalText('专业领域', 100),
  employer: optionalText('工作单位', 100),
  engagedFrom: isoDateSchema.nullish().transform((value) => value ?? null),
  engagedTo: isoDateSchema.nullish().transform((value) => value ?? null),
  entityId: z
    .uuid('带领的市场主体编号格式不正确')
    .nullish()
    .transform((value) => value ?? null),
  leads: optionalText('带领内容', 200),
  platform: optionalText('平台', 30),
  account: optionalText('账号名称', 100),
  followers: z
    .number('粉丝数须为数字')
    .int('粉丝数须为整数')
    .min(0, '粉丝数不能为负数')
    .max(2_000_000_000, '粉丝数过大')
    .nullish()
    .transform((value) => value ?? null),
  monthlySalesYuan: monthlySalesYuanSchema.nullish().transform((value) => value ?? null),
  salesMonth: z
    .string('销售月份格式应为 YYYY-MM')
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '销售月份格式应为 YYYY-MM')
    .nullish()
    .transform((value) => value ?? null),
};

export const createPersonBodySchema = z.object({
  etownCode: etownCodeSchema,
  role: z.enum(talentRoles, '人员类别须为 expert、business_leader 或 influencer'),
  ...personFields,
});
export type CreatePersonInput = z.infer<typeof createPersonBodySchema>;

export const updatePersonBodySchema = z.object({ version: expectedVersionSchema, ...personFields });
export type UpdatePersonInput = z.infer<typeof updatePersonBodySchema>;
export type PersonFields = Omit<UpdatePersonInput, 'version'>;

export const listPeopleQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  role: z.enum(talentRoles, '人员类别须为 expert、business_leader 或 influencer').optional(),
  ...pageQueryFields,
});
export type ListPeopleQuery = z.infer<typeof listPeopleQuerySchema>;

export const evidenceSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
});

export const personSchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  role: z.enum(talentRoles),
  /** `ledger` rows come from a ledger import and are replaced by the next one; only `platform` rows are edited. */
  source: z.enum(talentPersonSources),
  name: z.string(),
  expertise: z.string().nullable(),
  employer: z.string().nullable(),
  engagedFrom: z.string().nullable(),
  engagedTo: z.string().nullable(),
  entityId: z.string().nullable(),
  entityName: z.string().nullable(),
  leads: z.string().nullable(),
  platform: z.string().nullable(),
  account: z.string().nullable(),
  followers: z.number().int().nullable(),
  /** Exact yuan text (two decimals) of the fen stored. */
  monthlySalesYuan: z.string().nullable(),
  salesMonth: z.string().nullable(),
  evidence: z.array(evidenceSchema),
  version: recordVersionSchema,
});
export type PersonView = z.infer<typeof personSchema>;

export const personListSchema = z.object({
  items: z.array(personSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
