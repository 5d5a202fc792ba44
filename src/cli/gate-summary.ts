import type { RiskAssessment } from '../contracts/risk.js';

export type Verdict = 'pass' | 'held' | 'error';

const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type FailOn = (typeof LEVELS)[number];
export const isFailOn = (s: string): s is FailOn => (LEVELS as readonly string[]).includes(s);

/** Held when the level reaches --fail-on, or the policy says hold. */
export function verdictOf(a: RiskAssessment, failOn: FailOn): Verdict {
  return LEVELS.indexOf(a.level) >= LEVELS.indexOf(failOn) || a.recommendation === 'hold' ? 'held' : 'pass';
}

/** Reasons shown in a CI log: the deterministic ones are at most six; verified LLM claims can add a few. */
const MAX_REASONS = 8;
/** Incidents on record shown even when no reason cites them (every cited item is always shown). */
const MAX_UNCITED_INCIDENTS = 2;

/**
 * A summary for a CI log: the decision, the reasons and every item they
 * cite. Evidence is numbered here, in the order the reasons first cite it
 * (#1, #2, …), and each item says how to open it: a link to
 * GET /v1/evidence/:id with a server, the CLI command without one.
 */
export function gateSummary(a: RiskAssessment, verdict: Verdict, opts: { server?: string; failOn: FailOn }): string[] {
  const lines = [
    `shipcheck gate: ${verdict === 'held' ? 'HELD' : 'PASS'} — ${a.service} ${a.version}: ${Math.round(a.probability * 100)}% risk (${a.level}), ` +
      `recommendation ${a.recommendation.replace(/_/g, ' ')}${a.requiresApproval ? ', approval required' : ''} [fail-on ${opts.failOn}]`,
    `model ${a.model.version} (${a.model.scope}, n=${a.model.n})${a.degraded.length ? `; degraded: ${a.degraded.join(', ')}` : ''}`,
  ];
  const reasons = a.reasons.slice(0, MAX_REASONS);
  const byId = new Map(a.evidence.map((e) => [e.id, e]));
  const number = new Map<string, number>();
  for (const c of reasons.flatMap((r) => r.citations)) if (byId.has(c) && !number.has(c)) number.set(c, number.size + 1);
  for (const e of a.evidence.filter((x) => x.kind === 'incident' && !number.has(x.id)).slice(0, MAX_UNCITED_INCIDENTS)) {
    number.set(e.id, number.size + 1);
  }
  if (reasons.length) lines.push('reasons:');
  for (const r of reasons) {
    const refs = r.citations.filter((c) => number.has(c)).map((c) => `#${number.get(c)}`);
    lines.push(`  - ${r.text}${refs.length ? ` [${refs.join(', ')}]` : ''}`);
  }
  if (a.reasons.length > reasons.length) lines.push(`  (${a.reasons.length - reasons.length} more in --json)`);
  if (number.size) lines.push('evidence:');
  const server = opts.server?.replace(/\/+$/, '');
  for (const [id, n] of number) {
    const e = byId.get(id)!;
    lines.push(`  #${n} [${e.kind}] ${e.title} — ${e.why}`);
    // Every cited id opens at /v1/evidence/:id (a chunk, a release, a change or an incident).
    lines.push(`      ${server ? `${server}/v1/evidence/${id}` : `shipcheck evidence ${id}`}`);
  }
  return lines;
}
