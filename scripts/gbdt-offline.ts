/**
 * Offline figures for the gradient-boosted tree candidate (src/risk/model/gbdt)
 * beside the models the eval replay already has (baseline-la, jit-lr,
 * risk-lr): per history file, train on the oldest share, test on the newest
 * rest (the published just-in-time setup), and print ROC AUC and Brier score
 * as a markdown table.
 *
 * GBDT inputs: the 14 change metrics as the risk model sees them
 * (inputValue: log1p of counts). Variants:
 *   gbdt       no constraint; the newest 20% of the training part picks the number of trees
 *   gbdt-mono  +1 on the size and spread metrics (MONOTONE below), otherwise the same
 *   gbdt-mono-refit  gbdt-mono's number of trees, refitted on the whole training part
 *
 *   node --import tsx scripts/gbdt-offline.ts FILE… [--split 0.8]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { HistoryRecord } from '../src/contracts/evals.js';
import { readDataset } from '../src/evals/io/read-dataset.js';
import { brier, rocAuc } from '../src/evals/metrics/index.js';
import { baselineLa, jitLogistic, riskLogistic } from '../src/evals/replay/models.js';
import { sortByTime } from '../src/evals/replay/replay.js';
import { METRIC_NAMES } from '../src/risk/features/change-metrics.js';
import { type GbdtOptions, gbdtFeatureImportance, predictGbdt, trainGbdt } from '../src/risk/model/gbdt/index.js';
import { inputValue } from '../src/risk/model/transform.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { split: { type: 'string', default: '0.8' } } });
const trainShare = Number(values.split);
if (positionals.length === 0 || !(trainShare > 0 && trainShare < 1)) {
  console.error('usage: node --import tsx scripts/gbdt-offline.ts FILE… [--split 0.8]');
  process.exit(2);
}

/** Bigger, more spread changes are riskier: the direction the literature and every project agree on. */
const MONOTONE: Record<string, 1> = { la: 1, ld: 1, lt: 1, nf: 1, nd: 1, ns: 1, entropy: 1 };
const monotone = METRIC_NAMES.map((m) => MONOTONE[m] ?? 0);

const label = (r: HistoryRecord): 0 | 1 => (r.outcome === 'failure' ? 1 : 0);
/** A metric the record lacks counts as 0, as jit-lr reads it. */
const row = (r: HistoryRecord) => METRIC_NAMES.map((m) => inputValue(m, r.metrics) ?? 0);

type Fit = (train: readonly HistoryRecord[]) => {
  predict: (r: HistoryRecord) => number;
  note?: string;
  doubled?: (r: HistoryRecord) => boolean;
};
const gbdt =
  (opts: GbdtOptions, refit = false): Fit =>
  (train) => {
    const X = train.map(row);
    const y = train.map(label);
    let model = trainGbdt(X, y, opts);
    const kept = model.trees.length;
    if (refit) model = trainGbdt(X, y, { ...opts, validationShare: 0, rounds: Math.max(1, kept) });
    const top = gbdtFeatureImportance(model)
      .sort((a, b) => b.gain - a.gain)
      .slice(0, 3)
      .map((f) => `${METRIC_NAMES[f.feature]} ${(100 * f.share).toFixed(0)}%`)
      .join(', ');
    return {
      predict: (r) => predictGbdt(model, row(r)),
      note: `${kept} trees; gain ${top}`,
      doubled: (r) => {
        // The same change with twice the lines added: how often would the model call it safer?
        const x = row(r);
        const more = row({ ...r, metrics: { ...r.metrics, la: 2 * (r.metrics.la ?? 0) + 1 } });
        return predictGbdt(model, more) < predictGbdt(model, x) - 1e-12;
      },
    };
  };

const MODELS: [string, Fit][] = [
  ['baseline-la', (t) => ({ predict: baselineLa.fit(t) })],
  ['jit-lr', (t) => ({ predict: jitLogistic.fit(t) })],
  ['risk-lr', (t) => ({ predict: riskLogistic.fit(t) })],
  ['gbdt', gbdt({})],
  ['gbdt-mono', gbdt({ monotone })],
  ['gbdt-mono-refit', gbdt({ monotone }, true)],
];

const f3 = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const f1 = (v: number) => v.toFixed(1);
const auc: Record<string, number[]> = {};
const br: Record<string, number[]> = {};
const notes: string[] = [];
console.log(`| history | rows (test) | test failure rate | ${MODELS.map(([n]) => `${n} AUC / Brier`).join(' | ')} |`);
console.log(`|---|---|---|${MODELS.map(() => '---').join('|')}|`);
for (const file of positionals) {
  const name = path.basename(file).replace(/\.[^.]+$/, '');
  const sorted = sortByTime((await readDataset(file)).records);
  const cut = Math.floor(sorted.length * trainShare);
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  const y = test.map(label);
  const cells: string[] = [];
  for (const [model, fitModel] of MODELS) {
    const started = performance.now();
    const { predict, note, doubled } = fitModel(train);
    const p = test.map(predict);
    const a = rocAuc(p, y);
    const b = brier(p, y);
    if (a !== null) (auc[model] ??= []).push(a);
    (br[model] ??= []).push(b);
    cells.push(`${f3(a)} / ${f3(b)}`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const lower = doubled
      ? `; twice the lines added scores lower on ${f1((100 * test.filter(doubled).length) / test.length)}% of test rows`
      : '';
    if (note) notes.push(`${name} ${model}: ${note}${lower}; ${seconds} s`);
  }
  const rate = y.reduce<number>((s, v) => s + v, 0) / y.length;
  console.log(`| ${name} | ${sorted.length} (${test.length}) | ${f3(rate)} | ${cells.join(' | ')} |`);
}
const mean = (xs: number[] = []) => (xs.length ? xs.reduce((s, v) => s + v, 0) / xs.length : null);
console.log(`| **mean** | | | ${MODELS.map(([m]) => `${f3(mean(auc[m]))} / ${f3(mean(br[m]))}`).join(' | ')} |`);
console.log(`\nmonotone +1: ${Object.keys(MONOTONE).join(', ')}`);
for (const n of notes) console.log(n);
