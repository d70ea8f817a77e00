/** Shapes of the projects, facilities and supervision API (src/modules/projects/projects.schemas.ts). */

export type StoredFile = { id: string; fileName: string; mediaType: string; sizeBytes: number };
export type ProjectStatus = 'planned' | 'in_progress' | 'completed' | 'suspended';
export type FundSource = 'provincial' | 'city' | 'county' | 'social';
export type FacilityKind = 'service_center' | 'showroom' | 'logistics_center' | 'training_center';
export type InspectionKind = 'routine' | 'onsite' | 'third_party';
export type FindingStatus = 'open' | 'rectified' | 'closed';
export type IncidentCategory = 'land' | 'environment' | 'debt' | 'housing_speculation' | 'work_safety';
export type DocumentKind =
  | 'plan'
  | 'reward_policy'
  | 'brand_management'
  | 'streamlining_policy'
  | 'leading_group'
  | 'fund_management';

export type ProjectSummary = {
  id: string;
  etownCode: string;
  etownName: string;
  name: string;
  ownerEntityId: string | null;
  ownerEntityName: string | null;
  status: ProjectStatus;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  progressPct: number | null;
  totalInvestmentYuan: string;
  version: number;
};

export type ProjectDetail = ProjectSummary & {
  description: string | null;
  milestones: { id: string; name: string; plannedOn: string; actualOn: string | null; late: boolean }[];
  reports: {
    id: string;
    reportedOn: string;
    progressPct: number;
    summary: string;
    createdByName: string | null;
    photos: StoredFile[];
  }[];
  photos: StoredFile[];
  investments: { id: string; source: FundSource | null; amountYuan: string; investedOn: string }[];
  investmentBySource: { source: FundSource | null; amountYuan: string }[];
  facilities: { id: string; kind: FacilityKind; name: string }[];
};

export type FacilityPlanCheck = {
  indicatorNo: number;
  label: string;
  standard: string;
  met: boolean;
  reasons: string[];
};

export type Facility = {
  id: string;
  etownCode: string;
  etownName: string;
  kind: FacilityKind;
  name: string;
  buildingAreaM2: string;
  features: string[];
  projectId: string | null;
  projectName: string | null;
  openedOn: string | null;
  version: number;
  planChecks: FacilityPlanCheck[];
  photos: StoredFile[];
};

export type Finding = {
  id: string;
  inspectionId: string;
  inspectionKind: InspectionKind;
  inspectedOn: string;
  etownCode: string;
  etownName: string;
  description: string;
  owner: string;
  deadline: string;
  status: FindingStatus;
  overdue: boolean;
  rectificationNote: string | null;
  rectifiedAt: string | null;
  rectifiedByName: string | null;
  closeNote: string | null;
  closedAt: string | null;
  closedByName: string | null;
  files: StoredFile[];
  version: number;
};

export type Inspection = {
  id: string;
  etownCode: string;
  etownName: string;
  kind: InspectionKind;
  inspectedOn: string;
  inspectors: string;
  summary: string;
  findingCounts: { open: number; rectified: number; closed: number; overdue: number };
};

export type Incident = {
  id: string;
  etownCode: string;
  etownName: string;
  occurredOn: string;
  category: IncidentCategory;
  description: string | null;
  handling: string | null;
  handledOn: string | null;
  /** Who recorded it; null for incidents that came in with a ledger file. */
  recordedByName: string | null;
  /** The e-town's answer (情况说明 / 整改说明), by whom and when. */
  answer: string | null;
  answeredByName: string | null;
  answeredAt: string | null;
};

export type PolicyDocument = {
  id: string;
  etownCode: string;
  etownName: string;
  kind: DocumentKind;
  title: string;
  docNo: string | null;
  issuedOn: string;
  issuer: string | null;
  fileName: string | null;
  mediaType: string | null;
};

export const projectStatusLabels: Record<ProjectStatus, string> = {
  planned: '计划中',
  in_progress: '建设中',
  completed: '已完工',
  suspended: '已暂停',
};
export const projectStatusColors: Record<ProjectStatus, string> = {
  planned: 'default',
  in_progress: 'processing',
  completed: 'success',
  suspended: 'warning',
};
export const fundSourceLabels: Record<FundSource, string> = {
  provincial: '省级财政',
  city: '市级财政',
  county: '县级财政',
  social: '社会资本',
};
export const facilityKindLabels: Record<FacilityKind, string> = {
  service_center: '电商公共服务中心',
  showroom: '电商产品展示体验中心',
  logistics_center: '物流配送中心',
  training_center: '电商产业培训孵化中心',
};
export const facilityFeatureLabels: Record<string, string> = {
  big_data_center: '大数据中心',
  live_room: '直播间',
  display: '产品陈列展示',
  tasting: '体验品鉴',
  sales_matching: '销售对接',
  sorting: '分拣',
  cold_storage: '冷链仓储',
  dispatch: '配送调度',
  office: '办公',
};
export const inspectionKindLabels: Record<InspectionKind, string> = {
  routine: '日常监督检查',
  onsite: '现场检查',
  third_party: '第三方核查',
};
export const findingStatusLabels: Record<FindingStatus, string> = {
  open: '待整改',
  rectified: '已整改待销号',
  closed: '已销号',
};
export const findingStatusColors: Record<FindingStatus, string> = {
  open: 'orange',
  rectified: 'blue',
  closed: 'green',
};
export const incidentCategoryLabels: Record<IncidentCategory, string> = {
  land: '用地',
  environment: '生态环保',
  debt: '债务防控',
  housing_speculation: '房住不炒',
  work_safety: '生产安全',
};
export const documentKindLabels: Record<DocumentKind, string> = {
  plan: '实施方案和发展规划',
  reward_policy: '电商企业奖励办法',
  brand_management: '区域公用品牌运行和管理制度',
  streamlining_policy: '“放管服”专门政策',
  leading_group: '工作领导小组文件',
  fund_management: '资金管理办法',
};

export const optionsOf = <K extends string>(labels: Record<K, string>) =>
  (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));

/** "1734567.89" → "1,734,567.89 元". */
export function formatYuanText(yuan: string): string {
  const [whole = '0', cents = '00'] = yuan.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents} 元`;
}

/** One inspection with its findings (GET /api/inspections/:id, POST /api/inspections/:id/findings). */
export type InspectionDetail = Inspection & { findings: Finding[] };
