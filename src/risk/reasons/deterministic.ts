import type { Reason } from '../../contracts/risk.js';
import { factorSentence } from './phrases.js';
import type { ReasonInput } from './types.js';

/** The headline and at most five more: a CI log or a chat message shows them all. */
const MAX_REASONS = 6;
const MAX_CAUSED = 2;

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
  // An incident a similar release caused is the most concrete thing on record: it comes first, before the model's factors.
  const caused = input.evidence.filter((e) => e.kind === 'incident' && /caused by/.test(e.why));
  for (const e of caused.slice(0, MAX_CAUSED)) {
    reasons.push({ text: `A similar past release caused incident ${e.title}.`, citations: [e.id], source: 'model' });
  }
  const significant = input.factors.filter((f) => Math.abs(f.contribution) >= 0.05);
  for (const f of significant.slice(0, MAX_REASONS - reasons.length)) {
    reasons.push({
      text: factorSentence(f, { service: input.release.service, ...input.context }),
      citations: f.evidence.filter((e) => ids.has(e)),
      source: 'model',
    });
  }
  return reasons;
}
