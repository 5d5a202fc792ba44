/**
 * The log-signature miner's speed: lines per second of mineTemplates over
 * ~100k generated lines (the six styles of fixtures/logs interleaved, so the
 * tree holds every style's templates at once), the preparation (masking)
 * alone, and one compareLogSignatures call at the telemetry request's cap
 * (10,000 canary and 10,000 baseline lines).
 *
 *   node --import tsx bench/advisor-logs.ts [--lines 100000] [--repeat 3]
 */
import { fileURLToPath } from 'node:url';
import { compareLogSignatures, mineTemplates, prepareLine } from '../src/advisor/logs/index.js';
import { generateLabelledLog, LOG_STYLES } from '../src/evals/logs/index.js';
import { Rng } from './rng.js';

export interface LogsBench {
  lines: number;
  templates: number;
  /** Best of `repeat` runs (other work on a shared machine only slows a run down). */
  mineLinesPerSecond: number;
  prepareLinesPerSecond: number;
  /** compareLogSignatures on 10k + 10k lines, best of `repeat`, ms. */
  compareMs: number;
  signatures: number;
}

/** `n` lines from all styles, interleaved in a seeded order. */
export function benchLines(n: number, seed = 7): string[] {
  const styles = Object.values(LOG_STYLES);
  const per = styles.map((s) => generateLabelledLog(s, Math.ceil(n / styles.length), seed).map((l) => l.line));
  const at = styles.map(() => 0);
  const rng = new Rng(seed, 'interleave');
  const out: string[] = [];
  while (out.length < n) {
    const k = rng.int(0, styles.length - 1);
    const line = per[k]![at[k]!++];
    if (line !== undefined) out.push(line);
  }
  return out;
}

function best(repeat: number, run: () => void): number {
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    run();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

export async function runAdvisorLogs(opts: { lines?: number; repeat?: number; print?: (line: string) => void } = {}): Promise<LogsBench> {
  const n = opts.lines ?? 100_000;
  const repeat = opts.repeat ?? 3;
  const print = opts.print ?? ((l: string) => console.log(l));
  const lines = benchLines(n);

  let templates = 0;
  const mineMs = best(repeat, () => {
    templates = mineTemplates(lines).templates.length;
  });
  const prepareMs = best(repeat, () => {
    for (const l of lines) prepareLine(l);
  });

  // A canary that logs a new error and twice the usual rate of one warning, beside a baseline of the same mix.
  const baseline = benchLines(10_000, 11);
  const canary = benchLines(10_000, 12);
  for (let i = 0; i < 150; i++) canary[i * 60] = `ERROR c.a.s.p.Refunds - refund ${1000 + i} failed: ledger locked`;
  let signatures = 0;
  const compareMs = best(repeat, () => {
    signatures = compareLogSignatures({ canary, baseline }).length;
  });

  const result: LogsBench = {
    lines: n,
    templates,
    mineLinesPerSecond: Math.round(n / (mineMs / 1000)),
    prepareLinesPerSecond: Math.round(n / (prepareMs / 1000)),
    compareMs: Number(compareMs.toFixed(1)),
    signatures,
  };
  print(`log templates · ${n.toLocaleString('en-US')} generated lines, 6 styles interleaved, best of ${repeat}`);
  print(`  mineTemplates          ${result.mineLinesPerSecond.toLocaleString('en-US')} lines/s (${templates} templates)`);
  print(`  masking alone          ${result.prepareLinesPerSecond.toLocaleString('en-US')} lines/s`);
  print(`  compareLogSignatures   ${result.compareMs} ms for 10,000 canary + 10,000 baseline lines (${signatures} signatures)`);
  return result;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  runAdvisorLogs({ lines: arg('--lines'), repeat: arg('--repeat') }).catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
