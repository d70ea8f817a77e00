import { describe, expect, it } from 'vitest';
import { previousMonthEnd, shanghaiMinute, shanghaiMonth, shanghaiToday } from './china-date.ts';

describe('the China calendar', () => {
  it('turns an instant into the day, month and minute in Shanghai (UTC+8)', () => {
    const lateOnNewYearsEveUtc = new Date('2026-12-31T16:30:00Z');
    expect(shanghaiToday(lateOnNewYearsEveUtc)).toBe('2027-01-01');
    expect(shanghaiMonth(lateOnNewYearsEveUtc)).toBe('2027-01');
    expect(shanghaiMinute(lateOnNewYearsEveUtc)).toBe('2027-01-01 00:30');
    expect(shanghaiMinute('2026-03-01T01:02:59Z')).toBe('2026-03-01 09:02');
  });

  it('finds the end of the previous month, across years and short Februaries', () => {
    expect(previousMonthEnd(new Date('2026-03-15T00:00:00Z'))).toBe('2026-02-28');
    expect(previousMonthEnd(new Date('2028-03-15T00:00:00Z'))).toBe('2028-02-29');
    expect(previousMonthEnd(new Date('2026-12-31T16:00:00Z'))).toBe('2026-12-31');
  });
});
