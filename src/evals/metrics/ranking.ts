import type { Label } from './validate.js';

/**
 * Items grouped by equal score, riskiest (highest p) first. Every threshold-sweep
 * metric (ROC, PR, gate capture) must treat equal scores as one step: a model
 * that cannot tell two changes apart must not get credit for whichever order the
 * sort happened to leave them in.
 */
export interface ScoreGroup {
  score: number;
  positives: number;
  negatives: number;
}

export function scoreGroupsDesc(p: readonly number[], y: readonly Label[]): ScoreGroup[] {
  const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]!);
  const groups: ScoreGroup[] = [];
  let current: ScoreGroup | undefined;
  for (const i of order) {
    const s = p[i]!;
    if (current === undefined || current.score !== s) {
      current = { score: s, positives: 0, negatives: 0 };
      groups.push(current);
    }
    if (y[i] === 1) current.positives++;
    else current.negatives++;
  }
  return groups;
}
