import { describe, expect, it } from 'vitest';
import { growthPct, type MonthlyAggregateRow, shiftMonth, withGrowth } from './monthly-aggregate.ts';

describe('monthly growth', () => {
  it('shifts months across years', () => {
    expect(shiftMonth('2025-01', -1)).toBe('2024-12');
    expect(shiftMonth('2025-03', -12)).toBe('2024-03');
    expect(shiftMonth('2024-12', 1)).toBe('2025-01');
  });

  it('gives percent change exactly, rounded half away from zero, and nothing against zero', () => {
    expect(growthPct(110n, 100n)).toBe('10.00');
    expect(growthPct(90n, 100n)).toBe('-10.00');
    expect(growthPct(2n, 3n)).toBe('-33.33');
    expect(growthPct(1n, 3n)).toBe('-66.67');
    expect(growthPct(100_001n, 100_000n)).toBe('0.00');
    expect(growthPct(5n, 0n)).toBeNull();
    expect(growthPct(5n, undefined)).toBeNull();
  });

  it('finds the previous month and the same month last year of the same region', () => {
    const row = (regionCode: string, month: string, outputFen: bigint): MonthlyAggregateRow => ({
      level: 'county',
      regionCode,
      month,
      rows: 1,
      outputFen,
      onlineRetailFen: outputFen,
      crossBorderFen: 0n,
      orders: 0n,
      employees: 0n,
      ecommerceEmployees: 0n,
    });
    const result = withGrowth([
      row('140827', '2024-03', 100n),
      row('140827', '2025-02', 200n),
      row('140827', '2025-03', 250n),
      row('140826', '2025-02', 1n),
    ]);
    expect(result[2]?.outputGrowth).toEqual({ momPct: '25.00', yoyPct: '150.00' });
    expect(result[1]?.outputGrowth).toEqual({ momPct: null, yoyPct: null });
  });
});
