import { z } from 'zod';
import {
  disbursementRequestStatuses,
  fundApplicationStatuses,
  fundSources,
  fundSupportModes,
  fundTransactionKinds,
} from '../../db/schema/funds.ts';
import {
  etownCodeSchema,
  isoDateSchema,
  loadedVersionSchema,
  regionCodeSchema,
  storedVersionSchema,
  withFenNames,
} from '../../http/schemas.ts';
import { parseMoneyText } from '../../indicators/exact.ts';

export const fundSupportModeLabels = {
  project_subsidy: '项目补助',
  loan_interest_subsidy: '贷款贴息',
  reward_in_lieu: '以奖代补',
  rent_reduction: '房租减免',
  award: '奖励',
} as const satisfies Record<(typeof fundSupportModes)[number], string>;

export const fundSourceLabels = {
  provincial: '省级财政',
  city: '市级财政',
  county: '县级财政',
  social: '社会资本',
} as const satisfies Record<(typeof fundSources)[number], string>;

export const fundApplicationStatusLabels = {
  submitted: '待审核',
  returned: '已退回',
  rejected: '未通过',
  approved: '已核定',
  settled: '已结算',
} as const satisfies Record<(typeof fundApplicationStatuses)[number], string>;

export const disbursementRequestStatusLabels = {
  pending: '待县财政局审批',
  approved: '已批准拨付',
  returned: '已退回',
} as const satisfies Record<(typeof disbursementRequestStatuses)[number], string>;

export const fundTransactionKindLabels = {
  allocate: '预算下达',
  approve: '核定资金',
  disburse: '拨付',
  settle: '结算退回',
} as const satisfies Record<(typeof fundTransactionKinds)[number], string>;

const requiredText = (label: string, max: number) =>
  z.string(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .nullish()
    .transform((value) => value || null);

/** Yuan as typed ("1500000", "12.50"): at most two decimals, more than zero, exact integer fen. */
export const yuanAmountSchema = (label: string) =>
  z
    .string(`请填写${label}`)
    .trim()
    .regex(/^\d{1,13}(\.\d{1,2})?$/, `${label}须为不超过两位小数的金额（元），如 150000.00`)
    .transform((text) => parseMoneyText(text) as bigint)
    .refine((fen) => fen > 0n, `${label}须大于 0`);

const optionalYuan = (label: string) =>
  yuanAmountSchema(label)
    .nullish()
    .transform((value) => value ?? null);

/** Money leaves the server as exact yuan with two decimals ("1500000.00"), never as a float. */
const yuan = z.string();

// ---- policies ----

export const fundPolicyBodySchema = withFenNames(
  z
    .object({
      name: requiredText('政策名称', 100),
      supportMode: z.enum(fundSupportModes, '请选择支持方式'),
      source: z.enum(fundSources, '请选择资金来源'),
      standardKind: z.enum(['amount', 'rate'], '请选择补助标准类型'),
      amountYuan: optionalYuan('补助金额'),
      /** 补助比例 in percent with up to two decimals ("30", "2.5"). */
      ratePercent: z
        .string()
        .trim()
        .regex(/^\d{1,3}(\.\d{1,2})?$/, '补助比例须为百分数，最多两位小数')
        .nullish()
        .transform((value) => (value ? Number(parseMoneyText(value)) : null)),
      capYuan: optionalYuan('单项上限'),
      conditions: requiredText('支持条件', 5000),
      documentTitle: requiredText('发文标题', 200),
      documentNumber: requiredText('文号', 100),
      issuedOn: isoDateSchema,
      validFrom: isoDateSchema,
      validTo: isoDateSchema.nullish().transform((value) => value ?? null),
    })
    .superRefine((input, ctx) => {
      if (input.standardKind === 'amount' && input.amountYuan === null) {
        ctx.addIssue({ code: 'custom', path: ['amountYuan'], message: '定额补助须填写补助金额' });
      }
      if (input.standardKind === 'rate') {
        const rate = input.ratePercent;
        if (rate === null || rate < 1 || rate > 10_000) {
          ctx.addIssue({
            code: 'custom',
            path: ['ratePercent'],
            message: '按比例补助须填写 0.01%—100% 的比例',
          });
        }
      }
      if (input.validTo && input.validTo < input.validFrom) {
        ctx.addIssue({ code: 'custom', path: ['validTo'], message: '有效期止不能早于有效期起' });
      }
    }),
);
export type FundPolicyInput = z.infer<typeof fundPolicyBodySchema>;

export const updateFundPolicyBodySchema = z.object({
  policy: fundPolicyBodySchema,
  version: z.number().int().min(1),
});

export const fundPolicySchema = z.object({
  id: z.uuid(),
  regionCode: z.string(),
  regionName: z.string(),
  name: z.string(),
  supportMode: z.enum(fundSupportModes),
  source: z.enum(fundSources),
  standardKind: z.enum(['amount', 'rate']),
  amountYuan: yuan.nullable(),
  ratePercent: z.string().nullable(),
  capYuan: yuan.nullable(),
  conditions: z.string(),
  documentTitle: z.string(),
  documentNumber: z.string(),
  issuedOn: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  /** Valid today (Asia/Shanghai). */
  validToday: z.boolean(),
  /** The caller may edit it (it was issued at the caller's own level). */
  editable: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type FundPolicy = z.infer<typeof fundPolicySchema>;

export const listFundPoliciesQuerySchema = z.object({
  validOn: isoDateSchema.optional(),
});

// ---- budgets and allocations ----

export const allocationBodySchema = withFenNames(
  z.object({
    etownCode: etownCodeSchema,
    source: z.enum(fundSources, '请选择资金来源'),
    amountYuan: yuanAmountSchema('下达金额'),
    documentReference: requiredText('下达文号', 100),
    memo: optionalText('说明', 500),
  }),
);

export const allocationSchema = z.object({
  transactionId: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  source: z.enum(fundSources),
  amountYuan: yuan,
  documentReference: z.string().nullable(),
  memo: z.string(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});

const sourceFiguresSchema = z.object({
  source: z.enum(fundSources),
  /** Everything allocated to the e-town from this source. */
  allocatedYuan: yuan,
  /** Budget left to commit. */
  availableYuan: yuan,
  /** Approved and not yet paid. */
  committedYuan: yuan,
  paidYuan: yuan,
});

export const etownBudgetSchema = z.object({
  etownCode: z.string(),
  etownName: z.string(),
  sources: z.array(sourceFiguresSchema),
  provincialCapYuan: yuan,
  provincialRemainingYuan: yuan,
});
export const budgetOverviewSchema = z.object({
  provincialCapYuan: yuan,
  etowns: z.array(etownBudgetSchema),
  allocations: z.array(allocationSchema),
});

export const regionQuerySchema = z.object({ regionCode: regionCodeSchema.optional() });

/** `version`: of the stored settings document; null while the default cap applies. */
export const fundSettingsSchema = z.object({ provincialCapPerEtownYuan: yuan, version: storedVersionSchema });
export const fundSettingsBodySchema = withFenNames(
  z.object({
    provincialCapPerEtownYuan: yuanAmountSchema('每个e镇省级补助上限'),
    version: loadedVersionSchema,
  }),
);

// ---- applications ----

export const applicationBodySchema = withFenNames(
  z.object({
    policyId: z.uuid('请选择资金政策'),
    title: requiredText('申请事项', 100),
    description: requiredText('申请说明', 5000),
    /** 计算基数 (e.g. 贴息基数: the loan interest actually paid): required under a rate-type policy, else absent. */
    eligibleBaseYuan: optionalYuan('计算基数'),
    requestedYuan: yuanAmountSchema('申请金额'),
  }),
);
export type ApplicationInput = z.infer<typeof applicationBodySchema>;

export const updateApplicationBodySchema = z.object({
  application: applicationBodySchema,
  version: z.number().int().min(1),
});

export const approveBodySchema = withFenNames(
  z.object({
    approvedYuan: yuanAmountSchema('核定金额'),
    reason: optionalText('审核意见', 1000),
  }),
);
export const reasonBodySchema = z.object({ reason: requiredText('理由', 1000) });
export const disburseBodySchema = withFenNames(
  z.object({
    amountYuan: yuanAmountSchema('拨付金额'),
    paidOn: isoDateSchema,
    voucherNumber: requiredText('凭证号', 100),
  }),
);
export const settleBodySchema = z.object({ note: optionalText('结算说明', 1000) });
/** Where the county requires its finance bureau's approval, the county operator asks for an instalment. */
export const disbursementRequestBodySchema = withFenNames(
  z.object({
    amountYuan: yuanAmountSchema('拨付金额'),
    voucherNumber: requiredText('凭证号', 100),
    note: optionalText('拨付说明', 1000),
  }),
);
/** The county finance bureau approves: the instalment is paid on `paidOn` (not before the request, not in the future). */
export const approveDisbursementBodySchema = z.object({
  paidOn: isoDateSchema,
  note: optionalText('审批意见', 1000),
});
export const disbursementRequestParams = z.object({ id: z.uuid('编号格式不正确') });

export const countyFundSettingsBodySchema = z.object({
  disbursementApprovalRequired: z.boolean('请选择是否需要县财政局审批'),
  version: loadedVersionSchema,
});
export const countyFundSettingsSchema = z.object({
  countyCode: z.string(),
  countyName: z.string(),
  /** 拨付需县财政局审批 */
  disbursementApprovalRequired: z.boolean(),
  updatedByName: z.string().nullable(),
  updatedAt: z.string().nullable(),
  /** null while the county has saved no settings (the default applies). */
  version: storedVersionSchema,
});
export const countyParams = z.object({
  countyCode: z.string().regex(/^[0-9]{6}$/, '县级区划代码应为 6 位数字'),
});

export const listApplicationsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  status: z.enum(fundApplicationStatuses).optional(),
  policyId: z.uuid().optional(),
  keyword: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const applicationSummarySchema = z.object({
  id: z.uuid(),
  etownCode: z.string(),
  etownName: z.string(),
  entityId: z.string().nullable(),
  /** The applying entity, or the e-town operator ("e镇运营主体") when it applies for the e-town. */
  applicantName: z.string(),
  policyId: z.uuid(),
  policyName: z.string(),
  source: z.enum(fundSources),
  title: z.string(),
  requestedYuan: yuan,
  approvedYuan: yuan.nullable(),
  paidYuan: yuan,
  status: z.enum(fundApplicationStatuses),
  createdAt: z.string(),
});
export const applicationListSchema = z.object({
  items: z.array(applicationSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const applicationFileSchema = z.object({
  id: z.uuid(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  uploadedAt: z.string(),
});

export const disbursementSchema = z.object({
  id: z.uuid(),
  instalment: z.number().int(),
  amountYuan: yuan,
  paidOn: z.string(),
  voucherNumber: z.string(),
  createdByName: z.string().nullable(),
  /** The county finance bureau's approver, where the county requires its approval. */
  approvedByName: z.string().nullable(),
  createdAt: z.string(),
});

export const disbursementRequestSchema = z.object({
  id: z.uuid(),
  amountYuan: yuan,
  voucherNumber: z.string(),
  note: z.string().nullable(),
  status: z.enum(disbursementRequestStatuses),
  requestedByName: z.string().nullable(),
  requestedAt: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** The approver's note, or why it was returned. */
  decisionNote: z.string().nullable(),
  /** The instalment it became, once approved. */
  instalment: z.number().int().nullable(),
});

export const listDisbursementRequestsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  status: z.enum(disbursementRequestStatuses).optional(),
});
export const disbursementRequestListItemSchema = disbursementRequestSchema.extend({
  applicationId: z.uuid(),
  applicationTitle: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  applicantName: z.string(),
});

export const movementSchema = z.object({
  transactionId: z.uuid(),
  kind: z.enum(fundTransactionKinds),
  memo: z.string(),
  reference: z.string().nullable(),
  createdAt: z.string(),
  entries: z.array(z.object({ account: z.string(), amountYuan: yuan })),
});

export const applicationDetailSchema = applicationSummarySchema.extend({
  description: z.string(),
  policy: fundPolicySchema,
  /** 计算基数 stated under a rate-type policy; null under an amount-type one. */
  eligibleBaseYuan: yuan.nullable(),
  /** 计算基数 × the policy's rate, rounded down to the fen (null without a base or under an amount-type policy). */
  rateCeilingYuan: yuan.nullable(),
  /** The most that may be requested or approved under the policy as it stands: the rate ceiling and the cap. */
  ceilingYuan: yuan.nullable(),
  applicantUserName: z.string().nullable(),
  creditCode: z.string().nullable(),
  reviewReason: z.string().nullable(),
  reviewedByName: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  settledAt: z.string().nullable(),
  /** Approved and not yet paid (zero once settled). */
  committedYuan: yuan,
  files: z.array(applicationFileSchema),
  disbursements: z.array(disbursementSchema),
  /** 拨付需县财政局审批 in the application's county: instalments go through requests. */
  disbursementApprovalRequired: z.boolean(),
  /** Asked for and awaiting the finance bureau: not payable otherwise. */
  pendingDisbursementYuan: yuan,
  disbursementRequests: z.array(disbursementRequestSchema),
  movements: z.array(movementSchema),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type ApplicationDetail = z.infer<typeof applicationDetailSchema>;

// ---- reports ----

export const usageGroupings = ['etown', 'source', 'policy', 'month'] as const;
export const usageQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  groupBy: z.enum(usageGroupings).default('etown'),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export const usageRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  allocatedYuan: yuan,
  approvedYuan: yuan,
  paidYuan: yuan,
  returnedYuan: yuan,
});
export const usageReportSchema = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  groupBy: z.enum(usageGroupings),
  year: z.number().int().nullable(),
  rows: z.array(usageRowSchema),
  total: usageRowSchema,
});
export type UsageReport = z.infer<typeof usageReportSchema>;

export const disclosureQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export const disclosureRowSchema = z.object({
  applicationId: z.uuid(),
  etownName: z.string(),
  entityName: z.string(),
  creditCode: z.string().nullable(),
  policyName: z.string(),
  supportMode: z.enum(fundSupportModes),
  documentNumber: z.string(),
  approvedYuan: yuan,
  paidYuan: yuan,
  approvedOn: z.string(),
  status: z.enum(fundApplicationStatuses),
});
export const disclosureSchema = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  year: z.number().int().nullable(),
  rows: z.array(disclosureRowSchema),
});
export type Disclosure = z.infer<typeof disclosureSchema>;
