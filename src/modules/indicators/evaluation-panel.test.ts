import { describe, expect, it } from 'vitest';
import { panelResult } from './evaluation-panel.ts';

const panel = (...scores: number[]) => scores.map((score, index) => ({ expertId: `e${index}`, score }));

describe('expert panel result', () => {
  it('is empty without scores', () => {
    expect(panelResult([])).toEqual({ count: 0, mean: null, median: null, outlierExpertIds: [] });
  });

  it('takes the mean to one decimal and marks no outlier in an agreeing panel', () => {
    expect(panelResult(panel(80, 85, 82))).toEqual({
      count: 3,
      mean: 82.3,
      median: 82,
      outlierExpertIds: [],
    });
  });

  it('marks a score more than 15 points from the median', () => {
    expect(panelResult(panel(80, 82, 60)).outlierExpertIds).toEqual(['e2']);
  });

  it('marks a score outside 1.5 × IQR even when it is within 15 points', () => {
    expect(panelResult(panel(80, 80, 80, 80, 81, 94)).outlierExpertIds).toEqual(['e5']);
  });
});
