/**
 * Writes the canary scenario set from real series in the Numenta Anomaly
 * Benchmark's layout. Seeded and deterministic: the same data, seed and n
 * give the same file, and scenario i does not depend on n.
 *
 *   node --import tsx evals/canary/generate.ts --nab DIR [--windows FILE] [--folders realAWSCloudwatch]
 *        [--n 600] [--seed 1] [--out evals/canary/scenarios.jsonl]
 *
 * DIR holds <folder>/<file>.csv (NAB's data/ folder); --windows is NAB's
 * combined_windows.json (default: DIR/../combined_windows.json when it
 * exists), whose labelled anomalies no segment overlaps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateScenarios } from '../../src/evals/canary/generator/build.js';
import { readNab } from '../../src/evals/canary/generator/nab.js';

const { values } = parseArgs({
  options: {
    nab: { type: 'string' },
    windows: { type: 'string' },
    folders: { type: 'string', default: 'realAWSCloudwatch' },
    n: { type: 'string', default: '600' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.nab) {
  console.error('usage: node --import tsx evals/canary/generate.ts --nab DIR [--windows FILE] [--folders a,b] [--n 600] [--seed 1] [--out FILE]');
  process.exit(2);
}
const defaultWindows = path.join(values.nab, '..', 'combined_windows.json');
const windows = values.windows ?? (fs.existsSync(defaultWindows) ? defaultWindows : null);
if (!windows) console.error('no anomaly windows file: segments may overlap labelled anomalies (pass --windows)');
const series = readNab(values.nab, values.folders.split(',').map((f) => f.trim()), windows);
const { scenarios, stats } = generateScenarios(series, { n: Number(values.n), seed: Number(values.seed) });
const text = scenarios.map((s) => JSON.stringify(s)).join('\n') + '\n';
if (values.out) fs.writeFileSync(values.out, text);
else process.stdout.write(text);
console.error(
  `${stats.scenarios} scenarios from ${series.length} series` +
    ` (${stats.dayApartRefused} day-later segments refused for behaving differently, ${stats.segmentsRefused} segments refused for anomalies, irregular times or a median ≤ 0)` +
    (values.out ? ` → ${values.out} (${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB)` : ''),
);
