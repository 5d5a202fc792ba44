/**
 * Counts judged as rates. Canary events C over exposure Ec (requests, or
 * sample intervals when there is no denominator) against baseline events B
 * over Eb. Given the total K = C + B, and rates in a constant ratio r,
 * each event is the canary's with probability p(r) = r·Ec / (r·Ec + Eb):
 * the classic conditional test of two Poisson rates, which for small error
 * rates is the two-proportion test.
 *
 * Repeated looks: the events arrive one by one, each a Bernoulli(p) draw;
 * the likelihood ratio of p(r) against p(r0), mixed over a fixed grid of
 * r > r0, is a nonnegative supermartingale whenever the true ratio is ≤ r0,
 * so P(it ever reaches 1/α) ≤ α (Ville). Its inverse is an exact
 * anytime-valid p-value, small counts included; no normal approximation.
 */
import { binomialCdf } from './distributions.js';

/** Log rate-ratio steps above (or below) the margin the mixture puts equal weight on: 5% to 20×. */
const STEPS = [0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.0];

export interface RateCounts {
  canaryEvents: number;
  canaryExposure: number;
  baselineEvents: number;
  baselineExposure: number;
}

/** P(an event is the canary's) when the canary's rate is r times the baseline's. */
export function canaryShare(r: number, c: RateCounts): number {
  return (r * c.canaryExposure) / (r * c.canaryExposure + c.baselineExposure);
}

/**
 * Anytime-valid p-value for H0: rate ratio ≤ r0 (side 'up') or ≥ r0 (side
 * 'down'), from the mixture likelihood ratio of the events' split.
 */
export function rateRatioAnytimeP(c: RateCounts, r0: number, side: 'up' | 'down'): number {
  const k = c.canaryEvents + c.baselineEvents;
  if (k === 0 || c.canaryExposure <= 0 || c.baselineExposure <= 0 || !(r0 > 0)) return 1;
  const p0 = canaryShare(r0, c);
  const logs = STEPS.map((step) => {
    const p = canaryShare(r0 * Math.exp(side === 'up' ? step : -step), c);
    return c.canaryEvents * Math.log(p / p0) + c.baselineEvents * Math.log((1 - p) / (1 - p0));
  });
  const top = Math.max(...logs);
  const logMixture = top + Math.log(logs.reduce((s, l) => s + Math.exp(l - top), 0) / logs.length);
  return Math.min(1, Math.exp(-logMixture));
}

/**
 * The one-look exact conditional test (binomial) of H0: ratio ≤ r0: P(X ≥ C)
 * for X ~ Binomial(K, p(r0)). Valid at one look only; the fixed-window
 * comparator uses it, the judge uses the anytime version above.
 */
export function rateRatioFixedP(c: RateCounts, r0: number, side: 'up' | 'down'): number {
  const k = c.canaryEvents + c.baselineEvents;
  if (k === 0 || c.canaryExposure <= 0 || c.baselineExposure <= 0) return 1;
  const p0 = canaryShare(r0, c);
  return side === 'up' ? 1 - binomialCdf(c.canaryEvents - 1, k, p0) : binomialCdf(c.canaryEvents, k, p0);
}

/**
 * The rate ratio's estimate and interval on the log scale with the
 * confidence-sequence multiplier `z`: ln r̂ ± z·√(1/(C+½) + 1/(B+½)) (half
 * an event added so zero counts give finite bounds). Also the information
 * (1/variance of ln r̂) that sets the multiplier.
 */
export function rateRatioEstimate(c: RateCounts): { ratio: number; logSe: number; information: number } {
  const ce = c.canaryEvents + 0.5;
  const be = c.baselineEvents + 0.5;
  const ratio = ce / c.canaryExposure / (be / c.baselineExposure);
  const variance = 1 / ce + 1 / be;
  return { ratio, logSe: Math.sqrt(variance), information: 1 / variance };
}
