/** The monthly-statistics API's shapes (src/modules/stats/monthly-report.routes.ts). */
export type MonthlyStatus = 'draft' | 'submitted' | 'approved' | 'returned';

export type MonthlyValues = {
  outputYuan: string | null;
  onlineRetailYuan: string | null;
  crossBorderYuan: string | null;
  orders: number | null;
  employees: number | null;
  ecommerceEmployees: number | null;
};

export type MonthlyReport = {
  id: string;
  entity: { id: string; name: string; creditCode: string; etownCode: string };
  month: string;
  status: MonthlyStatus;
  source: string;
  values: MonthlyValues;
  outlierExplanation: string | null;
  outliers: {
    field: string;
    label: string;
    previous: string;
    current: string;
    changePct: number;
    thresholdPct: number;
  }[];
  warnings: string[];
  deadline: string;
  submittedAt: string | null;
  late: boolean;
  reviewedAt: string | null;
  returnReason: string | null;
  reopenCount: number;
};

export type ReportingProgress = {
  month: string;
  deadline: string;
  regions: {
    code: string;
    name: string;
    level: 'county' | 'etown';
    entities: number;
    reported: number;
    onTime: number;
    completenessPct: number;
    timelinessPct: number;
  }[];
  missing: { entityId: string; name: string; creditCode: string; etownCode: string; etownName: string }[];
};

export const monthlyStatusLabels: Record<MonthlyStatus, { label: string; color: string }> = {
  draft: { label: '草稿', color: 'default' },
  submitted: { label: '待审核', color: 'processing' },
  approved: { label: '已通过', color: 'success' },
  returned: { label: '已退回', color: 'warning' },
};

export const monthlyFieldLabels: Record<keyof MonthlyValues, string> = {
  outputYuan: '总产值（元）',
  onlineRetailYuan: '网络零售额（元）',
  crossBorderYuan: '其中跨境（元）',
  orders: '订单数',
  employees: '从业人员',
  ecommerceEmployees: '电商从业人员',
};
