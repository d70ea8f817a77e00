import type { z } from 'zod';
import type {
  allocationSchema,
  applicationListSchema,
  applicationSummarySchema,
  budgetOverviewSchema,
  disclosureSchema,
  fundSettingsSchema,
} from '../../../../src/modules/funds/funds.schemas.ts';

// The server's own response shapes (types only: nothing of the server is bundled).
export type {
  ApplicationDetail,
  Disclosure,
  FundPolicy,
  UsageReport,
} from '../../../../src/modules/funds/funds.schemas.ts';
export type ApplicationSummary = z.infer<typeof applicationSummarySchema>;
export type ApplicationList = z.infer<typeof applicationListSchema>;
export type BudgetOverview = z.infer<typeof budgetOverviewSchema>;
export type Allocation = z.infer<typeof allocationSchema>;
export type FundSettings = z.infer<typeof fundSettingsSchema>;
export type DisclosureData = z.infer<typeof disclosureSchema>;

export type FundSource = 'provincial' | 'city' | 'county' | 'social';
export type SupportMode =
  | 'project_subsidy'
  | 'loan_interest_subsidy'
  | 'reward_in_lieu'
  | 'rent_reduction'
  | 'award';
export type ApplicationStatus = 'submitted' | 'returned' | 'rejected' | 'approved' | 'settled';
export type TransactionKind = 'allocate' | 'approve' | 'disburse' | 'settle';

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

/** Money as typed into a form: digits with at most two decimals. */
export const yuanPattern = /^\d{1,13}(\.\d{1,2})?$/;
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
