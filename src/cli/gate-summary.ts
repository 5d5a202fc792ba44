import type { PolicyVerdict } from '../contracts/governance.js';
import type { RiskAssessment } from '../contracts/risk.js';

/** What the gate reads: the assessment, and the release's policy verdict (the server adds it; embedded, the gate asks). */
export type GatedAssessment = RiskAssessment & { policy?: PolicyVerdict };

export type Verdict = 'pass' | 'held' | 'error';

const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type FailOn = (typeof LEVELS)[number];
export const isFailOn = (s: string): s is FailOn => (LEVELS as readonly string[]).includes(s);

/**
 * Held while the release policy does not allow promotion (approvals missing, a freeze, a hold, a rejection),
 * or when the level reaches an explicit --fail-on. Without a verdict (an older server) the level rule alone
 * decides, with --fail-on high by default, as before policies existed.
 */
export function verdictOf(a: GatedAssessment, failOn: FailOn | undefined): Verdict {
  const byLevel = failOn !== undefined && LEVELS.indexOf(a.level) >= LEVELS.indexOf(failOn);
  if (a.policy) return byLevel || !(a.policy.state === 'allowed' || a.policy.state === 'overridden') ? 'held' : 'pass';
  return byLevel || LEVELS.indexOf(a.level) >= LEVELS.indexOf(failOn ?? 'high') || a.recommendation === 'hold' ? 'held' : 'pass';
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
export function gateSummary(a: GatedAssessment, verdict: Verdict, opts: { server?: string; failOn: FailOn | undefined }): string[] {
  const lines = [
    `shipcheck gate: ${verdict === 'held' ? 'HELD' : 'PASS'} — ${a.service} ${a.version}: ${Math.round(a.probability * 100)}% risk (${a.level}), ` +
      `recommendation ${a.recommendation.replace(/_/g, ' ')}${a.requiresApproval ? ', approval required' : ''}${opts.failOn ? ` [fail-on ${opts.failOn}]` : ''}`,
    `model ${a.model.version} (${a.model.scope}, n=${a.model.n})${a.degraded.length ? `; degraded: ${a.degraded.join(', ')}` : ''}`,
  ];
  if (a.policy) {
    const p = a.policy;
    lines.push(
      `policy (${p.policy.service}${p.policy.version !== null ? ` v${p.policy.version}` : ', built-in'}): ${p.state.replace('_', ' ')} — ${p.rule.says}`,
    );
    // The gate budget's word when it did not decide: outside the budget, or not judged (no rank) and left to the levels.
    for (const r of p.rules) if (r.id.startsWith('budget') && r.id !== p.rule.id) lines.push(`  also ${r.id}: ${r.says}`);
    for (const m of p.missing) lines.push(`  missing: ${m}`);
    for (const c of p.approvals.counted) lines.push(`  approved by ${c.actor}${c.owner ? ' (owner)' : ''}`);
    if (p.missing.length)
      lines.push(
        `  approve: POST /v1/releases/${a.releaseId}/decisions {"action":"approve","reason":"…"} (or the console), then run the gate again`,
      );
  }
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
