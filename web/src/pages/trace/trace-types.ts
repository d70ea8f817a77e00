import type { ScanAnomalyView } from '../../api/types.ts';

// Labels and formatting of the trace pages; the answer types are in ../../api/types.ts.

export const MAX_CODES_PER_RUN = 1_000_000;
export const MAX_LABELS_PER_SHEET = 2_000;

export const anomalyKindLabels: Record<ScanAnomalyView['kind'], { label: string; color: string }> = {
  excessive_scans: { label: '查询次数异常', color: 'orange' },
  recalled_batch: { label: '召回批次被扫码', color: 'red' },
  revoked_brand: { label: '授权已撤销仍在流通', color: 'volcano' },
};

export const anomalyStatusLabels: Record<ScanAnomalyView['status'], { label: string; color: string }> = {
  open: { label: '待核查', color: 'processing' },
  confirmed: { label: '已确认异常', color: 'error' },
  dismissed: { label: '已排除', color: 'default' },
};

export const clientLabels: Record<string, string> = { wechat: '微信', alipay: '支付宝', browser: '浏览器' };

export const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 3 : 1)}%`;
export const count = (value: number) => value.toLocaleString('zh-CN');
