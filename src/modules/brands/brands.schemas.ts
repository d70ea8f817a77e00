import { z } from 'zod';
import { brandKinds, mediaChannelKinds, promotionEventKinds } from '../../db/schema/brands.ts';
import {
  brandAuthorizationActions,
  brandAuthorizationStatuses,
  certificationKinds,
  inspectionResults,
  supervisionResults,
} from '../../db/schema/traceability.ts';
import {
  etownCodeSchema,
  expectedVersionSchema,
  isoDateSchema,
  recordVersionSchema,
  regionCodeSchema,
  withFenNames,
} from '../../http/schemas.ts';
import { parseMoneyText } from '../../indicators/exact.ts';
import { effectiveAuthorizationStatuses } from './authorization-rules.ts';

export const brandKindLabels = {
  regional_public: '区域公用品牌',
  own: '“小而美”自主品牌',
} as const satisfies Record<(typeof brandKinds)[number], string>;

export const certificationKindLabels = {
  green_food: '绿色食品',
  organic: '有机产品',
  geographic_indication: '地理标志',
  compliance_certificate: '承诺达标合格证',
} as const satisfies Record<(typeof certificationKinds)[number], string>;

export const promotionEventKindLabels = {
  expo: '展会',
  competition: '大赛',
  publicity: '宣传活动',
} as const satisfies Record<(typeof promotionEventKinds)[number], string>;

export const mediaChannelKindLabels = {
  new_media: '新媒体',
  traditional: '传统媒体',
} as const satisfies Record<(typeof mediaChannelKinds)[number], string>;

const requiredText = (label: string, max: number) =>
  z.string(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .nullish()
    .transform((value) => value || null);
const versionSchema = z.number('缺少版本号').int().min(1, '缺少版本号');
const optionalId = (label: string) =>
  z
    .uuid(`${label}编号格式不正确`)
    .nullish()
    .transform((value) => value ?? null);
const optionalDate = isoDateSchema.nullish().transform((value) => value ?? null);

/** Yuan as typed ("12.5", "1280.00"): at most two decimals, stored exactly as integer fen. */
export const priceYuanSchema = z
  .string('价格须为数字')
  .trim()
  .regex(/^\d{1,9}(\.\d{1,2})?$/, '价格须为不超过两位小数的金额（元），如 59.90')
  .transform((text) => parseMoneyText(text) as bigint);

const brandKindSchema = z.enum(brandKinds, '品牌类型须为区域公用品牌（regional_public）或自主品牌（own）');
const trademarkSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{4,20}$/, '注册商标号须为 4–20 位数字或字母')
  .nullish()
  .transform((value) => value || null);

// ---- brands ----

const brandFields = {
  name: requiredText('品牌名称', 50),
  description: optionalText('品牌简介', 2000),
  /** 品牌标准: its text or summary (regional public brands). */
  standardText: optionalText('品牌标准', 20000),
  trademarkNumber: trademarkSchema,
  ownerEntityId: optionalId('权利人主体'),
  parentBrandId: optionalId('母品牌'),
};

export const createBrandBodySchema = z.object({
  etownCode: etownCodeSchema,
  kind: brandKindSchema,
  ...brandFields,
});
export type CreateBrandInput = z.infer<typeof createBrandBodySchema>;

export const updateBrandBodySchema = z.object(brandFields).partial().extend({ version: versionSchema });
export type UpdateBrandInput = z.infer<typeof updateBrandBodySchema>;

export const listBrandsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  kind: brandKindSchema.optional(),
});

const effectiveStatusSchema = z.enum(effectiveAuthorizationStatuses);

export const brandSummarySchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  name: z.string(),
  kind: z.enum(brandKinds),
  description: z.string().nullable(),
  trademarkNumber: z.string().nullable(),
  ownerEntityId: z.uuid().nullable(),
  ownerEntityName: z.string().nullable(),
  parentBrandId: z.uuid().nullable(),
  parentBrandName: z.string().nullable(),
  hasStandard: z.boolean(),
  /** Authorizations in force today, and applications waiting for review. */
  activeAuthorizations: z.number().int(),
  pendingApplications: z.number().int(),
  productCount: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type BrandSummary = z.infer<typeof brandSummarySchema>;

export const authorizationSummarySchema = z.object({
  id: z.uuid(),
  brandId: z.uuid(),
  brandName: z.string(),
  etownCode: z.string(),
  entityId: z.uuid(),
  entityName: z.string(),
  productNames: z.array(z.string()),
  applicationNote: z.string().nullable(),
  status: z.enum(brandAuthorizationStatuses),
  /** The status as the public sees it today: an authorized one past its term is `expired`. */
  effectiveStatus: effectiveStatusSchema,
  certificateNumber: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  statusReason: z.string().nullable(),
  lastCheck: z.object({ checkedOn: z.string(), result: z.enum(supervisionResults) }).nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AuthorizationSummary = z.infer<typeof authorizationSummarySchema>;

export const brandDetailSchema = brandSummarySchema.extend({
  standardText: z.string().nullable(),
  standardFile: z.object({ fileName: z.string(), sha256: z.string() }).nullable(),
  childBrands: z.array(z.object({ id: z.uuid(), name: z.string(), trademarkNumber: z.string().nullable() })),
  authorizations: z.array(authorizationSummarySchema),
  products: z.array(
    z.object({ id: z.uuid(), name: z.string(), online: z.boolean(), entityName: z.string().nullable() }),
  ),
  createdAt: z.string(),
});
export type BrandDetail = z.infer<typeof brandDetailSchema>;

// ---- authorizations ----

export const applyAuthorizationBodySchema = z.object({
  brandId: z.uuid('品牌编号格式不正确'),
  entityId: z.uuid('市场主体编号格式不正确'),
  productNames: z
    .array(requiredText('产品名称', 50), '请填写申请使用品牌的产品')
    .min(1, '请至少填写一个产品')
    .max(50, '一次最多申请 50 个产品'),
  applicationNote: optionalText('申请说明', 2000),
});
export type ApplyAuthorizationInput = z.infer<typeof applyAuthorizationBodySchema>;

export const authorizeBodySchema = z
  .object({
    version: versionSchema,
    validFrom: isoDateSchema,
    validTo: isoDateSchema,
    /** Given when the certificate already exists on paper; otherwise generated (YQLB-2026-0001). */
    certificateNumber: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z-]{4,40}$/, '证书编号须为 4–40 位字母、数字或短横线')
      .nullish()
      .transform((value) => value || null),
    reason: optionalText('审核意见', 500),
  })
  .refine((body) => body.validTo >= body.validFrom, {
    path: ['validTo'],
    message: '有效期截止日不能早于起始日',
  });
export type AuthorizeInput = z.infer<typeof authorizeBodySchema>;

export const reasonBodySchema = z.object({ version: versionSchema, reason: requiredText('理由', 500) });
export type ReasonInput = z.infer<typeof reasonBodySchema>;

export const renewBodySchema = z.object({
  version: versionSchema,
  validTo: isoDateSchema,
  reason: optionalText('续期说明', 500),
});
export type RenewInput = z.infer<typeof renewBodySchema>;

export const supervisionCheckBodySchema = z.object({
  checkedOn: isoDateSchema,
  result: z.enum(supervisionResults, '检查结论须为合格（pass）或不合格（fail）'),
  findings: requiredText('检查情况', 2000),
});
export type SupervisionCheckInput = z.infer<typeof supervisionCheckBodySchema>;

export const listAuthorizationsQuerySchema = z.object({
  brandId: z.uuid('品牌编号格式不正确').optional(),
  entityId: z.uuid('市场主体编号格式不正确').optional(),
  regionCode: regionCodeSchema.optional(),
  status: z.enum(brandAuthorizationStatuses).optional(),
});

export const authorizationDetailSchema = authorizationSummarySchema.extend({
  brandStandardText: z.string().nullable(),
  events: z.array(
    z.object({
      id: z.uuid(),
      action: z.enum(brandAuthorizationActions),
      reason: z.string().nullable(),
      actorName: z.string().nullable(),
      at: z.string(),
    }),
  ),
  supervisionChecks: z.array(
    z.object({
      id: z.uuid(),
      checkedOn: z.string(),
      result: z.enum(supervisionResults),
      findings: z.string(),
      inspectorName: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
  /** After a failed check of an authorized entity: the county should consider suspending it. */
  suspensionSuggested: z.boolean(),
});
export type AuthorizationDetail = z.infer<typeof authorizationDetailSchema>;

// ---- products ----

const productFields = {
  name: requiredText('产品名称', 100),
  brandId: z.uuid('请选择品牌'),
  category: optionalText('品类', 40),
  specification: optionalText('规格', 100),
  priceYuan: priceYuanSchema.nullish().transform((value) => value ?? null),
  online: z.boolean('请选择是否网货'),
  description: optionalText('产品介绍', 5000),
};

export const createProductBodySchema = withFenNames(
  z.object({ entityId: z.uuid('请选择生产主体'), ...productFields }),
);
export type CreateProductInput = z.infer<typeof createProductBodySchema>;

export const updateProductBodySchema = withFenNames(
  z
    .object({ ...productFields, entityId: z.uuid('请选择生产主体') })
    .partial()
    .extend({ version: versionSchema }),
);
export type UpdateProductInput = z.infer<typeof updateProductBodySchema>;

export const listProductsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  brandId: z.uuid().optional(),
  entityId: z.uuid().optional(),
  keyword: z.string().trim().max(100, '关键词最多 100 个字').optional(),
  page: z.coerce.number().int().min(1, '页码从 1 开始').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多 200 条').default(20),
});
export type ListProductsQuery = z.infer<typeof listProductsQuerySchema>;

const certificationFields = z.object({
  kind: z.enum(certificationKinds, '认证类型须为绿色食品、有机产品、地理标志或承诺达标合格证'),
  number: requiredText('证书编号', 60),
  issuer: optionalText('发证机构', 100),
  validFrom: optionalDate,
  validTo: optionalDate,
});
const validPeriod = <T extends { validFrom: string | null; validTo: string | null }>(body: T) =>
  !body.validFrom || !body.validTo || body.validTo >= body.validFrom;
const validPeriodProblem = { path: ['validTo'], message: '有效期截止日不能早于起始日' };
export const certificationBodySchema = certificationFields.refine(validPeriod, validPeriodProblem);
export type CertificationInput = z.infer<typeof certificationBodySchema>;
export const updateCertificationBodySchema = certificationFields
  .extend({ version: expectedVersionSchema })
  .refine(validPeriod, validPeriodProblem);
export type UpdateCertificationInput = z.infer<typeof updateCertificationBodySchema>;

export const productShopBodySchema = z.object({
  shopId: z.uuid('请选择网店'),
  url: z
    .url({ protocol: /^https?$/, error: '商品链接须为 http:// 或 https:// 开头的网址' })
    .max(500, '商品链接最多 500 个字符')
    .nullish()
    .transform((value) => value ?? null),
});
export type ProductShopInput = z.infer<typeof productShopBodySchema>;

export const productSummarySchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  name: z.string(),
  brandId: z.uuid().nullable(),
  brandName: z.string(),
  brandKind: z.enum(brandKinds).nullable(),
  entityId: z.uuid().nullable(),
  entityName: z.string().nullable(),
  category: z.string().nullable(),
  specification: z.string().nullable(),
  /** Exact yuan with two decimals ("59.90"), from integer fen. */
  priceYuan: z.string().nullable(),
  online: z.boolean(),
  coverPhotoId: z.uuid().nullable(),
  certificationCount: z.number().int(),
  batchCount: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type ProductSummary = z.infer<typeof productSummarySchema>;

export const productListSchema = z.object({
  items: z.array(productSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const inspectionSchema = z.object({
  id: z.uuid(),
  inspectedOn: z.string(),
  agency: z.string(),
  items: z.string(),
  result: z.enum(inspectionResults),
  reportFileName: z.string().nullable(),
  createdAt: z.string(),
});

export const batchSchema = z.object({
  id: z.uuid(),
  productId: z.uuid(),
  productName: z.string(),
  batchNumber: z.string(),
  producedOn: z.string(),
  quantity: z.number().int(),
  unit: z.string(),
  originBase: z.string(),
  recalledAt: z.string().nullable(),
  recallReason: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  inspections: z.array(inspectionSchema),
});
export type BatchView = z.infer<typeof batchSchema>;

export const productDetailSchema = productSummarySchema.extend({
  description: z.string().nullable(),
  photos: z.array(
    z.object({
      id: z.uuid(),
      fileName: z.string(),
      mediaType: z.string(),
      sizeBytes: z.number().int(),
    }),
  ),
  shops: z.array(
    z.object({
      shopId: z.uuid(),
      platform: z.string(),
      shopName: z.string(),
      shopUrl: z.string().nullable(),
      url: z.string().nullable(),
    }),
  ),
  /** The producing entity's shops, to choose from. */
  entityShops: z.array(z.object({ id: z.uuid(), platform: z.string(), shopName: z.string() })),
  certifications: z.array(
    z.object({
      id: z.uuid(),
      kind: z.enum(certificationKinds),
      number: z.string(),
      issuer: z.string().nullable(),
      validFrom: z.string().nullable(),
      validTo: z.string().nullable(),
      expired: z.boolean(),
      version: recordVersionSchema,
    }),
  ),
  /** The producing entity's authorization to use the product's regional brand, when there is one. */
  brandAuthorization: z
    .object({
      id: z.uuid(),
      effectiveStatus: effectiveStatusSchema,
      certificateNumber: z.string().nullable(),
      validTo: z.string().nullable(),
    })
    .nullable(),
  batches: z.array(batchSchema),
  createdAt: z.string(),
});
export type ProductDetail = z.infer<typeof productDetailSchema>;

// ---- batches ----

export const createBatchBodySchema = z.object({
  batchNumber: z
    .string('请填写批次号')
    .trim()
    .regex(/^[0-9A-Za-z_-]{1,40}$/, '批次号须为 1–40 位字母、数字、下划线或短横线'),
  producedOn: isoDateSchema,
  quantity: z.number('请填写数量').int('数量须为整数').min(1, '数量须大于 0').max(100_000_000, '数量过大'),
  unit: requiredText('单位', 10),
  originBase: requiredText('产地基地', 100),
});
export type CreateBatchInput = z.infer<typeof createBatchBodySchema>;

export const inspectionBodySchema = z.object({
  inspectedOn: isoDateSchema,
  agency: requiredText('检测机构', 100),
  items: requiredText('检测项目', 1000),
  result: z.enum(inspectionResults, '检测结论须为合格（pass）或不合格（fail）'),
});
export type InspectionInput = z.infer<typeof inspectionBodySchema>;

export const recallBodySchema = z.object({ reason: requiredText('召回原因', 500) });

// ---- events and media channels (ledger lists) ----

const promotionEventFields = z.object({
  kind: z.enum(promotionEventKinds, '活动类型须为展会、大赛或宣传活动'),
  heldOn: isoDateSchema,
  title: requiredText('活动名称', 200),
});
export const createPromotionEventBodySchema = promotionEventFields.extend({ etownCode: etownCodeSchema });
export const promotionEventBodySchema = promotionEventFields.extend({ version: expectedVersionSchema });
export type PromotionEventInput = z.infer<typeof promotionEventBodySchema>;

const mediaChannelFields = z.object({
  kind: z.enum(mediaChannelKinds, '渠道类型须为新媒体或传统媒体'),
  name: requiredText('渠道名称', 100),
});
export const createMediaChannelBodySchema = mediaChannelFields.extend({ etownCode: etownCodeSchema });
export const mediaChannelBodySchema = mediaChannelFields.extend({ version: expectedVersionSchema });
export type MediaChannelInput = z.infer<typeof mediaChannelBodySchema>;

export const promotionQuerySchema = z.object({ regionCode: regionCodeSchema.optional() });

export const promotionEventSchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  kind: z.enum(promotionEventKinds),
  heldOn: z.string(),
  title: z.string(),
  version: recordVersionSchema,
});
export const mediaChannelSchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  kind: z.enum(mediaChannelKinds),
  name: z.string(),
  version: recordVersionSchema,
});

export const fileNameQuerySchema = z.object({
  fileName: z.string().trim().min(1, '请提供文件名').max(200, '文件名最多 200 个字'),
});
