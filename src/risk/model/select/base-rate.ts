import { z } from 'zod';
import { logit, sigmoid } from '../math.js';

/**
 * Calibration that follows the base rate. Failure rates drift (one history
 * calibrates at 0.29 failures and then sees 0.15), and a model fitted on
 * the past keeps answering the past's rate. This layer keeps decayed sums of
 * the outcomes that arrived and of what the model had said about them, and
 * shifts the model's log-odds by the difference:
 *
 *   δ(t) = logit(observed rate) − logit(predicted rate), both weighted by 2^(−age / halfLife),
 *
 * the age counted from when each outcome became known (an outcome still in
 * its label delay is not there yet). PSEUDO_ROWS of "as predicted" keep δ
 * near 0 until enough outcomes say otherwise, and |δ| ≤ MAX_SHIFT. The
 * half-life (how fast the old rate is forgotten) is chosen by validation;
 * null: never forget (a running correction of the mean).
 */
export const PSEUDO_ROWS = 20;
export const MAX_SHIFT = 2;
const DAY_MS = 86_400_000;

export const BaseRateState = z
  .object({
    halfLifeDays: z.number().positive().nullable(),
    /** The decayed sums as of `at`. */
    at: z.iso.datetime(),
    outcomes: z.number().nonnegative(),
    failures: z.number().nonnegative(),
    predicted: z.number().nonnegative(),
  })
  .refine((s) => s.failures <= s.outcomes + 1e-9 && s.predicted <= s.outcomes + 1e-9, {
    message: 'failures and predicted failures cannot exceed the outcomes they were counted over',
  });
export type BaseRateState = z.infer<typeof BaseRateState>;

export class BaseRateTracker {
  private at: number;
  private w = 0;
  private y = 0;
  private p = 0;

  constructor(
    readonly halfLifeDays: number | null,
    start: Date | number,
  ) {
    this.at = typeof start === 'number' ? start : start.getTime();
  }

  static from(state: BaseRateState): BaseRateTracker {
    const t = new BaseRateTracker(state.halfLifeDays, new Date(state.at));
    t.w = state.outcomes;
    t.y = state.failures;
    t.p = state.predicted;
    return t;
  }

  /** An outcome that became known at `knownAt`, and the probability the base model gave it. */
  observe(probability: number, failed: 0 | 1, knownAt: Date | number): void {
    const t = typeof knownAt === 'number' ? knownAt : knownAt.getTime();
    if (t > this.at) this.decayTo(t);
    // An outcome known before the sums' time (out of order) enters already decayed.
    const w = t < this.at ? this.factor(this.at - t) : 1;
    this.w += w;
    this.y += w * failed;
    this.p += w * probability;
  }

  /** The log-odds shift as of `at` (decay applies; nothing is forgotten backwards). */
  shift(at?: Date | number): number {
    const t = at === undefined ? this.at : typeof at === 'number' ? at : at.getTime();
    const f = t > this.at ? this.factor(t - this.at) : 1;
    const w = this.w * f;
    if (w <= 0) return 0;
    const predicted = (this.p * f) / w;
    const prior = PSEUDO_ROWS * predicted;
    const observed = (this.y * f + prior) / (w + PSEUDO_ROWS);
    const expected = (this.p * f + prior) / (w + PSEUDO_ROWS);
    const d = logit(clip(observed)) - logit(clip(expected));
    return Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, d));
  }

  apply(probability: number, at?: Date | number): number {
    const s = this.shift(at);
    return shiftProbability(probability, s);
  }

  state(): BaseRateState {
    return { halfLifeDays: this.halfLifeDays, at: new Date(this.at).toISOString(), outcomes: this.w, failures: this.y, predicted: this.p };
  }

  private factor(ms: number): number {
    return this.halfLifeDays === null ? 1 : 0.5 ** (ms / (this.halfLifeDays * DAY_MS));
  }

  private decayTo(t: number): void {
    const f = this.factor(t - this.at);
    this.w *= f;
    this.y *= f;
    this.p *= f;
    this.at = t;
  }
}

const clip = (p: number) => Math.min(1 - 1e-6, Math.max(1e-6, p));

/** A probability moved by `shift` in log-odds (negative: the layer taken off again). */
export function shiftProbability(probability: number, shift: number): number {
  return shift === 0 ? probability : sigmoid(logit(clip(probability)) + shift);
}
