import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { JUDGES } from '../../evals/canary/judges.js';
import { renderReport } from '../../evals/canary/report.js';
import { runCanaryEval } from '../../evals/canary/run.js';
import { parseScenarios } from '../../evals/canary/scenario.js';
import { parse } from '../args.js';
import { CliError, type Io, progress } from '../output.js';

const USAGE = `usage: shipcheck eval canary --scenarios FILE [--out DIR] [--judges ${Object.keys(JUDGES).join(',')}] [--json]
  Replays canary scenarios (JSONL) as if live: at each index a judge knows only the points up to it.
  Reports detection per change type, false rollbacks on controls per canary view, the median time to detect
  and what missing data got, for shipcheck's judge beside fixed-window Mann-Whitney judges in Kayenta's style.
  --out writes DIR/decisions.jsonl (shipcheck's: {id, action, decidedAtIndex, timeline}), DIR/decisions-<judge>.jsonl
  for the others, DIR/report.txt and DIR/figures.json.`;

export async function evalCanaryCommand(argv: string[], _config: Config, io: Io): Promise<number> {
  const { values } = parse(
    argv,
    { scenarios: { type: 'string' }, out: { type: 'string' }, judges: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  if (!values.scenarios) throw new CliError(`missing --scenarios\n\n${USAGE}`);
  const judges = values.judges ? values.judges.split(',').map((j) => j.trim()) : Object.keys(JUDGES);
  const unknown = judges.filter((j) => !JUDGES[j]);
  if (unknown.length) throw new CliError(`unknown judge ${unknown.join(', ')}; choose from ${Object.keys(JUDGES).join(', ')}`);
  if (!judges.includes('shipcheck')) judges.unshift('shipcheck');

  let text: string;
  try {
    text = fs.readFileSync(values.scenarios, 'utf8');
  } catch (err) {
    throw new CliError(`${values.scenarios}: ${(err as Error).message}`);
  }
  const { scenarios, errors } = parseScenarios(text);
  for (const e of errors.slice(0, 10)) io.err(`  ! line ${e.line}: ${e.message}`);
  if (errors.length > 10) io.err(`  … and ${errors.length - 10} more bad lines (skipped)`);
  if (scenarios.length === 0)
    throw new CliError(`${values.scenarios}: no usable scenarios${errors.length ? ` (${errors.length} bad lines)` : ''}`, 1);

  const bar = progress(io, `judging ${path.basename(values.scenarios)}`);
  const run = runCanaryEval(scenarios, { judges, onProgress: (done, total) => bar.update(done, total) });
  bar.done();
  const titles = Object.fromEntries(judges.map((j) => [j, JUDGES[j]!.title]));
  const report = renderReport(`Canary eval: ${path.basename(values.scenarios)}`, run.figures, titles);

  if (values.out) {
    fs.mkdirSync(values.out, { recursive: true });
    const lines = (ds: readonly unknown[]) => ds.map((d) => JSON.stringify(d)).join('\n') + '\n';
    const written: string[] = [];
    for (const j of judges) {
      const file = path.join(values.out, j === 'shipcheck' ? 'decisions.jsonl' : `decisions-${j}.jsonl`);
      fs.writeFileSync(file, lines(run.decisions[j]!));
      written.push(file);
    }
    fs.writeFileSync(path.join(values.out, 'report.txt'), report + '\n');
    fs.writeFileSync(path.join(values.out, 'figures.json'), JSON.stringify(run.figures, null, 1) + '\n');
    written.push(path.join(values.out, 'report.txt'), path.join(values.out, 'figures.json'));
    if (!values.json) io.err(`wrote ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
  }
  io.out(values.json ? JSON.stringify(run.figures) : report);
  return 0;
}
