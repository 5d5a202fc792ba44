/** How a gradient-boosted tree model is fitted; every field has a default (resolveOptions). */
export interface GbdtOptions {
  /** Deepest split level of a tree (default 3: interactions of up to three features per tree). */
  maxDepth?: number;
  /** Fewest training rows a leaf may hold (default 20): keeps leaves from chasing a few noisy rows. */
  minSamplesLeaf?: number;
  /** Shrinkage of every tree's leaf values (default 0.05). */
  learningRate?: number;
  /** Boosting rounds at most (default 300); early stopping usually ends sooner. */
  rounds?: number;
  /** L2 penalty λ on leaf values: a leaf is −G / (H + λ) (default 1). */
  l2?: number;
  /** Quantile bins per feature, 2–64 (default 32): splits are searched between bins only. */
  maxBins?: number;
  /** Share of the rows each tree is grown on, drawn anew per round (default 1: all rows). */
  subsample?: number;
  /** Seed of the subsampling draws (default 1). */
  seed?: number;
  /**
   * Newest share of the rows (rows are in time order) held out to pick the number of
   * trees (default 0.2); 0 turns early stopping off and every row trains.
   */
  validationShare?: number;
  /** Stop after this many rounds without a better validation log-loss (default 20). */
  earlyStoppingRounds?: number;
  /**
   * Per feature: +1 the probability may only rise with it, −1 only fall, 0 free.
   * Missing or shorter than the rows: the rest are 0.
   */
  monotone?: readonly (-1 | 0 | 1)[];
}

export type ResolvedGbdtOptions = Required<Omit<GbdtOptions, 'monotone'>> & { monotone: (-1 | 0 | 1)[] };

export const GBDT_DEFAULTS = {
  maxDepth: 3,
  minSamplesLeaf: 20,
  learningRate: 0.05,
  rounds: 300,
  l2: 1,
  maxBins: 32,
  subsample: 1,
  seed: 1,
  validationShare: 0.2,
  earlyStoppingRounds: 20,
} as const;

const MAX_BINS_LIMIT = 64;

/** Fills defaults and refuses values that would fit nonsense silently. */
export function resolveOptions(opts: GbdtOptions, nFeatures: number): ResolvedGbdtOptions {
  const o = { ...GBDT_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
  const intIn = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  };
  intIn('maxDepth', o.maxDepth, 1, 16);
  intIn('minSamplesLeaf', o.minSamplesLeaf, 1, Number.MAX_SAFE_INTEGER);
  intIn('rounds', o.rounds, 1, 100_000);
  intIn('maxBins', o.maxBins, 2, MAX_BINS_LIMIT);
  intIn('earlyStoppingRounds', o.earlyStoppingRounds, 1, Number.MAX_SAFE_INTEGER);
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!(o.learningRate > 0 && o.learningRate <= 1)) throw new RangeError(`learningRate must be in (0, 1], got ${o.learningRate}`);
  if (!(o.l2 >= 0 && Number.isFinite(o.l2))) throw new RangeError(`l2 must be a finite number ≥ 0, got ${o.l2}`);
  if (!(o.subsample > 0 && o.subsample <= 1)) throw new RangeError(`subsample must be in (0, 1], got ${o.subsample}`);
  if (!(o.validationShare >= 0 && o.validationShare < 1)) {
    throw new RangeError(`validationShare must be in [0, 1), got ${o.validationShare}`);
  }
  const given = opts.monotone ?? [];
  if (given.length > nFeatures) throw new RangeError(`monotone has ${given.length} entries for ${nFeatures} features`);
  given.forEach((c, j) => {
    if (c !== -1 && c !== 0 && c !== 1) throw new RangeError(`monotone[${j}] must be -1, 0 or 1, got ${c}`);
  });
  const monotone = Array.from({ length: nFeatures }, (_, j) => given[j] ?? 0);
  return { ...o, monotone };
}
