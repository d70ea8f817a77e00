import { describe, expect, it } from 'vitest';
import {
  eligibleBaseLabel,
  formatRatePercent,
  rateCeilingFen,
  rateLimitCeilingFen,
  rateLimitProblems,
} from './fund-rate-ceiling.ts';

describe('rate ceiling', () => {
  it('takes base × rate and rounds down to the fen, never up', () => {
    // 456,789.01 × 50 % = 228,394.505; 12,345.67 × 2.35 % = 290.123245; 0.01 × 99.99 % = 0.009999.
    expect(rateCeilingFen(45_678_901n, 5_000)).toBe(22_839_450n);
    expect(rateCeilingFen(1_234_567n, 235)).toBe(29_012n);
    expect(rateCeilingFen(1n, 9_999)).toBe(0n);
    expect(rateCeilingFen(400_000_000n, 3_000)).toBe(120_000_000n);
    expect(rateCeilingFen(123n, 10_000)).toBe(123n);
  });

  it('is the lower of the rate ceiling and the cap', () => {
    const limit = { mode: 'project_subsidy' as const, baseFen: 100_000n, rateBp: 3_000 };
    expect(rateLimitCeilingFen({ ...limit, capFen: null })).toBe(30_000n);
    expect(rateLimitCeilingFen({ ...limit, capFen: 10_000n })).toBe(10_000n);
    expect(rateLimitCeilingFen({ ...limit, capFen: 50_000n })).toBe(30_000n);
  });

  it('names each limit an amount exceeds, and says when the ceiling was rounded', () => {
    const limit = {
      mode: 'loan_interest_subsidy' as const,
      baseFen: 45_678_901n,
      rateBp: 5_000,
      capFen: null,
    };
    expect(rateLimitProblems(22_839_450n, limit)).toEqual([]);
    expect(rateLimitProblems(22_839_451n, limit)).toEqual([
      '不能超过贴息基数 456,789.01 元 × 50% = 228,394.50 元（按分向下取整）',
    ]);
    expect(
      rateLimitProblems(30_001n, {
        mode: 'rent_reduction',
        baseFen: 100_000n,
        rateBp: 3_000,
        capFen: 20_000n,
      }),
    ).toEqual(['不能超过减免基数 1,000 元 × 30% = 300 元', '不能超过政策单项上限 200 元']);
  });

  it('labels the base by what the rate applies to, and prints rates without trailing zeros', () => {
    expect(eligibleBaseLabel('loan_interest_subsidy')).toBe('贴息基数（实际支付利息）');
    expect(eligibleBaseLabel('project_subsidy')).toBe('补助基数（项目实际投资额）');
    expect([3_000, 250, 235, 10_000, 1].map(formatRatePercent)).toEqual(['30', '2.5', '2.35', '100', '0.01']);
  });
});
