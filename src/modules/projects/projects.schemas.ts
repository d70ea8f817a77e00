import { z } from 'zod';
import { documentKinds } from '../../db/schema/documents.ts';
import { fundSources } from '../../db/schema/funds.ts';
import {
  facilityKinds,
  findingStatuses,
  incidentCategories,
  inspectionKinds,
  projectStatuses,
} from '../../db/schema/projects.ts';
import {
  etownCodeSchema,
  expectedVersionSchema,
  isoDateSchema,
  pageQueryFields,
  recordVersionSchema,
  regionCodeSchema,
  withFenNames,
} from '../../http/schemas.ts';
import { facilityFeatureLabels } from '../../indicators/ledger-schema.ts';
import { yuanAmountSchema } from '../funds/funds.schemas.ts';

export const projectStatusLabels = {
  planned: '计划中',
  in_progress: '建设中',
  completed: '已完工',
  suspended: '已暂停',
} as const satisfies Record<(typeof projectStatuses)[number], string>;

export const inspectionKindLabels = {
  routine: '日常监督检查',
  onsite: '现场检查',
  third_party: '第三方核查',
} as const satisfies Record<(typeof inspectionKinds)[number], string>;

export const findingStatusLabels = {
  open: '待整改',
  rectified: '已整改待销号',
  closed: '已销号',
} as const satisfies Record<(typeof findingStatuses)[number], string>;

const requiredText = (label: string, max: number) =>
  z.string(`请填写${label}`).trim().min(1, `请填写${label}`).max(max, `${label}最多 ${max} 个字`);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label}最多 ${max} 个字`)
    .nullish()
    .transform((value) => value || null);
const optionalDate = isoDateSchema.nullish().transform((value) => value ?? null);
const version = z.number('请提供版本号').int().positive();
const featureCodes = Object.keys(facilityFeatureLabels) as [keyof typeof facilityFeatureLabels];

export const idParams = z.object({ id: z.uuid('编号格式不正确') });
const childId = z.uuid('编号格式不正确');
export const milestoneParams = idParams.extend({ milestoneId: childId });
export const photoParams = idParams.extend({ photoId: childId });
export const investmentParams = idParams.extend({ investmentId: childId });
export const fileParams = idParams.extend({ fileId: childId });
export const fileNameQuerySchema = z.object({
  fileName: z.string().trim().min(1, '请提供文件名').max(200, '文件名最多 200 个字'),
});
export const regionQuerySchema = z.object({ regionCode: regionCodeSchema.optional() });

const fileSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
});
export type StoredFileView = z.infer<typeof fileSchema>;

// ---- projects ----

const milestoneInput = z.object({
  name: requiredText('里程碑名称', 100),
  plannedOn: isoDateSchema,
  actualOn: optionalDate,
});

const projectFields = {
  name: requiredText('项目名称', 200),
  ownerEntityId: z
    .uuid('请选择项目业主')
    .nullish()
    .transform((value) => value ?? null),
  description: optionalText('建设内容', 5000),
  plannedStart: optionalDate,
  plannedEnd: optionalDate,
};
const plannedOrder = (
  input: { plannedStart: string | null; plannedEnd: string | null },
  ctx: z.RefinementCtx,
) => {
  if (input.plannedStart && input.plannedEnd && input.plannedEnd < input.plannedStart) {
    ctx.addIssue({ code: 'custom', path: ['plannedEnd'], message: '计划完工日期不能早于计划开工日期' });
  }
};

export const createProjectBodySchema = z
  .object({
    etownCode: etownCodeSchema,
    ...projectFields,
    milestones: z.array(milestoneInput).max(50).default([]),
  })
  .superRefine(plannedOrder);
export type CreateProjectInput = z.infer<typeof createProjectBodySchema>;

export const updateProjectBodySchema = z.object({ ...projectFields, version }).superRefine(plannedOrder);
export type UpdateProjectInput = z.infer<typeof updateProjectBodySchema>;

export const projectStatusBodySchema = z.object({
  status: z.enum(projectStatuses, '请选择项目状态'),
  /** The day work started or finished, when the change starts or completes the project; today if absent. */
  on: optionalDate,
  version,
});
export type ProjectStatusInput = z.infer<typeof projectStatusBodySchema>;

export const milestoneBodySchema = milestoneInput;
export type MilestoneInput = z.infer<typeof milestoneBodySchema>;
export const updateMilestoneBodySchema = milestoneInput.extend({ version: expectedVersionSchema });
export type UpdateMilestoneInput = z.infer<typeof updateMilestoneBodySchema>;

export const progressReportBodySchema = z.object({
  reportedOn: isoDateSchema,
  progressPct: z
    .number('请填写形象进度')
    .int('形象进度须为整数')
    .min(0, '形象进度 0–100')
    .max(100, '形象进度 0–100'),
  summary: requiredText('进度说明', 2000),
});
export type ProgressReportInput = z.infer<typeof progressReportBodySchema>;

export const investmentBodySchema = withFenNames(
  z.object({
    source: z.enum(fundSources, '请选择资金来源'),
    amountYuan: yuanAmountSchema('投资金额'),
    investedOn: isoDateSchema,
  }),
);
export type InvestmentInput = z.infer<typeof investmentBodySchema>;

export const listProjectsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  status: z.enum(projectStatuses, '状态须为 planned、in_progress、completed 或 suspended').optional(),
  ...pageQueryFields,
});
export type ListProjectsQuery = z.infer<typeof listProjectsQuerySchema>;

const investmentSchema = z.object({
  id: z.string(),
  source: z.enum(fundSources).nullable(),
  amountYuan: z.string(),
  investedOn: z.string(),
});

export const projectSummarySchema = z.object({
  id: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  name: z.string(),
  ownerEntityId: z.string().nullable(),
  ownerEntityName: z.string().nullable(),
  status: z.enum(projectStatuses),
  plannedStart: z.string().nullable(),
  plannedEnd: z.string().nullable(),
  actualStart: z.string().nullable(),
  actualEnd: z.string().nullable(),
  /** Latest reported progress (0–100), null before the first report. */
  progressPct: z.number().nullable(),
  totalInvestmentYuan: z.string(),
  version: z.number(),
});
export type ProjectSummary = z.infer<typeof projectSummarySchema>;

export const projectListSchema = z.object({
  items: z.array(projectSummarySchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const projectDetailSchema = projectSummarySchema.extend({
  description: z.string().nullable(),
  milestones: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      plannedOn: z.string(),
      actualOn: z.string().nullable(),
      /** Done after its planned day, or not done and the planned day has passed. */
      late: z.boolean(),
      version: recordVersionSchema,
    }),
  ),
  reports: z.array(
    z.object({
      id: z.string(),
      reportedOn: z.string(),
      progressPct: z.number(),
      summary: z.string(),
      createdByName: z.string().nullable(),
      photos: z.array(fileSchema),
    }),
  ),
  photos: z.array(fileSchema),
  investments: z.array(investmentSchema),
  investmentBySource: z.array(z.object({ source: z.enum(fundSources).nullable(), amountYuan: z.string() })),
  facilities: z.array(z.object({ id: z.string(), kind: z.enum(facilityKinds), name: z.string() })),
});
export type ProjectDetail = z.infer<typeof projectDetailSchema>;

// ---- facilities ----

const facilityFields = {
  kind: z.enum(facilityKinds, '请选择设施类型'),
  name: requiredText('设施名称', 200),
  buildingAreaM2: z
    .string('请填写建筑面积')
    .trim()
    .regex(/^\d{1,12}(\.\d{1,2})?$/, '建筑面积须为数字（平方米，最多两位小数）'),
  features: z.array(z.enum(featureCodes, '功能分区不正确')).max(20).default([]),
  projectId: z
    .uuid('请选择项目')
    .nullish()
    .transform((value) => value ?? null),
  openedOn: optionalDate,
};
export const createFacilityBodySchema = z.object({ etownCode: etownCodeSchema, ...facilityFields });
export type CreateFacilityInput = z.infer<typeof createFacilityBodySchema>;
export const updateFacilityBodySchema = z.object({ ...facilityFields, version });
export type UpdateFacilityInput = z.infer<typeof updateFacilityBodySchema>;

export const listFacilitiesQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  kind: z.enum(facilityKinds).optional(),
});

/** One catalog condition for the facility's kind, checked against this facility alone. */
const planCheckSchema = z.object({
  indicatorNo: z.number(),
  label: z.string(),
  standard: z.string(),
  met: z.boolean(),
  reasons: z.array(z.string()),
});
export type FacilityPlanCheck = z.infer<typeof planCheckSchema>;

export const facilitySchema = z.object({
  id: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  kind: z.enum(facilityKinds),
  name: z.string(),
  buildingAreaM2: z.string(),
  features: z.array(z.enum(featureCodes)),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  openedOn: z.string().nullable(),
  version: z.number(),
  planChecks: z.array(planCheckSchema),
  photos: z.array(fileSchema),
});
export type FacilityView = z.infer<typeof facilitySchema>;

// ---- inspections and findings ----

const findingInput = z.object({
  description: requiredText('问题描述', 2000),
  owner: requiredText('责任单位/责任人', 200),
  deadline: isoDateSchema,
});
export const findingBodySchema = findingInput;
export type FindingInput = z.infer<typeof findingBodySchema>;

export const createInspectionBodySchema = z.object({
  etownCode: etownCodeSchema,
  kind: z.enum(inspectionKinds, '请选择检查类型'),
  inspectedOn: isoDateSchema,
  inspectors: requiredText('检查人员/机构', 200),
  summary: requiredText('检查情况', 5000),
  findings: z.array(findingInput).max(100).default([]),
});
export type CreateInspectionInput = z.infer<typeof createInspectionBodySchema>;

export const listInspectionsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  kind: z.enum(inspectionKinds).optional(),
});

export const rectifyBodySchema = z.object({ note: requiredText('整改情况', 2000), version });
export type RectifyInput = z.infer<typeof rectifyBodySchema>;
export const reviewFindingBodySchema = z.object({ note: requiredText('销号意见', 2000), version });
export type ReviewFindingInput = z.infer<typeof reviewFindingBodySchema>;

export const listFindingsQuerySchema = z.object({
  regionCode: regionCodeSchema.optional(),
  status: z.enum(findingStatuses).optional(),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true')),
  inspectionId: z.uuid().optional(),
});
export type ListFindingsQuery = z.infer<typeof listFindingsQuerySchema>;

export const findingSchema = z.object({
  id: z.string(),
  inspectionId: z.string(),
  inspectionKind: z.enum(inspectionKinds),
  inspectedOn: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  description: z.string(),
  owner: z.string(),
  deadline: z.string(),
  status: z.enum(findingStatuses),
  /** Past its deadline (Asia/Shanghai calendar) and not closed. */
  overdue: z.boolean(),
  rectificationNote: z.string().nullable(),
  rectifiedAt: z.string().nullable(),
  rectifiedByName: z.string().nullable(),
  closeNote: z.string().nullable(),
  closedAt: z.string().nullable(),
  closedByName: z.string().nullable(),
  files: z.array(fileSchema),
  version: z.number(),
});
export type FindingView = z.infer<typeof findingSchema>;

export const inspectionSchema = z.object({
  id: z.string(),
  etownCode: z.string(),
  etownName: z.string(),
  kind: z.enum(inspectionKinds),
  inspectedOn: z.string(),
  inspectors: z.string(),
  summary: z.string(),
  findingCounts: z.object({
    open: z.number(),
    rectified: z.number(),
    closed: z.number(),
    overdue: z.number(),
  }),
});
export const inspectionDetailSchema = inspectionSchema.extend({ findings: z.array(findingSchema) });

// ---- compliance incidents ----

const incidentFields = {
  occurredOn: isoDateSchema,
  category: z.enum(incidentCategories, '请选择事件类别'),
  description: optionalText('事件经过', 2000),
  handling: optionalText('处置情况', 2000),
  handledOn: optionalDate,
};
export const createIncidentBodySchema = z.object({ etownCode: etownCodeSchema, ...incidentFields });
export type CreateIncidentInput = z.infer<typeof createIncidentBodySchema>;
export const updateIncidentBodySchema = z.object({ ...incidentFields, version: expectedVersionSchema });
export type UpdateIncidentInput = z.infer<typeof updateIncidentBodySchema>;

/** The e-town's answer to an incident recorded about it: its explanation or rectification statement. */
export const answerIncidentBodySchema = z.object({ answer: requiredText('答复内容', 2000) });
export type AnswerIncidentInput = z.infer<typeof answerIncidentBodySchema>;

export const incidentSchema = z.object({
  id: z.string(),
  version: recordVersionSchema,
  etownCode: z.string(),
  etownName: z.string(),
  occurredOn: z.string(),
  category: z.enum(incidentCategories),
  description: z.string().nullable(),
  handling: z.string().nullable(),
  handledOn: z.string().nullable(),
  /** Who recorded it; null for incidents that came in with a ledger file. */
  recordedByName: z.string().nullable(),
  answer: z.string().nullable(),
  answeredByName: z.string().nullable(),
  answeredAt: z.string().nullable(),
});

// ---- policy documents ----

const documentFields = {
  // #21's leading-group document has one source, the leading-group register (文号 and founding date).
  kind: z
    .enum(documentKinds, '请选择文件类别')
    .refine(
      (kind) => kind !== 'leading_group',
      '领导小组文件以“领导小组”登记为准（文号、成立日期），请在领导小组中登记或修改，不在制度文件中重复登记',
    ),
  title: requiredText('文件标题', 300),
  docNo: optionalText('文号', 100),
  issuedOn: isoDateSchema,
  issuer: optionalText('发文机关', 200),
};
export const createDocumentBodySchema = z.object({ etownCode: etownCodeSchema, ...documentFields });
export type CreateDocumentInput = z.infer<typeof createDocumentBodySchema>;
export const updateDocumentBodySchema = z.object({ ...documentFields, version: expectedVersionSchema });
export type UpdateDocumentInput = z.infer<typeof updateDocumentBodySchema>;

export const documentSchema = z.object({
  id: z.string(),
  version: recordVersionSchema,
  etownCode: z.string(),
  etownName: z.string(),
  kind: z.enum(documentKinds),
  title: z.string(),
  docNo: z.string().nullable(),
  issuedOn: z.string(),
  issuer: z.string().nullable(),
  fileName: z.string().nullable(),
  mediaType: z.string().nullable(),
});
