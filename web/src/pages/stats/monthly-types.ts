import type { MonthlyStatus, MonthlyValues } from '../../api/types.ts';

// Labels of the monthly-statistics pages; the answer types are in ../../api/types.ts.

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
