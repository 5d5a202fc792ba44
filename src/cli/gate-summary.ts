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
  const byId = new Map(a.evidence.map((e) => [e.id, e]));
  const top = a.reasons.slice(0, 4);
  if (top.length) lines.push('reasons:');
  const cited = new Set<string>();
  for (const r of top) {
    lines.push(`  - ${r.text}${r.citations.length ? ` [${r.citations.map((c) => `#${[...byId.keys()].indexOf(c) + 1}`).join(', ')}]` : ''}`);
    r.citations.forEach((c) => cited.add(c));
  }
  const shown = a.evidence.filter((e) => cited.has(e.id) || e.kind === 'incident').slice(0, 5);
  if (shown.length) lines.push('evidence:');
  for (const e of shown) {
    const n = [...byId.keys()].indexOf(e.id) + 1;
    const link = opts.server && e.documentId ? `  ${opts.server.replace(/\/+$/, '')}/v1/documents/${e.documentId}` : '';
    lines.push(`  #${n} [${e.kind}] ${e.title} — ${e.why}${link}`);
  }
  return lines;
}
