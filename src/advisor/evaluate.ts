/**
 * One look at a rollout: the judge (or, after promotion, the streaming
 * detector), the log signatures, and the words with their citations. Pure:
 * everything it needs is handed in; the service stores what it returns.
 */
import type { Advisory, AdvisorAction, IntegrityFinding, LogSignature, MetricConfig, MetricVerdict } from '../contracts/advisor.js';
import { evidenceId } from '../contracts/evidence.js';
import type { RiskLevel } from '../contracts/risk.js';
import type { SearchHit } from '../contracts/search.js';
import { actionReason, integrityReason, logReason, logSigText, metricReason, windowText, windowTitle } from './describe.js';
import { judge } from './judge/index.js';
import type { JudgeState, Series } from './judge/types.js';
import { compareLogSignatures } from './logs/index.js';
import type { AdvisoryEvidenceRow, Rollout, StoredLogLine } from './ports.js';
import { judgeAfterPromotion } from './promoted.js';

/** Log templates an advisory cites at most (the strongest first). */
export const MAX_LOG_SIGNATURES = 10;

export interface Look {
  rollout: Rollout;
  nowMs: number;
  series: Series[];
  logs: Omit<StoredLogLine, 'tsMs'>[];
  previousLogs: Omit<StoredLogLine, 'tsMs'>[] | null;
  riskLevel: RiskLevel | null;
  state: JudgeState | undefined;
  /** Samples were left out of this look (the release has more than a look reads). */
  truncated: boolean;
}

export interface LookResult {
  phase: Advisory['phase'];
  action: AdvisorAction;
  confidence: number;
  metrics: MetricVerdict[];
  integrity: IntegrityFinding[];
  logSignatures: LogSignature[];
  state: JudgeState;
}

/**
 * What one look mines for templates, at most: a line's first 1,000 characters (a template lives in a line's
 * head; a 10 kB stack dump is noise after it) and 2 MB of lines per group, the newest. Mining runs on the
 * event loop: without the bound one tenant's huge log lines would stall every request.
 */
export const LOOK_LINE_CHARS = 1000;
export const LOOK_LOG_CHARS = 2_000_000;

/** The newest lines of a list that fit in the look's budget, each cut to its head, in their order. */
export function boundedLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let budget = LOOK_LOG_CHARS;
  for (let i = lines.length - 1; i >= 0 && budget > 0; i--) {
    const line = lines[i]!.slice(0, LOOK_LINE_CHARS);
    budget -= line.length + 1;
    out.push(line);
  }
  return out.reverse();
}

export function look(l: Look): LookResult {
  const canaryLines = boundedLines(l.logs.filter((x) => x.group === 'canary').map((x) => x.line));
  const baselineLines = boundedLines(l.logs.filter((x) => x.group === 'baseline').map((x) => x.line));
  const logSignatures =
    canaryLines.length === 0
      ? []
      : compareLogSignatures({
          canary: canaryLines,
          baseline: baselineLines,
          ...(l.previousLogs ? { previous: boundedLines(l.previousLogs.map((x) => x.line)) } : {}),
        }).slice(0, MAX_LOG_SIGNATURES);
  const truncation: IntegrityFinding[] = l.truncated
    ? [
        {
          kind: 'gap',
          metric: null,
          group: null,
          severity: 'warning',
          detail: 'only the newest samples were judged: the release holds more than one look reads',
        },
      ]
    : [];
  if (l.rollout.state === 'promoted_watch') {
    const r = judgeAfterPromotion({ rollout: l.rollout, nowMs: l.nowMs, series: l.series, state: l.state });
    return { phase: 'after_promotion', ...r, integrity: [...r.integrity, ...truncation], logSignatures };
  }
  const j = judge({
    strategy: l.rollout.strategy,
    startedAt: l.rollout.startedAt.getTime(),
    now: l.nowMs,
    metrics: l.rollout.metrics,
    series: l.series,
    canaryWeight: l.rollout.canaryWeight,
    riskLevel: l.riskLevel,
    minDurationMs: l.rollout.minDurationSeconds * 1000,
    ...(l.rollout.prometheus ? { expectedIntervalMs: l.rollout.prometheus.stepSeconds * 1000 } : {}),
    ...(l.state ? { state: l.state } : {}),
  });
  return { phase: 'rollout', ...j, integrity: [...j.integrity, ...truncation], logSignatures };
}

/** The evidence rows a look stores: one window per metric, one per log template (their ids are then cited). */
export function evidenceRows(r: LookResult, at: Date): AdvisoryEvidenceRow[] {
  return [
    ...r.metrics.map((m) => ({ kind: 'window' as const, title: windowTitle(m), text: windowText(m), occurredAt: at })),
    ...r.logSignatures.map((s) => ({
      kind: 'logsig' as const,
      title: `log template ${s.status === 'new' ? 'new' : 'more frequent'} in the canary: ${s.template.slice(0, 120)}`,
      text: logSigText(s),
      occurredAt: at,
    })),
  ];
}

/** What the retrieval of similar incidents and runbooks asks: the failing metrics and the canary's new log templates. */
export function similarityQuery(r: LookResult, service: string): string | undefined {
  const failing = r.metrics.filter((m) => m.verdict === 'fail').map((m) => m.name.replaceAll(/[_:.-]+/g, ' '));
  const templates = r.logSignatures.slice(0, 3).map((s) => s.template.replaceAll('<*>', ' '));
  if (failing.length === 0 && templates.length === 0) return undefined;
  return [service, ...failing, ...templates].join(' ').replaceAll(/\s+/g, ' ').trim().slice(0, 1500);
}

const NEEDS_ACK: ReadonlySet<AdvisorAction> = new Set(['halt', 'rollback', 'needs_human']);

/** The advisory body, once the evidence rows have ids. */
export function buildAdvisory(q: {
  id: string;
  sequence: number;
  releaseId: string;
  result: LookResult;
  evidenceIds: string[];
  similar: { incidents: SearchHit[]; runbooks: SearchHit[] };
  riskLevel: string | null;
  createdAt: Date;
}): Advisory {
  const { result: r } = q;
  const windowIds = q.evidenceIds.slice(0, r.metrics.length).map(evidenceId.window);
  const logIds = q.evidenceIds.slice(r.metrics.length).map(evidenceId.logsig);
  const metrics = r.metrics.map((m, i) => ({ ...m, evidenceId: windowIds[i]! }));
  const logSignatures = r.logSignatures.map((s, i) => ({ ...s, evidenceId: logIds[i]! }));
  const windowOf = (name: string | null) => metrics.find((m) => m.name === name)?.evidenceId;
  const reasons: Advisory['reasons'] = [];
  // Deciding metrics first (failing, then blocked), then the passing ones; diagnostics last.
  const order = (m: MetricVerdict) => (m.role === 'diagnostic' ? 4 : { fail: 0, no_data: 1, inconclusive: 2, pass: 3 }[m.verdict]);
  for (const m of [...metrics].sort((a, b) => order(a) - order(b))) reasons.push({ text: metricReason(m), citations: [m.evidenceId] });
  for (const f of r.integrity) {
    const cite = windowOf(f.metric) ?? metrics.find((m) => m.role !== 'diagnostic')?.evidenceId;
    reasons.push({ text: integrityReason(f), citations: cite ? [cite] : [] });
  }
  for (const s of logSignatures) reasons.push({ text: logReason(s), citations: [s.evidenceId] });
  for (const h of q.similar.incidents)
    reasons.push({ text: `A similar past incident: ${h.title} (${h.occurredAt.slice(0, 10)}).`, citations: [h.chunkId] });
  for (const h of q.similar.runbooks)
    reasons.push({ text: `The runbook step that applies: ${h.title}: ${h.snippet}`, citations: [h.chunkId] });
  reasons.push({
    text: actionReason(r.action, r.confidence),
    citations: metrics.filter((m) => m.role !== 'diagnostic').map((m) => m.evidenceId),
  });
  const evidence: Advisory['evidence'] = [
    ...metrics.map((m) => ({ id: m.evidenceId, kind: 'metric_window' as const, title: windowTitle(m), snippet: metricReason(m) })),
    ...logSignatures.map((s) => ({
      id: s.evidenceId,
      kind: 'log_template' as const,
      title: s.template.slice(0, 200),
      snippet: s.sampleLine.slice(0, 300),
    })),
    ...q.similar.incidents.map((h) => ({ id: h.chunkId, kind: 'incident' as const, title: h.title, snippet: h.snippet })),
    ...q.similar.runbooks.map((h) => ({ id: h.chunkId, kind: 'runbook' as const, title: h.title, snippet: h.snippet })),
  ];
  return {
    id: q.id,
    releaseId: q.releaseId,
    sequence: q.sequence,
    action: r.action,
    confidence: r.confidence,
    metrics,
    integrity: r.integrity,
    logSignatures,
    evidence,
    reasons,
    requiresAcknowledgement: NEEDS_ACK.has(r.action),
    reasonsBy: 'deterministic',
    riskLevel: q.riskLevel,
    phase: r.phase,
    createdAt: q.createdAt.toISOString(),
  };
}

export type { MetricConfig };
