import { z } from 'zod';
import { entityStatuses, entityTags, entityTypes } from '../../db/schema/entities.ts';
import { creditRecordKinds, entryApplicationStatuses } from '../../db/schema/entity-registry.ts';
import { etownCodeSchema, isoDateSchema, regionCodeSchema } from '../../http/schemas.ts';
import { creditCodeDivisionProblem } from '../../lib/credit-code.ts';

export const entityTypeLabels = {
  enterprise: '企业',
  individual: '个体工商户',
  cooperative: '合作社',
  family_farm: '家庭农场',
  institution: '机构',
} as const satisfies Record<(typeof entityTypes)[number], string>;

export const entityTagLabels = {
  ecommerce: '电商企业',
  leading: '龙头企业',
  cross_border: '跨境电商',
  finance_outlet: '金融服务网点',
  telecom_outlet: '通讯服务网点',
  rnd: '研发机构',
  training: '培训机构',
} as const satisfies Record<(typeof entityTags)[number], string>;

export const entityStatusLabels = { active: '在册', exited: '已退出' } as const;

export const shopPlatforms = [
  '淘宝',
  '天猫',
  '拼多多',
  '抖音',
  '快手',
  '京东',
  '微信小店',
  '阿里巴巴国际站',
  '亚马逊',
  '速卖通',
  '其他',
] as const;

/** Categories of credit records and the points each moves the score by unless the recorder says otherwise. */
export const violationCategories = {
  侵权假冒: -20,
  虚假交易: -15,
  质量问题: -10,
  价格违法: -10,
  商业欺诈: -20,
  其他: -5,
} as const;
export const goodConductCategories = { 诚信经营表彰: 5, 质量认证: 5, 其他: 2 } as const;

const requiredText = (label: string, max: number) =>
  z.string(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .nullish()
    .transform((value) => value || null);

// Mainland mobile numbers, or a landline with its area code (0359-1234567).
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '联系电话须为 11 位手机号或带区号的固定电话');

/**
 * The shape and the division code (positions 3–8); the GB 32100 check character is checked by the service so
 * an override can accept it.
 */
export const creditCodeSchema = z
  .string('请填写统一社会信用代码')
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(
    z
      .string()
      .regex(
        /^[0-9A-HJ-NPQRTUWXY]{18}$/,
        '统一社会信用代码须为 18 位，由数字和大写字母组成（不含 I、O、Z、S、V）',
      )
      .superRefine((value, context) => {
        // Positions 3–8 are never overridable: unlike a check character, they are not a typo a real code has.
        const problem = value.length === 18 ? creditCodeDivisionProblem(value) : null;
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
  );

const entityTypeSchema = z.enum(entityTypes, '主体类型须为企业、个体工商户、合作社、家庭农场或机构');
const tagSchema = z.enum(
  entityTags,
  '标签须为电商企业、龙头企业、跨境电商、金融服务网点、通讯服务网点或研发机构',
);

/** The fields of a market entity as a person fills them in (also the proposal of an entry application). */
export const entityFields = {
  creditCode: creditCodeSchema,
  name: requiredText('主体名称', 100),
  entityType: entityTypeSchema,
  legalEntity: z.boolean('请选择是否法人主体'),
  registeredOn: isoDateSchema.nullish().transform((value) => value ?? null),
  address: optionalText('地址', 200),
  contactName: optionalText('联系人', 40),
  contactPhone: phoneSchema.nullish().transform((value) => value ?? null),
};

export const createEntityBodySchema = z.object({
  etownCode: etownCodeSchema,
  ...entityFields,
  tags: z
    .array(
      z.object({
        tag: tagSchema,
        reason: requiredText('标签理由', 200),
        effectiveOn: isoDateSchema,
      }),
    )
    .max(entityTags.length)
    .optional(),
});
export type CreateEntityInput = z.infer<typeof createEntityBodySchema>;

/**
 * A code failing its check character is accepted only from the province (policy entitiesCreditCodeOverride),
 * which registers the entity itself with a documented reason; the county then manages it as usual.
 */
export const createEntityWithOverrideBodySchema = createEntityBodySchema.extend({
  creditCodeOverride: z
    .string('请填写放行理由')
    .trim()
    .min(5, '放行理由至少 5 个字，说明为何接受校验位不符的代码')
    .max(500, '放行理由最多 500 个字'),
});
export type CreateEntityWithOverrideInput = z.infer<typeof createEntityWithOverrideBodySchema>;

export const updateEntityBodySchema = z
  .object(entityFields)
  .partial()
  .extend({ version: z.number('缺少版本号').int().min(1, '缺少版本号') });
export type UpdateEntityInput = z.infer<typeof updateEntityBodySchema>;

export const exitEntityBodySchema = z.object({
  version: z.number('缺少版本号').int().min(1, '缺少版本号'),
  exitedOn: isoDateSchema,
  reason: requiredText('退出原因', 500),
});

export const tagChangeBodySchema = z.object({
  tag: tagSchema,
  reason: requiredText('理由', 200),
  effectiveOn: isoDateSchema,
});
export type TagChangeInput = z.infer<typeof tagChangeBodySchema>;

export const addShopBodySchema = z.object({
  platform: requiredText('平台', 40),
  shopName: requiredText('店铺名称', 100),
  url: z
    .url({ protocol: /^https?$/, error: '店铺链接须为 http:// 或 https:// 开头的网址' })
    .max(500, '店铺链接最多 500 个字符')
    .nullish()
    .transform((value) => value ?? null),
});
export type AddShopInput = z.infer<typeof addShopBodySchema>;

export const listEntitiesQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  entityType: entityTypeSchema.optional(),
  tag: tagSchema.optional(),
  status: z.enum(entityStatuses, '状态须为 active 或 exited').optional(),
  keyword: z.string().trim().max(100, '关键词最多 100 个字').optional(),
  page: z.coerce.number().int().min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});
export type ListEntitiesQuery = z.infer<typeof listEntitiesQuerySchema>;

const creditGradeSchema = z.object({
  score: z.number().int(),
  grade: z.enum(['A', 'B', 'C', 'D']),
  formula: z.string(),
});

export const entitySummarySchema = z.object({
  id: z.uuid(),
  creditCode: z.string(),
  name: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  entityType: z.enum(entityTypes),
  legalEntity: z.boolean(),
  registeredOn: z.string().nullable(),
  status: z.enum(entityStatuses),
  exitedOn: z.string().nullable(),
  tags: z.array(z.enum(entityTags)),
  contactName: z.string().nullable(),
  contactPhoneMasked: z.string().nullable(),
  credit: creditGradeSchema,
});
export type EntitySummary = z.infer<typeof entitySummarySchema>;

export const entityListSchema = z.object({
  items: z.array(entitySummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const creditRecordSchema = z.object({
  id: z.uuid(),
  kind: z.enum(creditRecordKinds),
  category: z.string(),
  description: z.string(),
  source: z.string(),
  occurredOn: z.string(),
  points: z.number().int(),
  recordedByName: z.string().nullable(),
  createdAt: z.string(),
});
export type CreditRecordView = z.infer<typeof creditRecordSchema>;

export const entityDetailSchema = entitySummarySchema.extend({
  address: z.string().nullable(),
  exitReason: z.string().nullable(),
  creditCodeOverride: z.string().nullable(),
  countyCode: z.string(),
  countyName: z.string(),
  currentTags: z.array(
    z.object({ tag: z.enum(entityTags), reason: z.string().nullable(), taggedOn: z.string().nullable() }),
  ),
  tagHistory: z.array(
    z.object({
      id: z.uuid(),
      tag: z.enum(entityTags),
      action: z.enum(['added', 'removed']),
      reason: z.string(),
      effectiveOn: z.string(),
      actorName: z.string().nullable(),
      at: z.string(),
    }),
  ),
  shops: z.array(
    z.object({ id: z.uuid(), platform: z.string(), shopName: z.string(), url: z.string().nullable() }),
  ),
  creditRecords: z.array(creditRecordSchema),
  version: z.number().int(),
  updatedAt: z.string(),
  createdAt: z.string(),
});
export type EntityDetail = z.infer<typeof entityDetailSchema>;

export const revealedContactSchema = z.object({ contactName: z.string().nullable(), phone: z.string() });

export const creditRecordBodySchema = z
  .object({
    kind: z.enum(creditRecordKinds, '记录类型须为 good（良好）或 violation（违规）'),
    category: requiredText('类别', 20),
    description: requiredText('情况说明', 1000),
    source: requiredText('信息来源', 200),
    occurredOn: isoDateSchema,
    /** Omitted: the category's standard points. */
    points: z
      .number('分值须为整数')
      .int('分值须为整数')
      .min(-50, '分值不能低于 -50')
      .max(20, '分值不能高于 20')
      .optional(),
  })
  .superRefine((record, issues) => {
    const categories = record.kind === 'good' ? goodConductCategories : violationCategories;
    if (!Object.hasOwn(categories, record.category)) {
      issues.addIssue({
        code: 'custom',
        path: ['category'],
        message: `类别须为：${Object.keys(categories).join('、')}`,
      });
    }
    if (record.points !== undefined) {
      if (record.kind === 'good' && record.points < 0)
        issues.addIssue({ code: 'custom', path: ['points'], message: '良好记录的分值不能为负' });
      if (record.kind === 'violation' && record.points > 0)
        issues.addIssue({ code: 'custom', path: ['points'], message: '违规记录的分值不能为正' });
    }
  });
export type CreditRecordInput = z.infer<typeof creditRecordBodySchema>;

export const sharedViolationSchema = z.object({
  id: z.uuid(),
  entityId: z.uuid(),
  entityName: z.string(),
  creditCode: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  category: z.string(),
  occurredOn: z.string(),
  /** Whether the caller may open the entity itself (it lies in their own scope). */
  inScope: z.boolean(),
});

export const sharedViolationListSchema = z.object({
  items: z.array(sharedViolationSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const sharedViolationQuerySchema = z.object({
  keyword: z.string().trim().max(100, '关键词最多 100 个字').optional(),
  category: z.string().trim().max(20).optional(),
  page: z.coerce.number().int().min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});

// Entry applications (入驻申请).

export const entryProposalSchema = z.object(entityFields);
export type EntryProposal = z.infer<typeof entryProposalSchema>;

export const submitApplicationBodySchema = z.object({
  etownCode: etownCodeSchema,
  proposal: entryProposalSchema,
  statement: requiredText('入驻说明', 2000),
  conditionsAccepted: z.literal(true, '请确认已阅读并符合入驻条件'),
});
export type SubmitApplicationInput = z.infer<typeof submitApplicationBodySchema>;

export const reviewApplicationBodySchema = z.object({ reason: optionalText('审核意见', 500) });
export const rejectApplicationBodySchema = z.object({ reason: requiredText('退回理由', 500) });

/** What an application stores and shows of the proposal: the phone only encrypted and masked. */
export const storedProposalSchema = z.object({
  creditCode: z.string(),
  name: z.string(),
  entityType: z.enum(entityTypes),
  legalEntity: z.boolean(),
  registeredOn: z.string().nullable(),
  address: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhoneMasked: z.string().nullable(),
});
export type StoredProposalView = z.infer<typeof storedProposalSchema>;

export const entryApplicationSchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  applicantName: z.string(),
  proposal: storedProposalSchema,
  statement: z.string().nullable(),
  status: z.enum(entryApplicationStatuses),
  entityId: z.uuid().nullable(),
  reviewReason: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type EntryApplicationView = z.infer<typeof entryApplicationSchema>;

export const entryConditionsSchema = z.object({
  etownCode: z.string(),
  etownName: z.string(),
  basis: z.string(),
  conditions: z.array(z.string()),
});
export type EntryConditions = z.infer<typeof entryConditionsSchema>;

export const listApplicationsQuerySchema = z.object({
  status: z.enum(entryApplicationStatuses, '状态须为 submitted、admitted 或 rejected').optional(),
});
