import type { fundSupportModes } from '../../db/schema/funds.ts';
import { formatFen, formatYuan } from '../../indicators/exact.ts';

// Pure and free of server imports: the web form computes the same ceiling live from this file.

type SupportMode = (typeof fundSupportModes)[number];

/**
 * What a rate-type policy's rate applies to, per support mode: a 贷款贴息 subsidizes the interest actually
 * paid on the loan, a 项目补助 a share of the eligible investment, a 房租减免 a share of the rent paid.
 */
export const eligibleBaseLabels = {
  loan_interest_subsidy: { name: '贴息基数', meaning: '实际支付利息' },
  project_subsidy: { name: '补助基数', meaning: '项目实际投资额' },
  reward_in_lieu: { name: '奖补基数', meaning: '经认定的投资额' },
  rent_reduction: { name: '减免基数', meaning: '实际支付租金' },
  award: { name: '奖励基数', meaning: '经认定的金额' },
} as const satisfies Record<SupportMode, { name: string; meaning: string }>;

/** "贴息基数（实际支付利息）": the form's label and the name error messages use. */
export const eligibleBaseLabel = (mode: SupportMode) =>
  `${eligibleBaseLabels[mode].name}（${eligibleBaseLabels[mode].meaning}）`;

/** base × rate in basis points (100 bp = 1 %), rounded down to the fen. */
export const rateCeilingFen = (baseFen: bigint, rateBp: number): bigint =>
  (baseFen * BigInt(rateBp)) / 10_000n;

/** 3000 bp → "30", 250 bp → "2.5", 235 bp → "2.35". */
export function formatRatePercent(rateBp: number): string {
  return formatFen(BigInt(rateBp)).replace(/\.?0+$/, '');
}

export type RateLimit = {
  mode: SupportMode;
  baseFen: bigint;
  rateBp: number;
  /** The policy's 单项上限, if it has one. */
  capFen: bigint | null;
};

/** The most an application may ask or be approved under a rate-type policy: base × rate, and the cap. */
export function rateLimitCeilingFen(limit: RateLimit): bigint {
  const byRate = rateCeilingFen(limit.baseFen, limit.rateBp);
  return limit.capFen !== null && limit.capFen < byRate ? limit.capFen : byRate;
}

/** "贴息基数 456,789.01 元 × 50% = 228,394.50 元（按分向下取整）": how the rate ceiling comes about. */
export function rateCeilingWorking(limit: RateLimit): string {
  const product = limit.baseFen * BigInt(limit.rateBp);
  const rounded = product % 10_000n !== 0n ? '（按分向下取整）' : '';
  return `${eligibleBaseLabels[limit.mode].name} ${formatYuan(limit.baseFen)} 元 × ${formatRatePercent(limit.rateBp)}% = ${formatYuan(product / 10_000n)} 元${rounded}`;
}

/**
 * Why `amountFen` is too much under a rate-type policy, one phrase per limit it exceeds (empty when it
 * fits), each naming the limit: "不能超过贴息基数 4,000,000 元 × 30% = 1,200,000 元".
 */
export function rateLimitProblems(amountFen: bigint, limit: RateLimit): string[] {
  const problems: string[] = [];
  if (amountFen > rateCeilingFen(limit.baseFen, limit.rateBp))
    problems.push(`不能超过${rateCeilingWorking(limit)}`);
  if (limit.capFen !== null && amountFen > limit.capFen) {
    problems.push(`不能超过政策单项上限 ${formatYuan(limit.capFen)} 元`);
  }
  return problems;
}
