import type { Reason } from '../../contracts/risk.js';
import { INPUT_LABELS, type InputName } from '../model/index.js';
import type { ReasonInput } from './types.js';

const MAX_REASONS = 6;

/** Numbers as people read them: integers with separators, shares as percentages, else 2 decimals. */
export function formatValue(name: string, v: number): string {
  if (!Number.isFinite(v)) return 'unknown';
  if (name.endsWith('_rate') || name.endsWith('_share')) return `${Math.round(v * 100)}%`;
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toFixed(2);
}

const FLAG_TEXT: Record<string, [string, string]> = {
  off_hours: ['Deployed off hours', 'Deployed in working hours'],
  pre_weekend: ['Deployed on a Friday afternoon or at the weekend', 'Not deployed before a weekend'],
  fix: ['A bug fix', 'Not a bug fix'],
  strategy_canary: ['Rolled out as a canary', 'Not rolled out as a canary'],
  strategy_blue_green: ['Rolled out blue/green', 'Not rolled out blue/green'],
  strategy_flag: ['Shipped behind a feature flag', 'Not behind a feature flag'],
};

function factorSentence(name: string, value: number, raises: boolean): string {
  const effect = raises ? 'which raises the risk' : 'which lowers the risk';
  if (name.startsWith('risky_')) {
    const label = INPUT_LABELS[name as InputName] ?? name;
    return value >= 1
      ? `The release ${label} (${name} = 1), ${effect}.`
      : `The release does not ${label.replace(/^touches/, 'touch')} (${name} = 0), ${effect}.`;
  }
  const flag = FLAG_TEXT[name];
  if (flag) return `${value >= 1 ? flag[0] : flag[1]} (${name} = ${value >= 1 ? 1 : 0}), ${effect}.`;
  const label = INPUT_LABELS[name as InputName] ?? name;
  return `${label[0]!.toUpperCase()}${label.slice(1)}: ${formatValue(name, value)} (${name}), ${effect}.`;
}

/**
 * Reasons from the model alone: the largest contributions, each with its
 * value, and the evidence that backs it. Always available; cites only ids of
 * the given evidence.
 */
export function deterministicReasons(input: ReasonInput): Reason[] {
  const ids = new Set(input.evidence.map((e) => e.id));
  const reasons: Reason[] = [];
  const pct = Math.round(input.probability * 100);
  reasons.push({
    text: `Estimated failure probability ${pct}% (${input.level}); recommendation: ${input.recommendation.replace(/_/g, ' ')}.`,
    citations: [],
    source: 'model',
  });
  const significant = input.factors.filter((f) => Math.abs(f.contribution) >= 0.05 && Number.isFinite(f.value));
  for (const f of significant.slice(0, 4)) {
    reasons.push({
      text: factorSentence(f.name, f.value, f.contribution > 0),
      citations: f.evidence.filter((e) => ids.has(e)),
      source: 'model',
    });
  }
  const caused = input.evidence.filter((e) => e.kind === 'incident' && /caused by/.test(e.why));
  for (const e of caused.slice(0, Math.max(1, MAX_REASONS - reasons.length))) {
    reasons.push({ text: `A similar past release caused incident ${e.title}.`, citations: [e.id], source: 'model' });
  }
  return reasons.slice(0, MAX_REASONS + 1);
}
