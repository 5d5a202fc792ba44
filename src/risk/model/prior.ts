import type { RiskModelJson } from './artifact.js';

/**
 * The prior: what shipcheck assumes before a tenant has MIN_TRAINING_ROWS
 * releases with outcomes. Hand-set, not fitted, in the shape of a trained
 * model so the same code explains it. On the raw scale (log-odds per unit):
 *
 * - intercept: a release of average size with nothing risky fails ~12%
 *   of the time (the low end of the 0.15–0.4 failure rates of published
 *   just-in-time data and of change-failure rates DORA reports);
 * - +0.35 per log1p(lines added): about +0.35 log-odds each time a change
 *   grows e-fold, the size effect the lines-added baseline finds;
 * - +0.6 for migrations, +0.5 infrastructure, +0.4 auth, +0.3 config,
 *   +0.3 dependency manifests: risky paths, smaller than size in total;
 * - +0.3 off hours, +0.3 before the weekend;
 * - +2.0 × recent failure rate and +1.5 × similar-failure share (both in
 *   [0, 1]): history, once it exists, matters most.
 *
 * Means are typical values (so contributions read "relative to a typical
 * release"); std 1 makes the weights raw-scale.
 */
const inputs = [
  'la',
  'risky_migration',
  'risky_infra',
  'risky_auth',
  'risky_config',
  'risky_deps',
  'off_hours',
  'pre_weekend',
  'recent_failure_rate',
  'similar_failure_share',
] as const;
const weights = [0.35, 0.6, 0.5, 0.4, 0.3, 0.3, 0.3, 0.3, 2.0, 1.5];
const mean = [Math.log1p(80), 0, 0, 0, 0, 0, 0, 0, 0.15, 0.15];

export const PRIOR: RiskModelJson = {
  kind: 'shipcheck-risk-model',
  version: 'prior-1',
  trainedAt: null,
  n: 0,
  failures: 0,
  inputs: [...inputs],
  logistic: { kind: 'logistic-regression', version: 1, weights, intercept: Math.log(0.12 / 0.88), mean, std: weights.map(() => 1) },
  laLogistic: null,
  stack: null,
};
