import { Tag } from 'antd';
import type { EvaluationStatus } from '../../api/types.ts';

const statusColors: Record<EvaluationStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  returned: 'error',
  approved: 'success',
  expert_review: 'purple',
  rectification: 'warning',
  accepted: 'green',
};

export function EvaluationStatusTag({ status, label }: { status: EvaluationStatus; label: string }) {
  return (
    <Tag color={statusColors[status]} data-testid="evaluation-status">
      {label}
    </Tag>
  );
}

const indicatorStatus: Record<string, { color: string; label: string }> = {
  met: { color: 'green', label: '达标' },
  unmet: { color: 'red', label: '未达标' },
  pending: { color: 'orange', label: '待定' },
};

/** The platform's met / unmet / pending verdict: green, red, orange. */
/** The engine's reasons start so when a target of a year still running is not reached yet. */
const RUNNING_YEAR_PREFIX = '年度进行中';

/** A pending status reads 待定（年度进行中） when it only waits for the year to end. */
export function IndicatorStatusTag({
  status,
  reasons = [],
}: {
  status: string;
  reasons?: readonly string[];
}) {
  const known = indicatorStatus[status] ?? { color: 'default', label: status };
  const running =
    status === 'pending' &&
    reasons.length > 0 &&
    reasons.every((reason) => reason.startsWith(RUNNING_YEAR_PREFIX));
  return (
    <Tag color={running ? 'processing' : known.color} data-testid={`indicator-status-${status}`}>
      {running ? `${known.label}（年度进行中）` : known.label}
    </Tag>
  );
}

export const reviewStatusLabels = { pending: '待审', approved: '已通过', returned: '已退回' } as const;
export const rectificationStatusLabels = { open: '未开始', in_progress: '整改中', closed: '已完成' } as const;
export const historyKindLabels: Record<string, string> = {
  returned: '退回',
  resubmitted: '重新提交',
  submitted: '提交',
  approved: '通过',
};
