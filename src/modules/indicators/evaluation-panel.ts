/**
 * The expert panel's result per indicator: the mean of the experts' scores, with outliers marked. A score
 * is an outlier when it lies more than 15 points from the median, or outside Q1 − 1.5·IQR … Q3 + 1.5·IQR
 * (quartiles by linear interpolation); the 15-point rule catches a lone dissenter in panels of 2–4
 * experts, where the quartiles alone say little.
 */
export type PanelScore = { expertId: string; score: number };
export type PanelResult = {
  count: number;
  mean: number | null;
  median: number | null;
  outlierExpertIds: string[];
};

export const OUTLIER_DISTANCE_FROM_MEDIAN = 15;

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export function panelResult(scores: PanelScore[]): PanelResult {
  if (scores.length === 0) return { count: 0, mean: null, median: null, outlierExpertIds: [] };
  const sorted = scores.map((entry) => entry.score).sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = q3 - q1;
  const outlierExpertIds = scores
    .filter(
      (entry) =>
        Math.abs(entry.score - median) > OUTLIER_DISTANCE_FROM_MEDIAN ||
        entry.score < q1 - 1.5 * iqr ||
        entry.score > q3 + 1.5 * iqr,
    )
    .map((entry) => entry.expertId);
  const mean = Math.round((sorted.reduce((sum, score) => sum + score, 0) / sorted.length) * 10) / 10;
  return { count: scores.length, mean, median, outlierExpertIds };
}
