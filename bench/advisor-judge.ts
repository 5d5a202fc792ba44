/**
 * The judge's speed: one look at a rollout with 50 metrics × 1,000 samples
 * per group (45 gauges, 5 error counts over one request count), with the
 * state carried from look to look as the advisor does. Target ≤ 20 ms a
 * look (the issue). Run through `npm run bench` (wired by the lead) or alone:
 *
 *   node --import tsx bench/advisor-judge.ts [--looks 40] [--metrics 50] [--points 1000]
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { judge } from '../src/advisor/judge/index.js';
import type { JudgeState, Series } from '../src/advisor/judge/types.js';
import { MetricConfig } from '../src/contracts/advisor.js';
import { Rng } from './rng.js';
import { ms, summarize, type Summary } from './stats.js';

export interface JudgeBench {
  metrics: number;
  pointsPerGroup: number;
  looks: number;
  /** Milliseconds per look, after warm-up. */
  look: Summary;
  targetMs: number;
}

const STEP = 15_000;
const T0 = Date.UTC(2026, 0, 1);

function gaussian(rng: Rng): number {
  const u = Math.max(rng.float(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
}

function telemetry(metrics: number, points: number) {
  const rng = new Rng(13, 'judge-bench');
  const counts = Math.min(5, Math.floor(metrics / 10));
  const configs: MetricConfig[] = [];
  const series: Series[] = [];
  const push = (metric: string, group: 'canary' | 'baseline', value: (i: number) => number) =>
    series.push({ metric, group, points: Array.from({ length: points }, (_, i) => [T0 + i * STEP, value(i)] as const) });
  push('requests', 'canary', () => 500);
  push('requests', 'baseline', () => 9500);
  for (let m = 0; m < metrics; m++) {
    if (m < counts) {
      configs.push(
        MetricConfig.parse({ name: `errors_${m}`, kind: 'count', denominator: 'requests', critical: true, minEffect: { relative: 0.5 } }),
      );
      push(`errors_${m}`, 'canary', () => Math.round(5 + 2 * gaussian(rng)));
      push(`errors_${m}`, 'baseline', () => Math.round(95 + 10 * gaussian(rng)));
    } else {
      configs.push(MetricConfig.parse({ name: `gauge_${m}`, role: m % 3 === 0 ? 'diagnostic' : 'guardrail', critical: m % 2 === 0 }));
      // A daily-ish swing shared by both sides, noise of their own.
      const level = 100 + m;
      push(`gauge_${m}`, 'canary', (i) => level * (1 + 0.1 * Math.sin(i / 200)) + 5 * gaussian(rng));
      push(`gauge_${m}`, 'baseline', (i) => level * (1 + 0.1 * Math.sin(i / 200)) + 5 * gaussian(rng));
    }
  }
  return { configs, series };
}

export async function benchAdvisorJudge(
  opts: { metrics?: number; points?: number; looks?: number } = {},
  log: (l: string) => void = console.log,
): Promise<JudgeBench> {
  const metrics = opts.metrics ?? 50;
  const points = opts.points ?? 1000;
  const looks = opts.looks ?? 40;
  const { configs, series } = telemetry(metrics, points);
  const base = {
    strategy: 'canary' as const,
    startedAt: T0,
    metrics: configs,
    series,
    canaryWeight: 0.05,
    riskLevel: null,
    minDurationMs: 600_000,
    expectedIntervalMs: STEP,
  };
  const lastNow = T0 + (points - 1) * STEP;
  let state: JudgeState | undefined;
  const times: number[] = [];
  // The first looks warm the JIT up; the timed ones are the last `looks`, each one interval later, all series at full length.
  for (let i = 0; i < looks + 5; i++) {
    const now = lastNow - (looks + 5 - 1 - i) * STEP;
    const t = performance.now();
    const j = judge({ ...base, now, state });
    const elapsed = performance.now() - t;
    state = j.state;
    if (i >= 5) times.push(elapsed);
  }
  const look = summarize(times);
  log(
    `judge: ${metrics} metrics × ${points} samples per group, ${looks} looks: ` +
      `p50 ${ms(look.p50)} ms, p95 ${ms(look.p95)} ms, max ${ms(look.max)} ms a look (target ≤ 20 ms)`,
  );
  return { metrics, pointsPerGroup: points, looks, look, targetMs: 20 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { looks: { type: 'string' }, metrics: { type: 'string' }, points: { type: 'string' } } });
  await benchAdvisorJudge({
    ...(values.looks ? { looks: Number(values.looks) } : {}),
    ...(values.metrics ? { metrics: Number(values.metrics) } : {}),
    ...(values.points ? { points: Number(values.points) } : {}),
  });
}
