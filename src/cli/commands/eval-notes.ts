import fs from 'node:fs';
import path from 'node:path';
import { NotesDatasetError, readNotesDataset } from '../../evals/notes/read.js';
import { renderReportMarkdown, renderText } from '../../evals/notes/report.js';
import { draftRecord, runNotesEval } from '../../evals/notes/run.js';
import { classify } from '../../notes/classify.js';
import type { LabelledRelease } from '../../notes/dataset.js';
import { chooseSelector } from '../../notes/learn/compare.js';
import { trainSelection } from '../../notes/learn/model.js';
import { rulesSelector } from '../../notes/select.js';
import { parse } from '../args.js';
import { CliError, type Io, progress } from '../output.js';

const USAGE = `usage: shipcheck eval notes --dataset FILE [--out DIR] [--test-fraction 0.3] [--since 2026-01-01|none]
                          [--selection auto|rules|learned] [--json]
  Drafts the release notes of every release of a dataset (JSONL, one release per line: its commits and the
  notes its maintainers wrote) and scores them against those notes: citation validity, selection P/R/F1,
  section accuracy, ROUGE-L and ROUGE-Lsum, beside two baselines (every commit; a release-please-style filter).
  The newest --test-fraction of releases by tag date is the test part, drafted with the house style learned
  from the releases before it; --since adds a slice of releases tagged on or after that day.
  --selection says who picks the changes of the test part: the rules, a selection model learned on the
  releases before it, or (auto, the default and what the service does) the model only when it beat the
  rules on the newest quarter of those earlier releases.
  --out writes DIR/drafts.jsonl (one draft per release: {version, items: [{section, text, changeIds}],
  omitted: [{changeId, reason}]}), DIR/report.md and DIR/figures.json.`;

export async function evalNotesCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parse(
    argv,
    {
      dataset: { type: 'string' },
      out: { type: 'string' },
      'test-fraction': { type: 'string' },
      since: { type: 'string' },
      json: { type: 'boolean' },
      selection: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  if (!values.dataset) throw new CliError(`missing --dataset\n\n${USAGE}`);
  const testFraction = Number(values['test-fraction'] ?? 0.3);
  if (!(testFraction > 0 && testFraction < 1))
    throw new CliError(`--test-fraction must be a number between 0 and 1 (exclusive), not "${values['test-fraction']}"`);
  const sinceArg = values.since ?? '2026-01-01';
  const since = /^none$/i.test(sinceArg) ? null : sinceArg;
  if (since !== null && !/^\d{4}-\d{2}-\d{2}$/.test(since)) throw new CliError(`--since must be YYYY-MM-DD or "none", not "${sinceArg}"`);

  const selection = values.selection ?? 'auto';
  if (!['auto', 'rules', 'learned'].includes(selection))
    throw new CliError(`--selection must be auto, rules or learned, not "${selection}"`);
  const fitSelector =
    selection === 'rules'
      ? undefined
      : (train: readonly LabelledRelease[]) =>
          selection === 'learned' ? trainSelection(train, classify).selector() : chooseSelector(train, classify, rulesSelector()).selector;

  let releases: ReturnType<typeof readNotesDataset>;
  try {
    releases = readNotesDataset(values.dataset);
  } catch (err) {
    if (err instanceof NotesDatasetError) throw new CliError(err.message);
    throw err;
  }
  const bar = progress(io, `drafting ${path.basename(values.dataset)}`);
  const result = runNotesEval(releases, {
    testFraction,
    since,
    ...(fitSelector ? { fitSelector } : {}),
    onProgress: (d, t) => bar.update(d, t),
  });
  bar.done();
  const title = `Release-notes eval: ${path.basename(values.dataset)}`;
  const figures = {
    dataset: values.dataset,
    trainReleases: result.trainCount,
    testReleases: result.testCount,
    selection: result.selection,
    slices: result.slices.map((s) => ({ name: s.name, systems: s.systems })),
  };

  if (values.out) {
    try {
      fs.mkdirSync(values.out, { recursive: true });
    } catch (err) {
      throw new CliError(`--out ${values.out}: ${(err as Error).message}`);
    }
    const files: [string, string][] = [
      ['drafts.jsonl', result.releases.map((r) => JSON.stringify(draftRecord(r))).join('\n') + '\n'],
      ['report.md', renderReportMarkdown(title, result)],
      ['figures.json', JSON.stringify(figures, null, 1) + '\n'],
    ];
    try {
      for (const [name, body] of files) fs.writeFileSync(path.join(values.out, name), body);
    } catch (err) {
      throw new CliError(`--out ${values.out}: ${(err as Error).message}`);
    }
    if (!values.json) io.err(`wrote ${files.map(([n]) => path.join(values.out!, n)).join(', ')}`);
  }
  io.out(values.json ? JSON.stringify(figures) : renderText(title, result));
  return 0;
}
