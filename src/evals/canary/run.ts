/** Runs the canary eval: every scenario through every judge, scored. */
import { JUDGES } from './judges.js';
import { type Decision, replay } from './replay.js';
import type { Scenario } from './scenario.js';
import { type CanaryFigures, scoreDecisions } from './score.js';

export interface CanaryRun {
  decisions: Record<string, Decision[]>;
  figures: Record<string, CanaryFigures>;
}

export function runCanaryEval(
  scenarios: readonly Scenario[],
  opts: { judges?: readonly string[]; onProgress?: (done: number, total: number) => void } = {},
): CanaryRun {
  const names = opts.judges ?? Object.keys(JUDGES);
  const decisions: Record<string, Decision[]> = Object.fromEntries(names.map((n) => [n, [] as Decision[]]));
  scenarios.forEach((s, i) => {
    for (const n of names) decisions[n]!.push(replay(s, JUDGES[n]!.make(s)));
    opts.onProgress?.(i + 1, scenarios.length);
  });
  const figures = Object.fromEntries(names.map((n) => [n, scoreDecisions(scenarios, decisions[n]!)]));
  return { decisions, figures };
}
