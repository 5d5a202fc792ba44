import type { RiskAssessment } from '../contracts/risk.js';

export type Verdict = 'pass' | 'held' | 'error';

const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type FailOn = (typeof LEVELS)[number];
export const isFailOn = (s: string): s is FailOn => (LEVELS as readonly string[]).includes(s);

/** Held when the level reaches --fail-on, or the policy says hold. */
export function verdictOf(a: RiskAssessment, failOn: FailOn): Verdict {
  return LEVELS.indexOf(a.level) >= LEVELS.indexOf(failOn) || a.recommendation === 'hold' ? 'held' : 'pass';
}

/** A short summary for a CI log: the decision, the top reasons and the evidence they cite. */
export function gateSummary(a: RiskAssessment, verdict: Verdict, opts: { server?: string; failOn: FailOn }): string[] {
  const lines = [
    `shipcheck gate: ${verdict === 'held' ? 'HELD' : 'PASS'} — ${a.service} ${a.version}: ${Math.round(a.probability * 100)}% risk (${a.level}), ` +
      `recommendation ${a.recommendation.replace(/_/g, ' ')}${a.requiresApproval ? ', approval required' : ''} [fail-on ${opts.failOn}]`,
    `model ${a.model.version} (${a.model.scope}, n=${a.model.n})${a.degraded.length ? `; degraded: ${a.degraded.join(', ')}` : ''}`,
  ];
  // Evidence is numbered in the order the assessment lists it: reasons cite #n, the list below shows #n.
  const number = new Map(a.evidence.map((e, i) => [e.id, i + 1]));
  const top = a.reasons.slice(0, 4);
  if (top.length) lines.push('reasons:');
  const cited = new Set<string>();
  for (const r of top) {
    lines.push(`  - ${r.text}${r.citations.length ? ` [${r.citations.map((c) => `#${number.get(c)}`).join(', ')}]` : ''}`);
    r.citations.forEach((c) => cited.add(c));
  }
  const shown = a.evidence.filter((e) => cited.has(e.id) || e.kind === 'incident').slice(0, 5);
  if (shown.length) lines.push('evidence:');
  for (const e of shown) {
    // Every cited id opens at /v1/evidence/:id (a chunk, a release, a change or an incident).
    const link = opts.server ? `  ${opts.server.replace(/\/+$/, '')}/v1/evidence/${e.id}` : '';
    lines.push(`  #${number.get(e.id)} [${e.kind}] ${e.title} — ${e.why}${link}`);
  }
  return lines;
}
