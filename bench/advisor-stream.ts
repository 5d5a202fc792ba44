/**
 * The streaming detector's throughput over a NAB-layout folder (target ≥ 20,000
 * rows/s), and, with --tune, the grid its defaults were chosen on.
 *
 *   node --import tsx bench/advisor-stream.ts --data NAB/data                 rows/s
 *   node --import tsx bench/advisor-stream.ts --data NAB/data --windows NAB/labels/combined_windows.json --tune
 *
 * Without --data it streams the NAB slices in fixtures/nab/data (a smoke run).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createStreamDetector, DEFAULT_STREAM_OPTIONS, type StreamDetectorOptions } from '../src/advisor/stream/index.js';
import { DEFAULT_PROFILES, listCorpus, type NabFile, readNabFile, readWindows } from '../src/evals/nab/read.js';
import { bestThreshold, normalise, prepareSeries, scoreSeries } from '../src/evals/nab/scorer.js';

const TARGET_ROWS_PER_SEC = 20_000;
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/nab/data');

export interface StreamBenchFigures {
  files: number;
  rows: number;
  /** Median over the repetitions of rows pushed through fresh detectors per second. */
  rowsPerSec: number;
  /** The same with reading and parsing the CSV files included (one pass). */
  rowsPerSecWithParsing: number;
  target: number;
}

function streamAll(files: readonly NabFile[], options: Partial<StreamDetectorOptions> = {}): number[][] {
  return files.map((f) => {
    const d = createStreamDetector(options);
    return f.rows.map((r) => d.push(r.at / 1000, r.number).score);
  });
}

export async function benchAdvisorStream(
  o: { dataDir?: string; repeat?: number } = {},
  log: (l: string) => void = console.log,
): Promise<StreamBenchFigures> {
  const dir = o.dataDir ?? FIXTURES;
  let t = performance.now();
  const files = listCorpus(dir).map(readNabFile);
  streamAll(files);
  const withParsingS = (performance.now() - t) / 1000;
  const rows = files.reduce((s, f) => s + f.rows.length, 0);
  const runs: number[] = [];
  for (let i = 0; i < (o.repeat ?? 5); i++) {
    t = performance.now();
    streamAll(files);
    runs.push(rows / ((performance.now() - t) / 1000));
  }
  runs.sort((a, b) => a - b);
  const rowsPerSec = Math.round(runs[runs.length >> 1]!);
  const figures = {
    files: files.length,
    rows,
    rowsPerSec,
    rowsPerSecWithParsing: Math.round(rows / withParsingS),
    target: TARGET_ROWS_PER_SEC,
  };
  log(
    `Streaming detector over ${dir === FIXTURES ? 'the NAB fixture slices' : dir}: ${files.length} files, ${rows.toLocaleString('en')} rows`,
  );
  log(
    `  detector only       ${rowsPerSec.toLocaleString('en')} rows/s (median of ${runs.length}; target ≥ ${TARGET_ROWS_PER_SEC.toLocaleString('en')}: ${rowsPerSec >= TARGET_ROWS_PER_SEC ? 'ok' : 'MISS'})`,
  );
  log(`  with CSV parsing    ${figures.rowsPerSecWithParsing.toLocaleString('en')} rows/s (first pass, cold)`);
  return figures;
}

/** The grid the defaults were chosen on: one setting at a time, the mean of the three profiles' scores over the whole corpus. */
const GRID: Partial<Record<keyof StreamDetectorOptions, number[]>> = {
  warmup: [100, 150, 200, 300],
  forecastPoints: [3, 5, 9],
  errorWindow: [300, 1000, 3000],
  errorAverage: [5, 10, 20],
  levelBins: [6, 8, 12, 16],
  rarityAverage: [10, 20, 30],
  rarityCap: [2, 3, 4],
  halfLife: [1000, 2000, 5000],
  minStd: [0.01, 0.02, 0.05],
  rangeTolerance: [0, 0.02, 0.05, 0.1],
  releaseScore: [0.2, 0.3, 0.4],
  quietPoints: [10, 30, 60, 120],
  episodeCap: [0.2, 0.3, 0.4],
};

export function tune(dataDir: string, windowsFile: string, log: (l: string) => void = console.log) {
  const files = listCorpus(dataDir).map(readNabFile);
  const windows = readWindows(windowsFile);
  const evaluate = (options: Partial<StreamDetectorOptions>) => {
    const prepared = streamAll(files, options).map((scores, k) =>
      prepareSeries({
        name: files[k]!.key,
        timestamps: files[k]!.rows.map((r) => r.at),
        scores,
        windows: windows.get(files[k]!.key) ?? [],
      }),
    );
    const byProfile = Object.entries(DEFAULT_PROFILES).map(([, p]) => {
      const { threshold } = bestThreshold(prepared, p);
      return normalise(
        prepared.map((s) => scoreSeries(s, threshold, p)),
        p,
      ).score!;
    });
    return { mean: byProfile.reduce((a, b) => a + b, 0) / byProfile.length, standard: byProfile[0]! };
  };
  const base = evaluate({});
  log(`defaults: mean of the three profiles ${base.mean.toFixed(1)}, standard ${base.standard.toFixed(1)}`);
  for (const [key, values] of Object.entries(GRID)) {
    const cells = values.map((v) => {
      const r = evaluate({ [key]: v });
      const mark = v === DEFAULT_STREAM_OPTIONS[key as keyof StreamDetectorOptions] ? '*' : ' ';
      return `${mark}${v}: ${r.mean.toFixed(1)}/${r.standard.toFixed(1)}`;
    });
    log(`  ${key.padEnd(15)} ${cells.join('   ')}`);
  }
  log('  (* the default; each cell: mean of the three profiles / standard, that one setting changed)');
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, windows: { type: 'string' }, tune: { type: 'boolean' }, repeat: { type: 'string' } },
  });
  if (values.tune) {
    if (!values.data || !values.windows) throw new Error('--tune needs --data DIR and --windows FILE');
    tune(values.data, values.windows);
  } else
    await benchAdvisorStream({
      ...(values.data ? { dataDir: values.data } : {}),
      ...(values.repeat ? { repeat: Number(values.repeat) } : {}),
    });
}
