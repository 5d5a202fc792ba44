/**
 * Words for what the judge found: one sentence per finding, each citing the
 * evidence it comes from. Pure, deterministic, and the only source of the
 * numbers a reason states (an LLM may reword, never add).
 */
import type { AdvisorAction, IntegrityFinding, LogSignature, MetricVerdict } from '../contracts/advisor.js';

const fmt = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : Number(x.toPrecision(digits)).toString();
const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${fmt(x * 100, 3)}%`);

export const ACTION_WORDS: Record<AdvisorAction, string> = {
  continue: 'continue the rollout',
  halt: 'halt the rollout and look',
  rollback: 'roll back',
  promote: 'promote',
  insufficient_data: 'wait: the data cannot say yet',
  needs_human: 'a person must look: the telemetry cannot be trusted as it is',
};

/** The metric window in one line: what evidence `window:<id>` shows as its title. */
export function windowTitle(m: MetricVerdict): string {
  return `${m.name}: ${m.verdict} (canary n=${m.n.canary}, baseline n=${m.n.baseline})`;
}

/** The metric window's text, as `GET /v1/evidence/window:<id>` shows it. */
export function windowText(m: MetricVerdict): string {
  return [
    `metric ${m.name} (${m.role}${m.critical ? ', critical' : ''}): ${m.verdict}`,
    `samples: canary ${m.n.canary}, baseline ${m.n.baseline}`,
    `medians: canary ${fmt(m.medians.canary)}, baseline ${fmt(m.medians.baseline)}`,
    `shift ${fmt(m.shift)}${m.interval ? `, interval [${fmt(m.interval[0])}, ${fmt(m.interval[1])}]` : ''}, effect ${pct(m.effect)}, p ${fmt(m.pValue, 2)}`,
    `window ${m.window.from ?? 'n/a'} – ${m.window.to ?? 'n/a'}`,
    `rule: ${m.rule}`,
  ].join('\n');
}

export function metricReason(m: MetricVerdict): string {
  const median = `canary median ${fmt(m.medians.canary)} against baseline ${fmt(m.medians.baseline)}`;
  const shift = m.interval
    ? ` (shift ${fmt(m.shift)}, interval [${fmt(m.interval[0])}, ${fmt(m.interval[1])}], effect ${pct(m.effect)})`
    : '';
  if (m.verdict === 'fail') return `${m.name} is worse on the canary: ${median}${shift}; ${m.rule}.`;
  if (m.verdict === 'no_data') return `${m.name} has no usable data (canary n=${m.n.canary}, baseline n=${m.n.baseline}).`;
  if (m.verdict === 'inconclusive') return `${m.name} cannot be judged yet: canary n=${m.n.canary}, baseline n=${m.n.baseline}; ${m.rule}.`;
  return `${m.name} passes: ${median}${shift}.`;
}

export function integrityReason(f: IntegrityFinding): string {
  const where = [f.metric, f.group].filter(Boolean).join('/');
  return `Telemetry ${f.severity === 'blocking' ? 'problem' : 'warning'} (${f.kind.replaceAll('_', ' ')}${where ? `, ${where}` : ''}): ${f.detail}`;
}

export function logReason(s: LogSignature): string {
  const prev = s.previousCount === null ? '' : `, ${s.previousCount} in the previous release`;
  const what = s.status === 'new' ? 'A log template new in the canary' : 'A log template more frequent in the canary';
  return `${what}: "${s.template}" (${s.canaryCount} canary lines, ${s.baselineCount} baseline${prev}).`;
}

export function logSigText(s: LogSignature): string {
  return [
    `template ${s.templateId}: ${s.template}`,
    `status: ${s.status}; canary ${s.canaryCount}, baseline ${s.baselineCount}, previous release ${s.previousCount ?? 'n/a'}`,
    `sample line: ${s.sampleLine}`,
  ].join('\n');
}

export function actionReason(action: AdvisorAction, confidence: number): string {
  return `Recommendation: ${ACTION_WORDS[action]} (confidence ${fmt(confidence, 2)}). People decide: shipcheck never acts on its own.`;
}
