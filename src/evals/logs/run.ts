import { csvQuote } from '../../contracts/text.js';
import { type MinedLines, type MinerOptions, mineTemplates } from '../../advisor/logs/index.js';
import { type GroupingAccuracy, groupingAccuracy } from './grouping-accuracy.js';

/**
 * The log-template eval: mine a plain log (one event a line), time it, and
 * score the grouping against labels when there are any.
 */

/**
 * Text → lines: split on LF, a CR before it dropped (CRLF files), and a
 * final newline ends the last line rather than starting an empty one.
 */
export function splitLogLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Lines that look binary rather than text: a NUL, or a byte that was not UTF-8 (decoded as U+FFFD). */
export function binaryLines(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) if (l.includes('\u0000') || l.includes('\ufffd')) n++;
  return n;
}

export interface LogEval {
  mined: MinedLines;
  lines: number;
  templates: number;
  /** Wall time of the mining alone (not reading or writing files). */
  seconds: number;
  linesPerSecond: number;
  accuracy: GroupingAccuracy | null;
}

export function runLogEval(lines: readonly string[], opts: { labels?: readonly string[]; miner?: MinerOptions } = {}): LogEval {
  if (opts.labels && opts.labels.length !== lines.length) {
    throw new RangeError(`the labels have ${opts.labels.length} lines and the log ${lines.length}: one label a line`);
  }
  const t0 = performance.now();
  const mined = mineTemplates(lines, opts.miner);
  const seconds = (performance.now() - t0) / 1000;
  const predicted = Array.from(mined.lineTemplate, (t) => mined.templates[t]!.id);
  return {
    mined,
    lines: lines.length,
    templates: mined.templates.length,
    seconds,
    linesPerSecond: seconds > 0 ? lines.length / seconds : Number.POSITIVE_INFINITY,
    accuracy: opts.labels ? groupingAccuracy(predicted, opts.labels) : null,
  };
}

/** RFC 4180 quoting (the one every CSV shipcheck writes uses). */

/** templates.csv, `line,templateId,template`, one row per input line in order, `line` from 1; yielded in chunks of about 1 MB. */
export function* templatesCsv(mined: MinedLines): Generator<string> {
  let buf = 'line,templateId,template\n';
  const cells = mined.templates.map((t) => `${t.id},${csvQuote(t.template)}\n`);
  for (let i = 0; i < mined.lineTemplate.length; i++) {
    buf += `${i + 1},${cells[mined.lineTemplate[i]!]}`;
    if (buf.length > 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  yield buf;
}
