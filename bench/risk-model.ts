/**
 * The risk model's figures (`npm run bench -- --only model`): one retrain's
 * selection (rolling-origin validation of every candidate, the refit, the
 * base-rate layer) on synthetic histories of growing size, the artifact's
 * size, and scoring one release with its explanation, per candidate. The
 * service retrains every 10 outcomes in the background, so the bar is that a
 * retrain of 20,000 releases finishes well within a minute on 2 cores.
 */
import { CANDIDATES, fitCandidate, mulberry32, riskModelFromJSON, selectRiskModel, type TrainingRow } from '../src/risk/model/index.js';
import { int, ms, secs, summarize, table } from './stats.js';

export const MODEL_TARGET = { selectionSecondsAt20k: 60, explainP95Ms: 5 };

/** mulberry32 rows with the 14 just-in-time metrics, failures driven by size and a band of experience. */
function history(n: number, seed = 16): TrainingRow[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const la = Math.round(Math.exp(rand() * 8));
    const exp = Math.floor(rand() * 800);
    const features = {
      la,
      ld: Math.floor(la * rand()),
      lt: Math.floor(rand() * 5000),
      nf: 1 + Math.floor(rand() * 30),
      nd: 1 + Math.floor(rand() * 8),
      ns: 1 + Math.floor(rand() * 3),
      entropy: rand(),
      fix: rand() < 0.25 ? 1 : 0,
      ndev: Math.floor(rand() * 30),
      age: rand() * 200,
      nuc: Math.floor(rand() * 60),
      exp,
      rexp: rand() * 40,
      sexp: Math.floor(rand() * 300),
    };
    const z = -2.2 + 0.45 * (Math.log1p(la) - 4) + (exp > 100 && exp < 300 ? 0.6 : 0) + 0.3 * features.fix;
    return { at: new Date(Date.UTC(2020, 0, 1) + i * 2 * 3_600_000), y: rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0, features };
  });
}

export interface ModelFigures {
  selection: { rows: number; seconds: number; chosen: string; artifactKb: number; peakHeapMb: number }[];
  explain: { candidate: string; p50: number; p95: number }[];
  targets: typeof MODEL_TARGET;
}

export function benchModel(opts: { quick: boolean }, log: (l: string) => void): ModelFigures {
  const sizes = opts.quick ? [1000, 5000] : [1000, 5000, 20_000];
  const selection: ModelFigures['selection'] = [];
  for (const n of sizes) {
    const rows = history(n);
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const model = selectRiskModel(rows, { trainedAt: rows[n - 1]!.at });
    const seconds = (performance.now() - t0) / 1000;
    const json = JSON.stringify(model.toJSON());
    selection.push({
      rows: n,
      seconds,
      chosen: model.chosen,
      artifactKb: json.length / 1024,
      peakHeapMb: Math.max(0, process.memoryUsage().heapUsed - heapBefore) / 2 ** 20,
    });
    // The artifact reads back to the same answers (a bench that measured a broken model would mislead).
    if (Math.abs(riskModelFromJSON(JSON.parse(json)).probability(rows[0]!.features) - model.probability(rows[0]!.features)) > 1e-9)
      throw new Error('the artifact does not read back to the same model');
  }
  log(
    table(
      ['releases', 'selection (one retrain)', 'chosen', 'artifact', 'heap growth'],
      selection.map((s) => [
        int(s.rows),
        secs(s.seconds * 1000),
        s.chosen,
        `${s.artifactKb.toFixed(0)} KB`,
        `${s.peakHeapMb.toFixed(0)} MB`,
      ]),
    ),
  );
  const rows = history(5000);
  const explain: ModelFigures['explain'] = [];
  for (const c of CANDIDATES) {
    const model = fitCandidate(c, rows);
    const times: number[] = [];
    for (const r of rows.slice(0, opts.quick ? 200 : 1000)) {
      const t0 = performance.now();
      model.predict(r.features);
      times.push(performance.now() - t0);
    }
    const s = summarize(times);
    explain.push({ candidate: c, p50: s.p50, p95: s.p95 });
  }
  log(
    table(
      ['candidate', 'score + explain p50', 'p95'],
      explain.map((e) => [e.candidate, `${ms(e.p50)} ms`, `${ms(e.p95)} ms`]),
    ),
  );
  return { selection, explain, targets: MODEL_TARGET };
}
