import { AppError } from '../../contracts/errors.js';
import type { HistoryRecord } from '../../contracts/evals.js';
import type { ModelSpec, Scorer } from './models.js';

export type ReplayPlan =
  | { kind: 'split'; trainShare: number }
  | { kind: 'online'; retrainEveryMs: number; labelDelayMs: number; minTrain: number };

export interface Prediction {
  id: string;
  service: string;
  at: Date;
  model: string;
  probability: number;
  outcome: 0 | 1;
  /** la + ld: what effort-aware metrics weigh by. */
  effort: number;
}

export interface ReplayResult {
  plan: ReplayPlan;
  train: number;
  test: number;
  /** Releases not scored because no model existed yet (online warm-up). */
  unscored: number;
  /** Failure share of the records each first model trained on: the no-skill reference. */
  trainBaseRate: number;
  predictions: Prediction[];
}

/** Time order, ties by id, so a replay is the same every run whatever the input order. */
export function sortByTime(records: readonly HistoryRecord[]): HistoryRecord[] {
  return [...records].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const label = (r: HistoryRecord): 0 | 1 => (r.outcome === 'failure' ? 1 : 0);
const effortOf = (r: HistoryRecord) => (r.metrics.la ?? 0) + (r.metrics.ld ?? 0);
const hasBothClasses = (rs: readonly HistoryRecord[]) => rs.some((r) => label(r) === 1) && rs.some((r) => label(r) === 0);

/** The history cannot be replayed as asked (too few records, one outcome only, …). */
export class ReplayError extends AppError {
  constructor(message: string) {
    super('insufficient_history', message);
  }
}

/**
 * Replays history as it happened. Split: train on the oldest share, test on
 * the rest (the setup of the published just-in-time results). Online: every
 * release is scored by the model of the last retrain before it, which saw
 * only outcomes known by then (deployed at least `labelDelay` before it, or
 * its `outcomeAt` passed): nothing after a release's time can reach its
 * prediction. Between retrains, outcomes that become known reach the models
 * that listen for them (the served model's base-rate layer), as in the service.
 */
export function replay(records: readonly HistoryRecord[], models: readonly ModelSpec[], plan: ReplayPlan): ReplayResult {
  const sorted = sortByTime(records);
  if (sorted.length < 2) throw new ReplayError(`need at least 2 records, got ${sorted.length}`);
  return plan.kind === 'split' ? replaySplit(sorted, models, plan) : replayOnline(sorted, models, plan);
}

function predictionsFor(model: ModelSpec, predict: (r: HistoryRecord) => number, test: readonly HistoryRecord[]): Prediction[] {
  return test.map((r) => ({
    id: r.id,
    service: r.service,
    at: r.at,
    model: model.name,
    probability: predict(r),
    outcome: label(r),
    effort: effortOf(r),
  }));
}

function replaySplit(sorted: HistoryRecord[], models: readonly ModelSpec[], plan: { trainShare: number }): ReplayResult {
  const cut = Math.floor(sorted.length * plan.trainShare);
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  if (train.length === 0 || test.length === 0) throw new ReplayError(`split ${plan.trainShare} leaves an empty train or test set`);
  if (!hasBothClasses(train)) throw new ReplayError('the training part holds only one outcome: a model cannot learn from it');
  const context = { now: test[0]!.at, knownAt: (x: HistoryRecord) => x.outcomeAt ?? x.at };
  const predictions = models.flatMap((m) => predictionsFor(m, m.fit(train, context), test));
  return {
    plan: { kind: 'split', ...plan },
    train: train.length,
    test: test.length,
    unscored: 0,
    trainBaseRate: train.filter((r) => label(r) === 1).length / train.length,
    predictions,
  };
}

function replayOnline(
  sorted: HistoryRecord[],
  models: readonly ModelSpec[],
  plan: { retrainEveryMs: number; labelDelayMs: number; minTrain: number },
): ReplayResult {
  const knownAt = (r: HistoryRecord) => (r.outcomeAt ?? new Date(r.at.getTime() + plan.labelDelayMs)).getTime();
  // Outcomes in the order they became known: between retrains they reach the models that listen (observe).
  const arrivals = [...sorted].sort((a, b) => knownAt(a) - knownAt(b));
  const predictions: Prediction[] = [];
  let current: { at: number; scorers: Scorer[] } | undefined;
  let firstBaseRate: number | undefined;
  let lastTrainSize = 0;
  let unscored = 0;
  let fed = 0; // arrivals[0..fed) were known at the last retrain or have been observed since
  for (const r of sorted) {
    const now = r.at.getTime();
    if (!current || now - current.at >= plan.retrainEveryMs) {
      const train = sorted.filter((x) => x.at.getTime() < now && knownAt(x) < now);
      if (train.length >= plan.minTrain && hasBothClasses(train)) {
        const context = { now: r.at, knownAt: (x: HistoryRecord) => new Date(knownAt(x)) };
        const previous = current?.scorers;
        current = { at: now, scorers: models.map((m, i) => m.fit(train, { ...context, previous: previous?.[i] })) };
        lastTrainSize = train.length;
        firstBaseRate ??= train.filter((x) => label(x) === 1).length / train.length;
        while (fed < arrivals.length && knownAt(arrivals[fed]!) < now) fed++;
      }
    }
    if (!current) {
      unscored++;
      continue;
    }
    // Strictly before this release: its own outcome (label delay 0) or one known at this very instant is not known yet.
    // As in the service, a model hears the outcomes of the releases it scored (those since its fit).
    for (; fed < arrivals.length && knownAt(arrivals[fed]!) < now; fed++) {
      const a = arrivals[fed]!;
      if (a.at.getTime() < current.at) continue;
      for (const s of current.scorers) s.observe?.(a, new Date(knownAt(a)));
    }
    models.forEach((m, i) => predictions.push(...predictionsFor(m, current!.scorers[i]!, [r])));
  }
  if (firstBaseRate === undefined) throw new ReplayError(`no point in the history had ${plan.minTrain} labelled records of both outcomes`);
  // `train` is the size of the last model's training set; every scored release is a test case.
  return {
    plan: { kind: 'online', ...plan },
    train: lastTrainSize,
    test: sorted.length - unscored,
    unscored,
    trainBaseRate: firstBaseRate,
    predictions,
  };
}
