/**
 * Eval harness figures: replay of 100k releases with the baseline (target
 * ≤ 60 s on 2 cores) and the history read/import rates. Run through
 * `npm run bench` (section "eval") or alone: node --import tsx bench/eval-replay.ts [--releases N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readDataset } from '../src/evals/io/read-dataset.js';
import { baselineLa, jitLogistic } from '../src/evals/replay/models.js';
import { replay } from '../src/evals/replay/replay.js';
import { buildRiskReport } from '../src/evals/risk-report.js';

export async function benchEval(releases: number, log: (l: string) => void = console.log) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-bench-eval-'));
  const file = path.join(dir, 'history.jsonl');
  // Deterministic synthetic history in the shared-data format (14 JIT metrics).
  let s = 7;
  const rand = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const fd = fs.openSync(file, 'w');
  let buf = '';
  for (let i = 0; i < releases; i++) {
    const la = Math.floor(rand() ** 3 * 5000);
    const m = {
      ns: 1 + (i % 3),
      nd: 1 + (i % 5),
      nf: 1 + (i % 9),
      entropy: rand(),
      la,
      ld: Math.floor(la * rand()),
      lt: Math.floor(rand() * 4000),
      fix: rand() < 0.2 ? 1 : 0,
      ndev: Math.floor(rand() * 20),
      age: rand() * 100,
      nuc: Math.floor(rand() * 30),
      exp: Math.floor(rand() * 2000),
      rexp: rand() * 50,
      sexp: Math.floor(rand() * 300),
    };
    const fail = rand() < 0.08 + 0.4 * Math.min(1, la / 3000);
    buf +=
      JSON.stringify({
        id: `b-${i}`,
        service: `svc-${i % 8}`,
        deployedAt: new Date(Date.UTC(2020, 0, 1) + i * 600_000).toISOString(),
        outcome: fail ? 'failure' : 'success',
        metrics: m,
      }) + '\n';
    if (buf.length > 1 << 20) fs.writeSync(fd, buf), (buf = '');
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  const mb = fs.statSync(file).size / 1e6;

  const rss0 = process.memoryUsage().rss;
  let t = performance.now();
  const data = await readDataset(file);
  const readS = (performance.now() - t) / 1000;
  t = performance.now();
  const split = replay(data.records, [baselineLa], { kind: 'split', trainShare: 0.8 });
  buildRiskReport(split, [baselineLa], { title: 'bench', dataset: 'synthetic', split: 'time:0.8' });
  const splitS = (performance.now() - t) / 1000;
  t = performance.now();
  const both = replay(data.records, [baselineLa, jitLogistic], { kind: 'split', trainShare: 0.8 });
  buildRiskReport(both, [baselineLa, jitLogistic], { title: 'bench', dataset: 'synthetic', split: 'time:0.8' });
  const bothS = (performance.now() - t) / 1000;
  t = performance.now();
  const online = replay(data.records, [baselineLa], { kind: 'online', retrainEveryMs: 30 * 86_400_000, labelDelayMs: 0, minTrain: 50 });
  const onlineS = (performance.now() - t) / 1000;
  const rssPeak = process.memoryUsage().rss;
  fs.rmSync(dir, { recursive: true, force: true });

  const total = readS + splitS;
  log(`Eval harness, ${releases.toLocaleString('en')} synthetic releases (${mb.toFixed(0)} MB JSONL, 14 metrics each)`);
  log(`  read + validate              ${readS.toFixed(1)} s   ${Math.round(releases / readS).toLocaleString('en')} rows/s`);
  log(
    `  replay split 0.8, baseline   ${splitS.toFixed(1)} s   (read + replay ${total.toFixed(1)} s; target ≤ 60 s: ${total <= 60 ? 'ok' : 'MISS'}; ratio ${(total / 60).toFixed(2)} of budget)`,
  );
  log(`  replay split, baseline+jit   ${bothS.toFixed(1)} s`);
  log(`  replay online, retrain 30d   ${onlineS.toFixed(1)} s   (${online.predictions.length.toLocaleString('en')} predictions)`);
  log(`  RSS ${Math.round(rss0 / 1e6)} → ${Math.round(rssPeak / 1e6)} MB`);
  return { releases, readS, splitS, bothS, onlineS, total, rssPeakMb: rssPeak / 1e6 };
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { releases: { type: 'string' } } });
  await benchEval(Number(values.releases ?? 100_000));
}
