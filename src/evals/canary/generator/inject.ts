/**
 * The changes injected into a canary from `startIndex` on, each in the
 * metric's bad direction. Magnitudes are multipliers of the canary's own
 * values (a ×2 step doubles them).
 */
import type { Rng } from '../../rng.js';
import { median } from './views.js';

export type GaugeChange = 'step' | 'ramp' | 'spikes' | 'variance' | 'drop';

/** Points a ramp takes to reach its full magnitude. */
export const RAMP_POINTS = 24;
/** Share of points that spike. */
export const SPIKE_SHARE = 0.25;
/** Width of the centred rolling median a variance increase spreads the points away from. */
const LEVEL_WINDOW = 13;

export function injectGauge(values: readonly number[], change: GaugeChange, start: number, magnitude: number, rng: Rng): number[] {
  const nonNegative = values.every((v) => v >= 0);
  const level = (i: number) =>
    median(values.slice(Math.max(0, i - (LEVEL_WINDOW >> 1)), Math.min(values.length, i + (LEVEL_WINDOW >> 1) + 1)));
  return values.map((v, i) => {
    if (i < start) return v;
    switch (change) {
      case 'step':
      case 'drop':
        return v * magnitude;
      case 'ramp':
        return v * (1 + (magnitude - 1) * Math.min(1, (i - start + 1) / RAMP_POINTS));
      case 'spikes':
        return rng.float() < SPIKE_SHARE ? v * magnitude : v;
      case 'variance': {
        const m = level(i);
        const x = m + magnitude * (v - m);
        return nonNegative ? Math.max(0, x) : x;
      }
    }
  });
}
