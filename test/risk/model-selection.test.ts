import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/risk/model/gbdt/rng.js';
import { CANDIDATES, fitCandidate, isSelected, riskModelFromJSON, selectRiskModel, type TrainingRow } from '../../src/risk/model/index.js';
import { BaseRateTracker } from '../../src/risk/model/select/base-rate.js';
import { labelHorizonMs, trainableAt } from '../../src/risk/model/select/label-horizon.js';
import { chooseRecalibration } from '../../src/risk/model/select/recalibration.js';
import { rollingOrigin } from '../../src/risk/model/select/rolling-origin.js';

/** A seeded stream in [0, 1): the same rows every run. */
const seeded = (seed: number) => mulberry32(seed);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2024, 0, 1);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Releases every 6 hours; `chance(features, i)` is each one's true failure probability. */
function history(n: number, seed: number, chance: (f: Record<string, number>, i: number) => number, stepHours = 6): TrainingRow[] {
  const rand = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const features = {
      la: Math.round(Math.exp(rand() * 7)),
      nf: 1 + Math.floor(rand() * 20),
      exp: Math.floor(rand() * 500),
      entropy: rand(),
    };
    return { at: new Date(T0 + i * stepHours * HOUR), y: rand() < chance(features, i) ? 1 : 0, features };
  });
}

describe('model selection on the tenant history', () => {
  it('serves lines added alone when nothing else carries signal: a tie goes to the simpler model', () => {
    const rows = history(1200, 1, (f) => sigmoid(-2 + 0.5 * Math.log1p(f.la!)));
    const model = selectRiskModel(rows, { trainedAt: new Date(T0 + 1200 * 6 * HOUR) });
    expect(model.selection.candidates.map((c) => c.candidate)).toEqual(['la', 'lr', 'stacked-lr', 'gbdt', 'blend']);
    expect(model.chosen).toBe('la');
    expect(model.selection.why).toMatch(/^ties with|^best validation AUC/);
    // la won or tied: no candidate beat it by more than the tie margin.
    const la = model.selection.candidates.find((c) => c.candidate === 'la')!.auc!;
    for (const c of model.selection.candidates) if (c.auc !== null) expect(c.auc - la).toBeLessThan(0.02);
    expect(model.version).toBe('la-lr-1');
  });

  it('chooses the trees when the risk is not a straight line in an input (a band of experience)', () => {
    const rows = history(2400, 2, (f) => (f.exp! >= 150 && f.exp! < 300 ? 0.6 : 0.1));
    const model = selectRiskModel(rows);
    const auc = (c: string) => model.selection.candidates.find((x) => x.candidate === c)!.auc!;
    expect(['gbdt', 'blend']).toContain(model.chosen);
    expect(auc('gbdt')).toBeGreaterThan(auc('lr') + 0.02);
    expect(auc(model.chosen)).toBeGreaterThan(auc('stacked-lr') + 0.02);
    // The figures stored are the chosen model's, as served.
    expect(model.selection.served.auc).toBeGreaterThan(0.7);
    expect(model.selection.failed).toBeNull();
  });

  it('fails validation on a history whose outcomes are coin flips, and says why', () => {
    const rows = history(800, 3, () => 0.3);
    const model = selectRiskModel(rows);
    expect(model.selection.failed).toMatch(/no better than chance|lose to the training base rate/);
  });

  it('follows a falling base rate: the layer it chose lowers the answers, and validation says it helped', () => {
    // Same ranking throughout; the failure rate drops from about 40% to about 10% over the history.
    const n = 2000;
    const rows = history(n, 4, (f, i) => sigmoid(-0.4 - (2.4 * i) / n + 0.4 * (Math.log1p(f.la!) - 3.5)));
    const model = selectRiskModel(rows, { trainedAt: rows[n - 1]!.at });
    const r = model.selection.recalibration;
    expect(r.halfLifeDays).not.toBe('off');
    expect(r.logLossAfter).toBeLessThan(r.logLossBefore);
    expect(model.shift()).toBeLessThan(0);
    const newest = rows.slice(-200);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const served = mean(newest.map((x) => model.probability(x.features)));
    const base = mean(newest.map((x) => model.base.probability(x.features)));
    const observed = mean(newest.map((x) => x.y));
    expect(Math.abs(served - observed)).toBeLessThan(Math.abs(base - observed));
    // Outcomes arriving after training move the layer of a copy, never the stored model.
    const after = rows[n - 1]!.at.getTime();
    const failing = Array.from({ length: 300 }, (_, i) => ({
      probability: 0.1,
      failed: 1 as const,
      knownAt: new Date(after + (i + 1) * HOUR),
    }));
    const moved = model.withOutcomes(failing);
    const at = new Date(after + 400 * HOUR);
    expect(moved.shift(at)).toBeGreaterThan(model.shift(at) + 0.5);
    expect(moved.probability(rows[0]!.features, at)).toBeGreaterThan(model.probability(rows[0]!.features, at));
    expect(model.withOutcomes([]).shift(at)).toBe(model.shift(at));
  });

  it('recalibrates each validation answer with outcomes known strictly before it: known at its own time is not known yet', () => {
    const n = 1200;
    const rows = history(n, 12, (f, i) => sigmoid(-0.4 - (2 * i) / n + 0.4 * (Math.log1p(f.la!) - 3.5)), 48);
    const atOnce = rollingOrigin(rows, { candidates: ['la'] });
    const justAfter = rows.map((r) => ({ ...r, knownAt: new Date(r.at.getTime() + 1) }));
    const later = rollingOrigin(justAfter, { candidates: ['la'] });
    // An outcome known at the instant of the answer and one known a millisecond later must read the same.
    const a = chooseRecalibration(rows, atOnce, 'la');
    const b = chooseRecalibration(justAfter, later, 'la');
    expect(a.halfLifeDays).toBe(b.halfLifeDays);
    // The same up to the millisecond's worth of decay.
    expect(a.logLossAfter).toBeCloseTo(b.logLossAfter, 9);
  });

  it('trains each fold only on outcomes known by its start (an SZZ label arrives with its fix)', () => {
    const rows = history(400, 5, (f) => sigmoid(-1 + 0.3 * Math.log1p(f.la!)));
    // Every failure becomes known 60 days after its release; successes at once.
    const late = rows.map((r) => ({ ...r, knownAt: new Date(r.at.getTime() + (r.y === 1 ? 60 * DAY : 0)) }));
    const v = rollingOrigin(late, { folds: 2, candidates: ['la'] });
    for (const fold of v.folds) {
      const origin = fold.origin.getTime();
      const known = late.filter((r) => r.at.getTime() < origin && r.knownAt.getTime() <= origin).length;
      expect(fold.trainRows).toBe(known);
      expect(fold.trainRows).toBeLessThan(late.filter((r) => r.at.getTime() < origin).length);
    }
  });

  it('stays calibrated when failures are known at once and successes only after 90 days (SZZ on a day-one history)', () => {
    // A day-one history from git: SZZ knows a failure when its fix lands (a day later), a success once 90 days pass.
    const rows = history(3000, 7, (f) => sigmoid(-1.6 + 0.3 * (Math.log1p(f.la!) - 3.5)), 2);
    const szz = rows.map((r) => ({ ...r, knownAt: new Date(r.at.getTime() + (r.y === 1 ? DAY : 90 * DAY)) }));
    const now = szz[szz.length - 1]!.at.getTime() + DAY;
    const known = szz.filter((r) => r.knownAt.getTime() <= now);
    const model = selectRiskModel(known, { trainedAt: new Date(now) });
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const rate = mean(rows.map((r) => r.y));
    // Known labels of the last 90 days are all failures; a model fitted on them would answer far above the rate.
    const recentKnown = known.filter((r) => r.at.getTime() > now - 90 * DAY);
    expect(mean(recentKnown.map((r) => r.y))).toBe(1);
    const answered = mean(rows.slice(-300).map((r) => model.probability(r.features)));
    expect(Math.abs(answered - rate)).toBeLessThan(0.03);
    // The young labels are left out of the fit, failures and successes alike: 90 days at one release every 2 hours.
    expect(labelHorizonMs(known)).toBe(90 * DAY);
    const trainable = trainableAt(known, now, labelHorizonMs(known));
    expect(trainable.length).toBe(known.filter((r) => r.at.getTime() <= now - 90 * DAY).length);
    expect(trainable.every((i) => known[i]!.at.getTime() <= now - 90 * DAY)).toBe(true);
  });

  it("uses shipcheck's release context only where it pays on the tenant's history", () => {
    const withContext = (seed: number, matters: boolean) => {
      const rand = seeded(seed + 100);
      return history(1600, seed, () => 0).map((r) => {
        const migration = rand() < 0.2 ? 1 : 0;
        const z = -2 + 0.4 * (Math.log1p(r.features.la!) - 3.5) + (matters ? 2.5 * migration : 0);
        return {
          ...r,
          y: (rand() < sigmoid(z) ? 1 : 0) as 0 | 1,
          features: { ...r.features, risky_migration: migration, off_hours: rand() < 0.3 ? 1 : 0 },
        };
      });
    };
    const noise = selectRiskModel(withContext(9, false));
    expect(noise.selection.context).toMatchObject({ used: false });
    expect(noise.selection.why).toMatch(/release context .* did not help/);
    expect(noise.features).not.toContain('risky_migration');
    const signal = selectRiskModel(withContext(10, true));
    expect(signal.selection.context).toMatchObject({ used: true });
    expect(signal.selection.context!.aucWith!).toBeGreaterThan(signal.selection.context!.aucWithout! + 0.05);
    expect(signal.features).toContain('risky_migration');
    // A history of just-in-time metrics alone has no context to weigh.
    expect(selectRiskModel(history(800, 11, (f) => sigmoid(-2 + 0.4 * Math.log1p(f.la!)))).selection.context).toBeNull();
  });

  it('ranks a release among the newest it was trained on', () => {
    const rows = history(1000, 6, (f) => sigmoid(-2 + 0.5 * Math.log1p(f.la!)));
    const model = selectRiskModel(rows);
    const small = model.rank(model.probability({ la: 1, nf: 1, exp: 100, entropy: 0 }))!;
    const big = model.rank(model.probability({ la: 5000, nf: 1, exp: 100, entropy: 0 }))!;
    expect(big.riskiestShare).toBeLessThan(0.05);
    expect(small.riskiestShare).toBeGreaterThan(0.9);
    expect(big.among).toBe(1000);
  });

  it('reads back from its artifact with the same answers, and refuses a damaged one', () => {
    const rows = history(2400, 2, (f) => (f.exp! >= 150 && f.exp! < 300 ? 0.6 : 0.1));
    const model = selectRiskModel(rows);
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    const back = riskModelFromJSON(json);
    expect(isSelected(back)).toBe(true);
    for (const r of rows.slice(0, 50)) expect(back.probability(r.features)).toBeCloseTo(model.probability(r.features), 12);
    expect(back.predict(rows[0]!.features).contributions).toEqual(model.predict(rows[0]!.features).contributions);
    const broken = structuredClone(json);
    const trees = broken.model.kind === 'shipcheck-blend-risk-model' ? broken.model.members[1].trees : broken.model.trees;
    trees.trees[0][0].left = 999; // a node pointing past the tree
    expect(() => riskModelFromJSON(broken)).toThrow(/points at node/);
    expect(() => riskModelFromJSON({ ...json, selection: { ...json.selection, chosen: 'magic' } })).toThrow(/chosen/);
    // Parts that disagree are refused too: another candidate's name, scores out of order, a layer validation turned off.
    expect(() => riskModelFromJSON({ ...json, selection: { ...json.selection, chosen: 'lr' } })).toThrow(/the report chose lr/);
    expect(() => riskModelFromJSON({ ...json, recentScores: [...json.recentScores].reverse() })).toThrow(/ascending/);
    const off = { ...json, selection: { ...json.selection, recalibration: { ...json.selection.recalibration, halfLifeDays: 'off' } } };
    expect(() =>
      riskModelFromJSON(
        json.baseRate ? off : { ...json, baseRate: { halfLifeDays: 30, at: json.trainedAt, outcomes: 1, failures: 0, predicted: 0.5 } },
      ),
    ).toThrow(/layer/);
  });
});

describe('every candidate', () => {
  it('answers the same probability with and without its explanation', () => {
    const rows = history(600, 8, (f) => sigmoid(-2 + 0.4 * Math.log1p(f.la!) + (f.exp! < 50 ? 1 : 0)));
    for (const name of CANDIDATES) {
      const model = fitCandidate(name, rows);
      for (const r of rows.slice(0, 40)) expect(model.probability(r.features)).toBeCloseTo(model.predict(r.features).probability, 12);
    }
  });
});

describe('the base-rate layer', () => {
  it('says nothing until outcomes arrive, then moves towards what they say, held back by its pseudo-rows', () => {
    const t = new BaseRateTracker(90, T0);
    expect(t.shift()).toBe(0);
    expect(t.apply(0.3)).toBe(0.3);
    // The model said 30%; 10 of 10 failed.
    for (let i = 0; i < 10; i++) t.observe(0.3, 1, T0 + i * HOUR);
    const few = t.shift();
    expect(few).toBeGreaterThan(0);
    for (let i = 0; i < 200; i++) t.observe(0.3, 1, T0 + (10 + i) * HOUR);
    expect(t.shift()).toBeGreaterThan(few);
    expect(t.shift()).toBeLessThanOrEqual(2);
  });

  it('forgets at its half-life; never-forget keeps the old rate', () => {
    const forgetting = new BaseRateTracker(30, T0);
    const keeping = new BaseRateTracker(null, T0);
    for (const t of [forgetting, keeping]) {
      for (let i = 0; i < 300; i++) t.observe(0.3, i % 2 === 0 ? 1 : 0, T0 + i * HOUR); // 50% failed then
      for (let i = 0; i < 300; i++) t.observe(0.3, i % 10 === 0 ? 1 : 0, T0 + 365 * DAY + i * HOUR); // 10% a year later
    }
    expect(forgetting.shift()).toBeLessThan(0); // only the recent 10% counts
    expect(keeping.shift()).toBeGreaterThan(forgetting.shift()); // the old 50% still holds it up
  });

  it('survives its state as JSON', () => {
    const t = new BaseRateTracker(90, T0);
    for (let i = 0; i < 50; i++) t.observe(0.2, i % 3 === 0 ? 1 : 0, T0 + i * DAY);
    const back = BaseRateTracker.from(JSON.parse(JSON.stringify(t.state())));
    expect(back.shift()).toBeCloseTo(t.shift(), 12);
    expect(back.shift(T0 + 400 * DAY)).toBeCloseTo(t.shift(T0 + 400 * DAY), 12);
  });
});
