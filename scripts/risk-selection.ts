/**
 * What the model selection sees in a history: fits the served model on the
 * oldest share (as `eval risk --split` does) and prints its rolling-origin
 * validation (every candidate's AUC pooled over the slices, log-loss, Brier), the choice
 * and why, the base-rate layer it chose, and the served validation figures.
 *
 *   node --import tsx scripts/risk-selection.ts history.jsonl [more files…] [--split 0.8]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from '../src/evals/io/read-dataset.js';
import { sortByTime } from '../src/evals/replay/replay.js';
import { selectRiskModel } from '../src/risk/model/index.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { split: { type: 'string', default: '0.8' } } });
const trainShare = Number(values.split);
if (positionals.length === 0 || !(trainShare > 0 && trainShare <= 1)) {
  console.error('usage: node --import tsx scripts/risk-selection.ts FILE… [--split 0.8]');
  process.exit(2);
}
const f3 = (v: number | null) => (v === null ? '  n/a' : v.toFixed(3));

for (const file of positionals) {
  const sorted = sortByTime((await readDataset(file)).records);
  const train = sorted.slice(0, Math.floor(sorted.length * trainShare));
  const started = performance.now();
  const model = selectRiskModel(
    train.map((r) => ({ at: r.at, y: r.outcome === 'failure' ? 1 : 0, features: r.metrics, knownAt: r.outcomeAt })),
    { trainedAt: train[train.length - 1]!.at },
  );
  const s = model.selection;
  console.log(`${path.basename(file)}: ${train.length} rows, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const c of s.candidates)
    console.log(`  ${c.candidate.padEnd(11)} AUC ${f3(c.auc)}  log-loss ${f3(c.logLoss)}  Brier ${f3(c.brier)}  folds ${c.folds}`);
  console.log(`  chosen: ${s.chosen} (${s.why})`);
  const r = s.recalibration;
  console.log(
    `  base-rate layer: half-life ${r.halfLifeDays ?? 'never forget'}; validation log-loss ${f3(r.logLossBefore)} → ${f3(r.logLossAfter)}`,
  );
  console.log(
    `  served on validation: AUC ${f3(s.served.auc)}, Brier skill ${f3(s.served.brierSkill)}, ECE ${f3(s.served.ece)}${s.failed ? `; FAILED: ${s.failed}` : ''}`,
  );
}
