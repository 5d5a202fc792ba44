/**
 * Repeated looks stay valid: under "no change", the chance that the judge
 * EVER fails a metric, however many times it looks, stays within its error
 * budget; a fixed-window judge (98% interval at every look, no sequential
 * correction) does not.
 */
import { describe, expect, it } from 'vitest';
import { judge } from '../../src/advisor/judge/index.js';
import { ALPHA_HALT } from '../../src/advisor/judge/policy.js';
import { normalQuantile } from '../../src/advisor/judge/stats/distributions.js';
import { shiftInterval } from '../../src/advisor/judge/stats/hodges-lehmann.js';
import { anytimeP } from '../../src/advisor/judge/stats/sequential.js';
import type { JudgeState } from '../../src/advisor/judge/types.js';
import { gaussian, gauge, look, metric, Rng } from './judge-fixtures.js';

describe('the normal-mixture boundary under the null', () => {
  it('keeps P(crossing at any of 1,000 looks) ≤ α, where a fixed z > 1.96 crosses far more often', () => {
    const paths = 2000;
    const looks = 1000;
    let mixture = 0;
    let fixed = 0;
    for (let p = 0; p < paths; p++) {
      const rng = new Rng(7, `path:${p}`);
      let s = 0;
      let crossedM = false;
      let crossedF = false;
      for (let n = 1; n <= looks; n++) {
        s += gaussian(rng);
        const z = s / Math.sqrt(n);
        if (!crossedM && anytimeP(z, n) <= 0.05) crossedM = true;
        if (!crossedF && Math.abs(z) > 1.96) crossedF = true;
      }
      mixture += crossedM ? 1 : 0;
      fixed += crossedF ? 1 : 0;
    }
    expect(mixture / paths).toBeLessThanOrEqual(0.05);
    expect(fixed / paths).toBeGreaterThan(0.4);
  });
});

describe('the judge under no change, looked at again and again', () => {
  it('fails a metric in at most α of rollouts; the fixed-window judge in many more', () => {
    const runs = 300;
    const samples = 240;
    const every = 4;
    // No margin: any shift counts, so only the sequential method stands between noise and a failure.
    const m = metric({ name: 'latency_ms', critical: true, minEffect: { relative: 0 }, minSamples: 10 });
    const z98 = normalQuantile(0.99);
    let judgeFails = 0;
    let fixedFails = 0;
    for (let r = 0; r < runs; r++) {
      const rng = new Rng(11, `run:${r}`);
      const values = { canary: [] as number[], baseline: [] as number[] };
      for (let i = 0; i < samples; i++) for (const g of ['canary', 'baseline'] as const) values[g].push(100 + 10 * gaussian(rng));
      const series = gauge('latency_ms', samples, (i, g) => values[g][i]!);
      let state: JudgeState | undefined;
      let failed = false;
      let fixedFailed = false;
      for (let n = every; n <= samples; n += every) {
        const now = series[0]!.points[n - 1]![0];
        const j = judge(look({ metrics: [m], series, now, state }));
        state = j.state;
        if (j.metrics[0]!.verdict === 'fail') failed = true;
        const x = values.baseline.slice(0, n).sort((a, b) => a - b);
        const y = values.canary.slice(0, n).sort((a, b) => a - b);
        const ci = shiftInterval(x, y, z98);
        if (ci && ci[0] > 0) fixedFailed = true;
      }
      judgeFails += failed ? 1 : 0;
      fixedFails += fixedFailed ? 1 : 0;
    }
    expect(judgeFails / runs).toBeLessThanOrEqual(ALPHA_HALT);
    expect(fixedFails / runs).toBeGreaterThan(ALPHA_HALT);
    // Some 18,000 looks: seconds alone, longer on a busy CI machine.
  }, 120_000);
});
