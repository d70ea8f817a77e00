import { formatFen, parseMoneyText } from '../../../../src/indicators/exact.ts';
import type { RateLimit } from '../../../../src/modules/funds/fund-rate-ceiling.ts';
import type {
  ApplicationStatus,
  DisbursementRequestItem,
  FundPolicy,
  FundSource,
  SupportMode,
  TransactionKind,
} from '../../api/types.ts';

// Labels, money formatting and form rules of the fund pages; the answer types are in ../../api/types.ts.

export const sourceLabels: Record<FundSource, string> = {
  provincial: '省级财政',
  city: '市级财政',
  county: '县级财政',
  social: '社会资本',
};
export const supportModeLabels: Record<SupportMode, string> = {
  project_subsidy: '项目补助',
  loan_interest_subsidy: '贷款贴息',
  reward_in_lieu: '以奖代补',
  rent_reduction: '房租减免',
  award: '奖励',
};
export const statusLabels: Record<ApplicationStatus, string> = {
  submitted: '待审核',
  returned: '已退回',
  rejected: '未通过',
  approved: '已核定',
  settled: '已结算',
};
export const statusColors: Record<ApplicationStatus, string> = {
  submitted: 'processing',
  returned: 'warning',
  rejected: 'error',
  approved: 'success',
  settled: 'default',
};
export const transactionKindLabels: Record<TransactionKind, string> = {
  allocate: '预算下达',
  approve: '核定资金',
  disburse: '拨付',
  settle: '结算退回',
};

const groupThousands = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "1500000.5" → "1,500,000.50 元": exact text from the server's yuan string, never through a float. */
export function formatYuan(yuan: string | null | undefined, unit = true): string {
  if (yuan === null || yuan === undefined) return '—';
  const negative = yuan.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? yuan.slice(1) : yuan).split('.');
  const text = `${negative ? '-' : ''}${groupThousands(whole)}.${fraction.padEnd(2, '0').slice(0, 2)}`;
  return unit ? `${text} 元` : text;
}

/** "1500000.5" → "¥1,500,000.50", "-12" → "-¥12.00": for tables of figures, right-aligned. */
export function formatMoney(yuan: string | null | undefined): string {
  if (yuan === null || yuan === undefined) return '—';
  const text = formatYuan(yuan, false);
  return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`;
}

/** Exact sum of the server's yuan strings ("12.50"), through integer fen. */
export function sumYuan(values: string[]): string {
  return formatFen(values.reduce((total, yuan) => total + BigInt(yuan.replace('.', '')), 0n));
}

/** Money as typed into a form: digits with at most two decimals. */
export const yuanPattern = /^\d{1,13}(\.\d{1,2})?$/;

/** Typed yuan as integer fen, or null while it is not (yet) a valid amount above zero. */
export function typedFen(text: string | null | undefined): bigint | null {
  const trimmed = text?.trim() ?? '';
  if (!yuanPattern.test(trimmed)) return null;
  const fen = parseMoneyText(trimmed);
  return fen && fen > 0n ? fen : null;
}

/** The policy's rate in basis points ("2.50" % → 250), 0 for an amount-type policy. */
export const policyRateBp = (policy: FundPolicy) =>
  policy.ratePercent === null ? 0 : Number(parseMoneyText(policy.ratePercent));

/** A rate-type policy's limit on the base typed into a form; null under an amount-type policy or without a base. */
export function typedRateLimit(policy: FundPolicy | undefined, baseText: string | null | undefined) {
  const baseFen = typedFen(baseText);
  if (policy?.standardKind !== 'rate' || baseFen === null) return null;
  return {
    mode: policy.supportMode,
    baseFen,
    rateBp: policyRateBp(policy),
    capFen: policy.capYuan === null ? null : parseMoneyText(policy.capYuan),
  } satisfies RateLimit;
}
export const yuanRule = { pattern: yuanPattern, message: '请输入金额（元），最多两位小数，如 150000.00' };

/**
 * A fresh key per operation, so a retried request (double click, network retry) never pays twice.
 * `randomUUID` exists only in secure contexts; plain-HTTP intranet deployments get random hex instead.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export type DisbursementRequestStatus = DisbursementRequestItem['status'];

export const disbursementRequestStatusLabels: Record<DisbursementRequestStatus, string> = {
  pending: '待县财政局审批',
  approved: '已批准拨付',
  returned: '已退回',
};
export const disbursementRequestStatusColors: Record<DisbursementRequestStatus, string> = {
  pending: 'processing',
  approved: 'success',
  returned: 'warning',
};
