/**
 * The regression gate: compares a run's summary with a committed baseline and
 * lists every figure that moved the wrong way by more than its tolerance.
 */

/** Higher is better unless listed here. */
const LOWER_IS_BETTER = new Set(['brier', 'ece']);

export const DEFAULT_TOLERANCES: Record<string, number> = {
  auc: 0.01,
  prAuc: 0.02,
  brier: 0.01,
  brierSkill: 0.02,
  ece: 0.02,
  'gateCapture.10': 0.03,
  'gateCapture.20': 0.03,
};

export interface Regression {
  model: string;
  metric: string;
  baseline: number;
  current: number | null;
  tolerance: number;
}

export interface Delta {
  model: string;
  metric: string;
  baseline: number | null;
  current: number | null;
  delta: number | null;
}

type Summary = { models: Record<string, Record<string, unknown>> };

function read(metrics: Record<string, unknown>, path: string): number | null {
  let v: unknown = metrics;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function compareRuns(current: Summary, baseline: Summary, tolerances: Record<string, number> = DEFAULT_TOLERANCES) {
  const regressions: Regression[] = [];
  const deltas: Delta[] = [];
  for (const [model, base] of Object.entries(baseline.models)) {
    const cur = current.models[model];
    for (const [metric, tolerance] of Object.entries(tolerances)) {
      const b = read(base, metric);
      const c = cur ? read(cur, metric) : null;
      deltas.push({ model, metric, baseline: b, current: c, delta: b !== null && c !== null ? c - b : null });
      if (b === null) continue;
      // A figure that became undefined (or a model that vanished) is a regression too.
      const worse = c === null || (LOWER_IS_BETTER.has(metric) ? c - b > tolerance : b - c > tolerance);
      if (worse) regressions.push({ model, metric, baseline: b, current: c, tolerance });
    }
  }
  return { regressions, deltas };
}
