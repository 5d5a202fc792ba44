import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../src/contracts/evals.js';
import { compareRuns } from '../../src/evals/regression.js';
import { parseDuration, parseSplit } from '../../src/evals/config/load.js';
import { baselineLa, jitLogistic, riskLogistic, type ModelSpec } from '../../src/evals/replay/models.js';
import { replay, ReplayError } from '../../src/evals/replay/replay.js';
import { priorRiskModel } from '../../src/risk/model/index.js';

/** Seeded history where bigger changes fail more often. */
function history(n: number, seed = 1): HistoryRecord[] {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => {
    const la = Math.floor(rand() ** 2 * 2000);
    const fail = rand() < 0.05 + 0.5 * (la / 2000);
    return {
      id: `r${String(i).padStart(4, '0')}`,
      service: i % 3 === 0 ? 'payments' : 'checkout',
      at: new Date(Date.UTC(2026, 0, 1) + i * 6 * 3600_000),
      outcome: fail ? 'failure' : 'success',
      metrics: { la, ld: Math.floor(la / 3), nf: 1 + (la % 7), entropy: rand(), fix: rand() < 0.2 ? 1 : 0 },
    } satisfies HistoryRecord;
  });
}

const DAY = 86_400_000;
const flipAfter = (rs: HistoryRecord[], t: number) =>
  rs.map((r) => (r.at.getTime() >= t ? { ...r, outcome: r.outcome === 'failure' ? ('success' as const) : ('failure' as const) } : r));

describe('replay', () => {
  it('splits by time, oldest share for training, and scores every test release with every model', () => {
    const rs = history(500);
    const shuffled = [...rs].reverse();
    const res = replay(shuffled, [baselineLa, jitLogistic], { kind: 'split', trainShare: 0.8 });
    expect(res.train).toBe(400);
    expect(res.test).toBe(100);
    expect(res.predictions).toHaveLength(200);
    const testIds = new Set(res.predictions.map((p) => p.id));
    expect([...testIds].sort()).toEqual(rs.slice(400).map((r) => r.id));
    expect(res.predictions.every((p) => p.probability > 0 && p.probability < 1)).toBe(true);
  });

  it('leaks nothing in online mode: changing outcomes after T changes no prediction made before T', () => {
    const rs = history(600);
    const T = rs[450]!.at.getTime();
    const plan = { kind: 'online' as const, retrainEveryMs: 7 * DAY, labelDelayMs: 2 * DAY, minTrain: 40 };
    const before = replay(rs, [baselineLa, jitLogistic], plan);
    const after = replay(flipAfter(rs, T), [baselineLa, jitLogistic], plan);
    const early = (res: typeof before) =>
      res.predictions.filter((p) => p.at.getTime() < T).map((p) => `${p.id}:${p.model}:${p.probability}`);
    expect(early(before).length).toBeGreaterThan(300);
    expect(early(after)).toEqual(early(before));
    // …while later predictions do change: the test can see a leak if there were one.
    const late = (res: typeof before) => res.predictions.filter((p) => p.at.getTime() >= T + 10 * DAY).map((p) => p.probability);
    expect(late(after)).not.toEqual(late(before));
  });

  it('scores with the prior model while the history is too thin to train on, then with trained models', () => {
    // 60 releases, 3 failures: below the trainer's minimum, as an online replay's first weeks often are.
    const thin = history(60).map((r, i) => ({ ...r, outcome: i % 20 === 5 ? ('failure' as const) : ('success' as const) }));
    const rs = [...thin, ...history(400, 7).map((r, i) => ({ ...r, id: `s${i}`, at: new Date(r.at.getTime() + 60 * 6 * 3600_000) }))];
    const plan = { kind: 'online' as const, retrainEveryMs: 7 * DAY, labelDelayMs: 0, minTrain: 20 };
    const res = replay(rs, [riskLogistic], plan);
    const prior = priorRiskModel();
    const byId = new Map(rs.map((r) => [r.id, r]));
    const isPrior = (p: (typeof res.predictions)[number]) =>
      Math.abs(p.probability - prior.predict(byId.get(p.id)!.metrics).probability) < 1e-9;
    const early = res.predictions.filter((p) => p.at < rs[60]!.at);
    expect(early.length).toBeGreaterThan(20);
    expect(early.every(isPrior)).toBe(true);
    // The prior: ~12% for a typical release, rising with size; not fitted to these 3 failures.
    const typical = riskLogistic.fit(thin.slice(0, 40))({ ...rs[0]!, metrics: { la: 80 } });
    expect(typical).toBeCloseTo(0.12, 2);
    // Once enough outcomes are known, a trained model answers: its scores are not the prior's.
    const late = res.predictions.filter((p) => p.at >= rs[200]!.at);
    expect(late.length).toBeGreaterThan(200);
    expect(late.filter(isPrior)).toHaveLength(0);
  });

  it('respects the label delay: an outcome is used only once it is known', () => {
    const rs = history(300);
    const seen: number[] = [];
    const spy: ModelSpec = {
      name: 'spy',
      version: '1',
      fit(train) {
        seen.push(Math.max(...train.map((r) => r.at.getTime())));
        return () => 0.5;
      },
    };
    const res = replay(rs, [spy], { kind: 'online', retrainEveryMs: 5 * DAY, labelDelayMs: 3 * DAY, minTrain: 10 });
    // Each fit happened at some release time t and saw nothing deployed after t − 3 days.
    const fitTimes = res.predictions.map((p) => p.at.getTime());
    for (const last of seen) expect(fitTimes.some((t) => last <= t - 3 * DAY)).toBe(true);
    expect(res.unscored).toBeGreaterThan(0);
  });

  it('never lets test outcomes reach a split model', () => {
    const rs = history(400);
    const a = replay(rs, [jitLogistic], { kind: 'split', trainShare: 0.75 });
    const b = replay(flipAfter(rs, rs[300]!.at.getTime()), [jitLogistic], { kind: 'split', trainShare: 0.75 });
    expect(b.predictions.map((p) => p.probability)).toEqual(a.predictions.map((p) => p.probability));
  });

  it('refuses histories it cannot learn from, with a reason', () => {
    const ok = history(100);
    const allSuccess = ok.map((r) => ({ ...r, outcome: 'success' as const }));
    expect(() => replay(allSuccess, [baselineLa], { kind: 'split', trainShare: 0.8 })).toThrow(ReplayError);
    expect(() => replay(ok.slice(0, 1), [baselineLa], { kind: 'split', trainShare: 0.8 })).toThrow(/at least 2/);
    expect(() => replay(ok, [baselineLa], { kind: 'online', retrainEveryMs: DAY, labelDelayMs: 0, minTrain: 10_000 })).toThrow(/labelled/);
  });
});

describe('outcomes heard between retrains', () => {
  it('never reach the answer for their own release, even with no label delay', () => {
    const heard = new Set<string>();
    const heardAt = new Set<number>();
    const leaks: string[] = [];
    const listener: ModelSpec = {
      name: 'listener',
      version: 'test',
      fit() {
        const scorer = ((r: HistoryRecord) => {
          // Its own outcome, or that of a release at the same instant: neither was known when it was asked about.
          if (heard.has(r.id) || heardAt.has(r.at.getTime())) leaks.push(r.id);
          return 0.5;
        }) as ((r: HistoryRecord) => number) & { observe?: (r: HistoryRecord) => void };
        scorer.observe = (r) => {
          heard.add(r.id);
          heardAt.add(r.at.getTime());
        };
        return scorer;
      },
    };
    // Two releases at each instant: one's outcome must not reach the other's answer either.
    const records = history(400).map((r, i) => ({ ...r, at: new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * DAY) }));
    replay(records, [listener], { kind: 'online', retrainEveryMs: 30 * DAY, labelDelayMs: 0, minTrain: 20 });
    expect(heard.size).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
  });
});

describe('regression gate', () => {
  const run = (auc: number | null, ece: number) => ({ models: { m: { auc, ece, gateCapture: { '10': 0.3, '20': 0.5 } } } });
  it('flags a drop past tolerance, a rise of a lower-is-better figure, and a figure that became undefined', () => {
    expect(compareRuns(run(0.795, 0.05), run(0.8, 0.05)).regressions).toEqual([]);
    expect(compareRuns(run(0.78, 0.05), run(0.8, 0.05)).regressions.map((r) => r.metric)).toEqual(['auc']);
    expect(compareRuns(run(0.8, 0.08), run(0.8, 0.05)).regressions.map((r) => r.metric)).toEqual(['ece']);
    expect(compareRuns(run(null, 0.05), run(0.8, 0.05)).regressions.map((r) => r.metric)).toEqual(['auc']);
    expect(compareRuns({ models: {} }, run(0.8, 0.05)).regressions.length).toBeGreaterThan(0);
  });
});

describe('durations and splits', () => {
  it('parses what the CLI takes and names what it refuses', () => {
    expect(parseDuration('30d')).toBe(30 * DAY);
    expect(parseDuration('12h')).toBe(12 * 3600_000);
    expect(parseSplit('time:0.8')).toBe(0.8);
    expect(() => parseSplit('time:1.5')).toThrow(/time:0.8/);
    expect(() => parseSplit('random:0.8')).toThrow();
    expect(() => parseDuration('soon')).toThrow(/30d/);
  });
});
