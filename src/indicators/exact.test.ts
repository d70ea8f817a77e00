import { describe, expect, it } from 'vitest';
import {
  compare,
  formatExact,
  formatFen,
  formatFloor,
  formatForComparison,
  formatYuan,
  fromDouble,
  parseDecimal,
  parseMoneyText,
  rational,
} from './exact.ts';

describe('exact money', () => {
  it('parses yuan with at most two decimals into integer fen', () => {
    expect(parseMoneyText('8333333.33')).toBe(833333333n);
    expect(parseMoneyText('12.3')).toBe(1230n);
    expect(parseMoneyText('0')).toBe(0n);
    expect(parseMoneyText('12345678901234567890.12')).toBe(1234567890123456789012n);
  });

  it('refuses signs, separators, exponents and a third decimal', () => {
    for (const text of ['-1', '+1', '1,000', '1e3', '12.345', '.5', '5.', ' 5', '']) {
      expect(parseMoneyText(text), text).toBeNull();
    }
  });

  it('prints fen for facts and grouped yuan for sentences', () => {
    expect(formatFen(9999999996n)).toBe('99999999.96');
    expect(formatFen(5n)).toBe('0.05');
    expect(formatYuan(9999999996n)).toBe('99,999,999.96');
    expect(formatYuan(10000000000n)).toBe('100,000,000');
  });
});

describe('exact rationals', () => {
  it('takes a double at its exact binary value', () => {
    expect(fromDouble(0.1)).toEqual(rational(3602879701896397n, 2n ** 55n));
    expect(compare(fromDouble(0.1), parseDecimal('0.1') as ReturnType<typeof rational>)).toBe(1);
    expect(fromDouble(1494498.5)).toEqual(rational(2988997n, 2n));
  });

  it('parses decimals, negative ones and the exponent form JavaScript prints', () => {
    expect(parseDecimal('-2.50')).toEqual(rational(-5n, 2n));
    expect(parseDecimal('1.5e-7')).toEqual(rational(15n, 100000000n));
    expect(parseDecimal('1,5')).toBeNull();
  });

  it('floors, so that a figure just below a bound never prints as the bound', () => {
    expect(formatFloor(rational(2499999995n, 100000000n), 2)).toBe('24.99');
    expect(formatFloor(rational(-5555n, 1000n), 2)).toBe('-5.56');
    expect(formatExact(rational(3n, 2n))).toBe('1.5');
    expect(formatExact(rational(260n))).toBe('260');
    const justAboveFive = rational(5000001n, 1000000n);
    expect(formatForComparison(justAboveFive, 4, [rational(5n)])).toBe('5.000001');
    expect(formatForComparison(rational(3n, 2n), 4, [rational(5n)])).toBe('1.5000');
  });
});
