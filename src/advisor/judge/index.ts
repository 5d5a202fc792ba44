/**
 * The rollout judge: one look at a rollout's telemetry, one recommended
 * action, with each metric's evidence and every integrity problem found.
 * Pure and deterministic: the same input gives the same answer, and
 * nothing after `now` is seen. docs/advisor-judge.md describes the method
 * and its guarantees.
 */
import type { IntegrityFinding, MetricConfig, MetricGroup, MetricVerdict } from '../../contracts/advisor.js';
import type { RiskLevel } from '../../contracts/risk.js';
import type { WindowResult } from './assessment.js';
import { assessCount, type CountSamples } from './count.js';
import { assessGauge, fmt } from './gauge.js';
import {
  cleaningFindings,
  finding,
  LATE_START_INTERVALS,
  MISSING_KINDS,
  STALE_INTERVALS,
  timingFindings,
  trafficRatioFinding,
} from './integrity.js';
import { ALPHA_HALT, decide, type PolicyMetric } from './policy.js';
import { type PreparedSeries, inferInterval, prepareSeries } from './prepare.js';
import { judgementReasons } from './reasons.js';
import { type JudgeMemory, type LatchedFail, readMemory, writeMemory } from './state.js';
import { holm } from './stats/multiplicity.js';
import type { JudgeInput, Judgement, Series } from './types.js';
import { firstAtOrAfter, windowsAt } from './windows.js';

export type { JudgeInput, Judgement, Series } from './types.js';
export { describeFinding, describeVerdict, judgementReasons } from './reasons.js';

/**
 * How a release's assessed risk tightens the smallest effect that matters:
 * the margin (relative and absolute) is multiplied by this factor, so a
 * riskier release fails on smaller regressions and needs a tighter
 * interval to pass.
 */
export const RISK_MARGIN_FACTOR: Record<RiskLevel, number> = { low: 1, medium: 1, high: 0.75, critical: 0.5 };

/** A new window starts every this many expected sample intervals × the metric's minimum samples (see windows.ts). */
export const WINDOW_SPACING_FACTOR = 1;

/** When nothing says how far apart samples are, and the data cannot tell either. */
const DEFAULT_INTERVAL_MS = 60_000;

const key = (metric: string, group: MetricGroup) => `${metric}|${group}`;
const iso = (ms: number) => new Date(ms).toISOString();

interface Sides<T> {
  canary: T;
  baseline: T;
}

/** A prepared series cut to times ≥ from (or < from with `before`); its times are sorted, so this is a slice. */
function cut(s: PreparedSeries, from: number, before = false): PreparedSeries {
  const i = firstAtOrAfter(s.times, from);
  const [a, b] = before ? [0, i] : [i, s.times.length];
  if (a === 0 && b === s.times.length) return s;
  return { ...s, times: s.times.slice(a, b), values: s.values.slice(a, b), spans: s.spans.slice(a, b) };
}

export function judge(input: JudgeInput): Judgement {
  const { now, startedAt } = input;
  const memory = readMemory(input.state);
  const rolling = input.strategy !== 'canary';
  const intervalMs =
    input.expectedIntervalMs && input.expectedIntervalMs > 0
      ? input.expectedIntervalMs
      : (inferInterval(input.series, now) ?? DEFAULT_INTERVAL_MS);
  const riskFactor = RISK_MARGIN_FACTOR[input.riskLevel ?? 'low'];
  const elapsed = now - startedAt;

  // Several series may carry the same metric and group (batches): their points are pooled.
  const raw = new Map<string, Series>();
  for (const s of input.series) {
    const k = key(s.metric, s.group);
    const prev = raw.get(k);
    raw.set(k, prev ? { ...prev, points: [...prev.points, ...s.points] } : s);
  }

  const findings: IntegrityFinding[] = [];
  const note = (fs: IntegrityFinding[]) => findings.push(...fs);
  const seenNow = new Set<string>();

  /** One group of one metric (or of a denominator), cleaned once; its findings noted. */
  const prepared = new Map<string, PreparedSeries>();
  const prepare = (metric: string, group: MetricGroup, count: boolean, cumulative: boolean): PreparedSeries => {
    const k = `${key(metric, group)}|${count}|${cumulative}`;
    const cached = prepared.get(k);
    if (cached) return cached;
    const s = prepareSeries(raw.get(key(metric, group)), { now, count, cumulative, intervalMs });
    prepared.set(k, s);
    note(cleaningFindings(metric, group, s, count));
    if (s.received > 0) seenNow.add(key(metric, group));
    else if (memory.seen.includes(key(metric, group))) {
      note([finding('metric_disappeared', metric, group, 'blocking', `${metric} had ${group} samples at earlier looks and has none now`)]);
    }
    return s;
  };

  /** The canary and baseline sides of a metric: canary vs baseline, or for rolling and blue/green, after vs before the deploy. */
  const sidesOf = (metric: string, count: boolean, cumulative: boolean): Sides<PreparedSeries> => {
    if (rolling) {
      const all = prepare(metric, 'all', count, cumulative);
      return { canary: cut(all, startedAt), baseline: cut(all, startedAt, true) };
    }
    return {
      canary: cut(prepare(metric, 'canary', count, cumulative), startedAt),
      baseline: cut(prepare(metric, 'baseline', count, cumulative), startedAt),
    };
  };

  // ---- Global checks: is the canary there at all, and does it get its share of traffic?
  let globalMissing = false;
  let globalContradictory = false;
  if (!rolling && elapsed > 0) {
    // The canary's first sample and whether the baseline reports, over the configured metrics (and their denominators).
    let firstCanary = Number.POSITIVE_INFINITY;
    let anyBaseline = false;
    for (const m of input.metrics) {
      for (const name of m.kind === 'count' && m.denominator ? [m.name, m.denominator] : [m.name]) {
        const sides = sidesOf(name, m.kind === 'count', m.cumulative);
        if (sides.canary.times.length) firstCanary = Math.min(firstCanary, sides.canary.times[0]!);
        if (sides.baseline.times.length) anyBaseline = true;
      }
    }
    const grace = LATE_START_INTERVALS * intervalMs;
    if (!Number.isFinite(firstCanary) && anyBaseline && elapsed > grace) {
      globalMissing = true;
      findings.push(
        finding(
          'no_traffic',
          null,
          'canary',
          'blocking',
          `no canary sample since the start (${iso(startedAt)}, ${Math.round(elapsed / intervalMs)} intervals ago) while the baseline reports`,
        ),
      );
    } else if (Number.isFinite(firstCanary) && firstCanary - startedAt > grace) {
      findings.push(
        finding(
          'late_start',
          null,
          'canary',
          'warning',
          `the canary's first sample came at ${iso(firstCanary)}, ${Math.round((firstCanary - startedAt) / intervalMs)} intervals after the start`,
        ),
      );
    }
    // Traffic: each denominator (requests) the count metrics name.
    const denominators = new Map<string, boolean>();
    for (const m of input.metrics) if (m.kind === 'count' && m.denominator) denominators.set(m.denominator, m.cumulative);
    for (const [den, cumulative] of denominators) {
      const sides = sidesOf(den, true, cumulative);
      const c = sides.canary.values.reduce((s, v) => s + v, 0);
      const b = sides.baseline.values.reduce((s, v) => s + v, 0);
      if (c === 0 && b > 0 && elapsed > grace) {
        globalMissing = true;
        findings.push(
          finding(
            'no_traffic',
            den,
            'canary',
            'blocking',
            `the canary served no ${den} since the start while the baseline served ${fmt(b)}`,
          ),
        );
      } else if (input.canaryWeight !== null) {
        const srm = trafficRatioFinding(den, c, b, input.canaryWeight);
        if (srm) {
          globalContradictory = true;
          findings.push(srm);
        }
      }
    }
  }

  // ---- Each metric: prepare, check, assess every window.
  interface Assessed {
    config: MetricConfig;
    results: WindowResult[];
    missing: string | null;
    contradictory: string | null;
    gap: boolean;
    latched: LatchedFail | null;
    /** The p-value that enters the correction, and whether some window (now or latched) had its interval beyond the margin. */
    p: number;
    /** The same, from this look's windows alone: a rollback needs the failure to show now, not only in the past. */
    pNow: number;
    /** Evidence that the canary is worse at all, from windows whose estimate is beyond the margin (an early warning). */
    pWorse: number;
    beyondWindow: WindowResult | null;
  }
  const assessed: Assessed[] = [];
  const fails: Record<string, LatchedFail> = {};
  for (const config of input.metrics) {
    const count = config.kind === 'count';
    const sides = sidesOf(config.name, count, config.cumulative);
    const den = count && config.denominator ? sidesOf(config.denominator, true, config.cumulative) : null;
    const groups: MetricGroup[] = rolling ? ['all'] : ['canary', 'baseline'];
    for (const g of groups) {
      const s = prepared.get(`${key(config.name, g)}|${count}|${config.cumulative}`)!;
      const side = g === 'baseline' ? sides.baseline : sides.canary;
      note(
        timingFindings(config.name, g, g === 'all' ? { ...s, times: side.times } : s, {
          from: startedAt,
          now,
          intervalMs,
          // A series that never reported is no_data (or no_traffic), not stale.
          checkStale: s.received > 0 && elapsed > STALE_INTERVALS * intervalMs,
        }),
      );
    }
    // Its own findings and its denominator's (a broken request count breaks the error rate too).
    const mine = findings.filter((f) => f.metric !== null && (f.metric === config.name || f.metric === config.denominator));
    const blocking = mine.filter((f) => f.severity === 'blocking');
    const missingFinding = blocking.find((f) => MISSING_KINDS.has(f.kind));
    const contradictoryFinding = blocking.find((f) => !MISSING_KINDS.has(f.kind));
    const missing = globalMissing ? 'the canary has no traffic' : missingFinding ? missingFinding.detail : null;
    const contradictory = globalContradictory
      ? 'the traffic split does not match the canary weight'
      : contradictoryFinding
        ? contradictoryFinding.detail
        : null;

    // Window 0, the newest windows, and the window that holds the strongest evidence so far (re-tested: is the failure still there?).
    const prior = memory.fails[config.name];
    const spacing = WINDOW_SPACING_FACTOR * config.minSamples * intervalMs;
    const indices = new Set(windowsAt(startedAt, now, spacing, config.minSamples * intervalMs));
    if (prior && prior.at <= now && Number.isInteger(prior.window.index)) indices.add(prior.window.index);
    const windows = [...indices].sort((a, b) => a - b).map((j) => ({ index: j, from: startedAt + j * spacing }));
    const relative = config.minEffect.relative !== undefined ? config.minEffect.relative * riskFactor : undefined;
    const absolute = config.minEffect.absolute !== undefined ? config.minEffect.absolute * riskFactor : undefined;
    const results =
      missing || contradictory
        ? []
        : count
          ? assessCount({
              canary: sides.canary as CountSamples,
              baseline: sides.baseline as CountSamples,
              canaryDenominator: den?.canary ?? null,
              baselineDenominator: den?.baseline ?? null,
              concurrent: !rolling,
              windows,
              direction: config.direction,
              relative,
              absolute,
              minSamples: config.minSamples,
              alpha: ALPHA_HALT,
              intervalMs,
              unit: config.denominator ? `per ${config.denominator}` : `per ${fmt(intervalMs / 1000)} s`,
            })
          : assessGauge({
              canary: sides.canary,
              baseline: sides.baseline,
              concurrent: !rolling,
              windows,
              direction: config.direction,
              intervalMs,
              marginOf: (med) => Math.max((relative ?? 0) * Math.abs(med), absolute ?? 0),
              minSamples: config.minSamples,
              alpha: ALPHA_HALT,
            });

    // Evidence of failing: the strongest window now, or the strongest ever (latched), whichever is stronger.
    let latched = prior && prior.at <= now ? prior : null;
    let best: WindowResult | null = null;
    let bestP = 1;
    let anyP = 1;
    let pWorse = 1;
    for (const r of results) {
      if (r.leaning) pWorse = Math.min(pWorse, r.pWorse / r.weight);
      const p = Math.min(1, r.pFail / r.weight);
      anyP = Math.min(anyP, p);
      if (r.beyond && p < bestP) (best = r), (bestP = p);
    }
    if (best && (!latched || bestP < latched.p)) latched = { p: bestP, at: now, window: best };
    if (latched) fails[config.name] = latched;
    const beyondWindow = missing || contradictory ? null : (latched?.window ?? null);
    assessed.push({
      config,
      results,
      missing,
      contradictory,
      // A gap, or a canary that started late, leaves part of the rollout unseen: it withholds promotion.
      gap: mine.some((f) => f.kind === 'gap') || findings.some((f) => f.kind === 'late_start'),
      latched,
      p: beyondWindow ? Math.min(latched!.p, anyP) : anyP,
      pNow: best && beyondWindow ? bestP : 1,
      pWorse: missing || contradictory ? 1 : pWorse,
      beyondWindow: best && beyondWindow ? best : beyondWindow,
    });
  }

  // ---- Holm across the metrics that decide, and separately across the diagnostics.
  const adjusted = new Map<string, number>();
  const adjustedNow = new Map<string, number>();
  const adjustedWorse = new Map<string, number>();
  for (const family of [assessed.filter((a) => a.config.role !== 'diagnostic'), assessed.filter((a) => a.config.role === 'diagnostic')]) {
    const judged = family.filter((a) => a.results.length > 0 || a.beyondWindow);
    holm(judged.map((a) => a.p)).forEach((p, i) => adjusted.set(judged[i]!.config.name, p));
    holm(judged.map((a) => a.pNow)).forEach((p, i) => adjustedNow.set(judged[i]!.config.name, p));
    holm(judged.map((a) => a.pWorse)).forEach((p, i) => adjustedWorse.set(judged[i]!.config.name, p));
  }

  const verdicts: MetricVerdict[] = [];
  const policyMetrics: PolicyMetric[] = [];
  for (const a of assessed) {
    const { config } = a;
    const w0 = a.results.find((r) => r.index === 0) ?? null;
    const pAdj = adjusted.get(config.name) ?? null;
    let verdict: MetricVerdict['verdict'];
    let degrading = false;
    let shown: WindowResult | null = w0;
    let rule: string;
    if (a.missing) {
      verdict = 'no_data';
      rule = `not judged: ${a.missing}`;
    } else if (a.contradictory) {
      verdict = 'inconclusive';
      rule = `not judged: ${a.contradictory}`;
    } else if (a.beyondWindow && pAdj !== null && pAdj <= ALPHA_HALT) {
      verdict = 'fail';
      shown = a.beyondWindow;
      rule = `fail: ${shown.rule}`;
    } else if (!w0) {
      verdict = 'no_data';
      const c = a.results.length ? a.results[0]! : null;
      rule = `too few samples: each side needs ${config.minSamples}${c ? '' : ` since the start`}`;
    } else if ((adjustedWorse.get(config.name) ?? 1) <= ALPHA_HALT) {
      verdict = 'inconclusive';
      degrading = true;
      rule = `worse than the baseline (p = ${fmt(adjustedWorse.get(config.name)!)}) by an estimate beyond the margin, not yet shown beyond it: ${w0.rule}`;
    } else if (w0.underpowered) {
      verdict = 'no_data';
      rule = w0.interval
        ? `too little power yet: the interval still spans both no change and twice the smallest effect that matters (${w0.rule})`
        : `too few samples for an interval yet (${w0.rule})`;
    } else if (w0.within && !a.results.some((r) => r.leaning) && !a.beyondWindow) {
      verdict = 'pass';
      rule = `pass: ${w0.rule}`;
    } else {
      verdict = 'inconclusive';
      rule = `inconclusive: ${w0.rule}`;
    }
    verdicts.push({
      name: config.name,
      role: config.role,
      critical: config.critical,
      verdict,
      n: shown ? shown.n : { canary: 0, baseline: 0 },
      medians: shown ? shown.medians : { canary: null, baseline: null },
      shift: shown?.shift ?? null,
      interval: shown?.interval ?? null,
      effect: shown?.effect ?? null,
      pValue: verdict === 'no_data' || a.contradictory ? null : pAdj,
      rule,
      window: { from: shown ? iso(shown.from) : null, to: shown ? iso(shown.to) : null },
    });
    policyMetrics.push({
      name: config.name,
      role: config.role,
      critical: config.critical,
      verdict,
      pFail: verdict === 'no_data' || a.contradictory ? 1 : (pAdj ?? 1),
      pFailNow: verdict === 'fail' ? (adjustedNow.get(config.name) ?? 1) : 1,
      confirmed: verdict === 'fail' && (memory.failingSince[config.name] ?? now) < now,
      degrading,
      pWorse: adjustedWorse.get(config.name) ?? 1,
      pPass: w0?.pPass ?? 1,
      contradictory: a.contradictory !== null,
      gap: a.gap,
    });
  }

  const decision =
    elapsed < 0
      ? { action: 'insufficient_data' as const, confidence: 1, deciding: [] }
      : decide(policyMetrics, { elapsedMs: elapsed, minDurationMs: input.minDurationMs });
  const failingSince: Record<string, number> = {};
  for (const v of verdicts) {
    if (v.verdict === 'fail') failingSince[v.name] = Math.min(memory.failingSince[v.name] ?? now, now);
  }
  const next: JudgeMemory = {
    version: 1,
    looks: memory.looks + 1,
    seen: [...new Set([...memory.seen, ...seenNow])].sort(),
    fails,
    failingSince,
  };
  const judgement: Judgement = {
    action: decision.action,
    confidence: decision.confidence,
    metrics: verdicts,
    integrity: findings,
    state: writeMemory(next),
    reasons: [],
  };
  judgement.reasons = judgementReasons(judgement, { deciding: decision.deciding, minDurationMs: input.minDurationMs, elapsedMs: elapsed });
  return judgement;
}
