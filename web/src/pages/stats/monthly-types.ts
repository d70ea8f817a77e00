/** The monthly-statistics API's shapes: the server's own types (type-only, nothing enters the bundle). */
import type { MonthlyStatus } from '../../../../src/db/schema/stats.ts';
import type {
  MonthlyReportView,
  MonthlyValues,
  ReportingProgress,
} from '../../../../src/modules/stats/monthly-report.service.ts';

export type { MonthlyStatus, MonthlyValues, ReportingProgress };
export type MonthlyReport = MonthlyReportView;

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
