/** What the judge works out for one metric at one look, before the verdict (shared by gauges and counts). */
import type { Direction } from '../../contracts/advisor.js';

export interface WindowResult {
  /** Window index j (0: since the start). */
  index: number;
  /** Its share of the error budget. */
  weight: number;
  from: number;
  to: number;
  n: { canary: number; baseline: number };
  /** Gauges: the medians; counts: the rates (events per request, or per sample interval). */
  medians: { canary: number | null; baseline: number | null };
  /** The smallest effect that matters, in the shift's units (gauges) or as a rate ratio (counts). */
  margin: number;
  /** Anytime-valid p-value of "the canary is worse by more than the margin", before any correction. */
  pFail: number;
  /** Anytime-valid p-value of "the canary is not worse by more than the margin" (the evidence for a pass). */
  pPass: number;
  /** Anytime-valid p-value of "the canary is worse at all" (no margin): with the estimate beyond the margin, an early warning. */
  pWorse: number;
  /** Shift canary − baseline (gauges: Hodges–Lehmann; counts: rate difference), its confidence-sequence interval and the relative effect. */
  shift: number | null;
  interval: [number, number] | null;
  effect: number | null;
  /** Whether the interval lies wholly beyond the margin in the bad direction, and wholly within it. */
  beyond: boolean;
  within: boolean;
  /** Whether the point estimate alone is beyond the margin in the bad direction (an early sign, never a verdict). */
  leaning: boolean;
  /**
   * Too little power yet: the interval still spans both no change and twice
   * the smallest effect that matters (or there is no interval at all), so
   * the data cannot yet tell a good canary from a clearly bad one.
   */
  underpowered: boolean;
  /** The test in words. */
  rule: string;
}

/** Is a shift (or, for counts, a log ratio) `d` beyond margin `m` in the bad direction? */
export function beyondMargin(d: number, m: number, direction: Direction): boolean {
  if (direction === 'increase_is_bad') return d > m;
  if (direction === 'decrease_is_bad') return d < -m;
  return Math.abs(d) > m;
}

/** Does an interval lie wholly beyond the margin in the bad direction? */
export function intervalBeyond([lo, hi]: [number, number], m: number, direction: Direction): boolean {
  if (direction === 'increase_is_bad') return lo > m;
  if (direction === 'decrease_is_bad') return hi < -m;
  return lo > m || hi < -m;
}

/** Does an interval lie wholly within the margin on the bad side (not worse than the smallest effect that matters)? */
export function intervalWithin([lo, hi]: [number, number], m: number, direction: Direction): boolean {
  if (direction === 'increase_is_bad') return hi < m;
  if (direction === 'decrease_is_bad') return lo > -m;
  return hi < m && lo > -m;
}

/** Does an interval (shift units) still span both 0 and twice the margin on the bad side? Never with a zero margin (nothing could pass). */
export function spansNoChangeAndTwiceTheMargin(interval: [number, number] | null, m: number, direction: Direction): boolean {
  if (interval === null) return true;
  if (!(m > 0)) return false;
  const [lo, hi] = interval;
  if (lo > 0 || hi < 0) return false;
  if (direction === 'increase_is_bad') return hi >= 2 * m;
  if (direction === 'decrease_is_bad') return lo <= -2 * m;
  return hi >= 2 * m || lo <= -2 * m;
}
