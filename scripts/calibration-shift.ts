/**
 * Why risk-lr misses ECE ≤ 0.05 on some time splits: prints, per history file,
 * the failure rate of the slice the model calibrates on (the newest share of
 * the training part) beside the test part's, risk-lr's ECE on the test part,
 * and the ECE after Platt scaling refitted on the test rows themselves.
 * That refit is an oracle, for diagnosis only: if it brings ECE down, the
 * miss is a shift of the base rate (its intercept says which way), not the
 * shape of the probabilities.
 *
 *   node --import tsx scripts/calibration-shift.ts data/jit/npm.jsonl [more files…] [--split 0.8]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from '../src/evals/io/read-dataset.js';
import { expectedCalibrationError } from '../src/evals/metrics/index.js';
import { riskLogistic } from '../src/evals/replay/models.js';
import { sortByTime } from '../src/evals/replay/replay.js';
import { plattCalibrate } from '../src/risk/model/logistic.js';
import { CALIBRATION_SHARE } from '../src/risk/model/index.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { split: { type: 'string', default: '0.8' } } });
const trainShare = Number(values.split);
if (positionals.length === 0 || !(trainShare > 0 && trainShare < 1)) {
  console.error('usage: node --import tsx scripts/calibration-shift.ts FILE… [--split 0.8]');
  process.exit(2);
}

const label = (outcome: string): 0 | 1 => (outcome === 'failure' ? 1 : 0);
const rate = (ys: readonly number[]) => ys.reduce((s, v) => s + v, 0) / ys.length;
const logit = (p: number) => Math.log(p / (1 - p));
const f3 = (v: number) => v.toFixed(3);

console.log('history          calib rate  test rate  ECE    oracle ECE  oracle a  oracle b (log-odds)');
for (const file of positionals) {
  const sorted = sortByTime((await readDataset(file)).records);
  const cut = Math.floor(sorted.length * trainShare);
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  const calibration = train.slice(Math.floor(train.length * (1 - CALIBRATION_SHARE)));
  const predict = riskLogistic.fit(train);
  const p = test.map(predict);
  const y = test.map((r) => label(r.outcome));
  const oracle = plattCalibrate(p.map(logit), y);
  const refitted = p.map((q) => oracle.apply(logit(q)));
  console.log(
    [
      path.basename(file).padEnd(16),
      f3(rate(calibration.map((r) => label(r.outcome)))).padStart(10),
      f3(rate(y)).padStart(9),
      f3(expectedCalibrationError(p, y)).padStart(6),
      f3(expectedCalibrationError(refitted, y)).padStart(10),
      oracle.a.toFixed(2).padStart(8),
      `${oracle.b >= 0 ? '+' : ''}${oracle.b.toFixed(2)}`.padStart(8),
    ].join('  '),
  );
}
