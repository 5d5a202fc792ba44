import { z } from 'zod';

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

/** A figure as a summary holds it: a number, or null when it could not be computed on that test set. */
const Figure = z.number().finite().nullable();
/** One model's figures: --json output holds them flat, report.json under `metrics`. */
const ModelFigures = z.looseObject({
  auc: Figure.optional(),
  prAuc: Figure.optional(),
  brier: Figure.optional(),
  brierSkill: Figure.optional(),
  ece: Figure.optional(),
  gateCapture: z.record(z.string(), Figure).optional(),
});
const BaselineFile = z.object({
  models: z.record(z.string(), z.union([z.looseObject({ metrics: ModelFigures }), ModelFigures])),
});

/** A baseline the gate cannot compare with: the message says what is wrong and how to make a new one. */
export class BaselineError extends Error {}

/**
 * Reads a committed baseline (--json output or report.json) for compareRuns.
 * An unreadable, malformed or empty one is an error, not a pass: a gate that
 * compares with nothing lets every regression through.
 */
export function parseBaseline(text: string, tolerances: Record<string, number> = DEFAULT_TOLERANCES): Summary {
  if (!text.trim()) throw new BaselineError('the baseline file is empty');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new BaselineError(`the baseline is not JSON (${(err as Error).message})`);
  }
  const parsed = BaselineFile.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new BaselineError(`the baseline is not an eval summary: ${issues.join('; ')}`);
  }
  const models = Object.fromEntries(
    Object.entries(parsed.data.models).map(([name, m]) => [name, ('metrics' in m ? m.metrics : m) as Record<string, unknown>]),
  );
  if (Object.keys(models).length === 0) throw new BaselineError('the baseline has no models');
  for (const [name, m] of Object.entries(models))
    if (!Object.keys(tolerances).some((metric) => read(m, metric) !== null))
      throw new BaselineError(`the baseline has no gated figure (${Object.keys(tolerances).join(', ')}) for model ${name}`);
  return { models };
}

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
