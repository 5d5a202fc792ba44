import fs from 'node:fs';
import path from 'node:path';
import type { MinerOptions } from '../../advisor/logs/index.js';
import type { Config } from '../../config.js';
import { binaryLines, type LogEval, runLogEval, splitLogLines, templatesCsv } from '../../evals/logs/index.js';
import { parse } from '../args.js';
import { CliError, type Io } from '../output.js';

export const EVAL_LOGS_USAGE = `usage: shipcheck eval logs --input FILE [--out DIR] [--labels FILE] [--json] [--similarity 0.5] [--prefix-tokens 1]
  Mines log templates from a plain log (one event a line), as the rollback advisor does with deploy logs.
  Reports the number of templates and lines per second; --out writes DIR/templates.csv (line,templateId,template:
  one row per input line, in order, line counted from 1). --labels takes one true template id a line and
  reports the grouping accuracy (the share of lines whose group of same-template lines is exactly right).
  --similarity and --prefix-tokens set the miner's threshold and tree depth (the advisor uses the defaults).`;

/** The file as lines of text; bytes that are not UTF-8 become U+FFFD rather than stopping the run. */
function readLines(file: string, what: string): string[] {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new CliError(`${what} ${file}: ${(err as Error).message}`);
  }
  return splitLogLines(new TextDecoder('utf-8').decode(bytes));
}

function summary(file: string, r: LogEval) {
  return {
    input: path.basename(file),
    lines: r.lines,
    templates: r.templates,
    unclustered: r.mined.unclustered,
    seconds: Number(r.seconds.toFixed(4)),
    linesPerSecond: Math.round(r.linesPerSecond),
    groupingAccuracy: r.accuracy ? Number(r.accuracy.accuracy.toFixed(4)) : null,
    ...(r.accuracy
      ? { predictedGroups: r.accuracy.predictedGroups, trueGroups: r.accuracy.trueGroups, correctGroups: r.accuracy.correctGroups }
      : {}),
  };
}

export async function evalLogsCommand(argv: string[], _config: Config, io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      input: { type: 'string' },
      out: { type: 'string' },
      labels: { type: 'string' },
      json: { type: 'boolean' },
      similarity: { type: 'string' },
      'prefix-tokens': { type: 'string' },
    },
    EVAL_LOGS_USAGE,
  );
  if (values.help) return (io.out(EVAL_LOGS_USAGE), 0);
  if (!values.input) throw new CliError(`missing --input\n\n${EVAL_LOGS_USAGE}`);
  const lines = readLines(values.input, 'input');
  if (lines.length === 0) throw new CliError(`${values.input}: empty, no log lines to mine`, 1);
  const labels = values.labels ? readLines(values.labels, 'labels') : undefined;
  if (labels && labels.length !== lines.length) {
    throw new CliError(`${values.labels} has ${labels.length} labels for ${lines.length} log lines: one label a line`);
  }
  const binary = binaryLines(lines);
  if (binary > 0)
    io.err(`warning: ${binary} of ${lines.length} lines are not clean UTF-8 text (NUL or undecodable bytes); mined as they are`);

  const miner: MinerOptions = {};
  if (values.similarity !== undefined) {
    const s = Number(values.similarity);
    if (!(s >= 0 && s <= 1)) throw new CliError(`--similarity must be a number in [0, 1], not ${values.similarity}`);
    miner.similarity = s;
  }
  if (values['prefix-tokens'] !== undefined) {
    const d = Number(values['prefix-tokens']);
    if (!Number.isInteger(d) || d < 0 || d > 10)
      throw new CliError(`--prefix-tokens must be an integer from 0 to 10, not ${values['prefix-tokens']}`);
    miner.prefixTokens = d;
  }
  const result = runLogEval(lines, { miner, ...(labels ? { labels } : {}) });
  if (values.out) {
    fs.mkdirSync(values.out, { recursive: true });
    const file = path.join(values.out, 'templates.csv');
    const fd = fs.openSync(file, 'w');
    try {
      for (const chunk of templatesCsv(result.mined)) fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
    if (!values.json) io.err(`wrote ${file}`);
  }

  const s = summary(values.input, result);
  if (values.json) io.out(JSON.stringify(s));
  else {
    io.out(
      `${s.input}: ${s.lines.toLocaleString('en-US')} lines, ${s.templates.toLocaleString('en-US')} templates` +
        `${s.unclustered ? ` (${s.unclustered} lines past the template cap)` : ''}, ${s.linesPerSecond.toLocaleString('en-US')} lines/s`,
    );
    if (result.accuracy) {
      const a = result.accuracy;
      io.out(
        `grouping accuracy ${a.accuracy.toFixed(3)} (${a.correctGroups} of ${a.predictedGroups} groups exact; ${a.trueGroups} true templates)`,
      );
    }
  }
  return 0;
}
