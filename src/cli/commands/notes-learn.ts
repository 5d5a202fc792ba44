import fs from 'node:fs';
import { AppError } from '../../contracts/errors.js';
import type { LabelledRelease } from '../../notes/dataset.js';
import { NotesDatasetError, readNotesDataset } from '../../evals/notes/read.js';
import { classify } from '../../notes/classify.js';
import { chooseSelector, compareWithRules } from '../../notes/learn/compare.js';
import { rulesSelector } from '../../notes/select.js';
import type { ClassifyFn } from '../../notes/learn/model.js';
import type { SelectionFigures } from '../../notes/learn/score.js';
import type { Selector } from '../../notes/types.js';
import { parse } from '../args.js';
import { CliError, type Io } from '../output.js';

export const NOTES_LEARN_USAGE = `usage: shipcheck notes learn --dataset FILE [--out MODEL.json] [--test-fraction 0.3] [--json]
  Learns which changes make a project's release notes from its earlier releases (FILE: JSONL,
  one release per line with its commits and its notes' items, as \`shipcheck eval notes\` reads).
  Releases are ordered by tag date; the newest --test-fraction are held out: the model trains on
  the older ones and both it and the rules are measured on the held-out ones (selection precision,
  recall and F1 over change keys). The learned model is used only where it beat the rules on a
  validation part inside the training releases. --out writes the model trained on every release,
  with those figures, for \`shipcheck notes\` to use.
  Exit 1 for an unreadable dataset or too few releases, 2 for usage.`;

export interface NotesLearnDeps {
  /** The rules' classification of one change; default: the drafter's own. */
  classify?: ClassifyFn;
  /** The rules' selection; default: every change the rules do not omit. */
  rules?: Selector;
}

/** The dataset as `shipcheck eval notes` reads it; a file that is missing, empty or has a bad line is exit 1. */
function readDataset(file: string): LabelledRelease[] {
  try {
    return readNotesDataset(file);
  } catch (err) {
    if (err instanceof NotesDatasetError) throw new CliError(err.message, 1);
    throw err;
  }
}

const f3 = (x: number) => x.toFixed(3);
const figuresLine = (name: string, x: SelectionFigures) =>
  `  ${name.padEnd(8)} P ${f3(x.precision)}  R ${f3(x.recall)}  F1 ${f3(x.f1)}  (${x.tp} of ${x.drafted} kept were cited; ${x.gold} cited)`;

/** `shipcheck notes learn`: exit 0 with the figures (and the model written), 1 for bad input, 2 for usage. */
export async function notesLearnCommand(argv: string[], io: Io, deps: NotesLearnDeps = {}): Promise<number> {
  const { values } = parse(
    argv,
    { dataset: { type: 'string' }, out: { type: 'string' }, 'test-fraction': { type: 'string' }, json: { type: 'boolean' } },
    NOTES_LEARN_USAGE,
  );
  if (values.help) return (io.out(NOTES_LEARN_USAGE), 0);
  if (!values.dataset) throw new CliError(`missing --dataset\n\n${NOTES_LEARN_USAGE}`);
  const testFraction = values['test-fraction'] === undefined ? 0.3 : Number(values['test-fraction']);
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new CliError(`--test-fraction must be a number strictly between 0 and 1, got ${values['test-fraction']}\n\n${NOTES_LEARN_USAGE}`);
  }
  const releases = readDataset(values.dataset);
  const rules = deps.rules ?? rulesSelector();
  const classifyFn = deps.classify ?? classify;

  let comparison: ReturnType<typeof compareWithRules>;
  let final: ReturnType<typeof chooseSelector> | null = null;
  try {
    comparison = compareWithRules(releases, classifyFn, rules, { testFraction });
    if (values.out) final = chooseSelector(releases, classifyFn, rules);
  } catch (err) {
    if (err instanceof AppError) throw new CliError(err.message, 1, err.code);
    throw err;
  }
  if (final) {
    // The artifact: trained on every release, chosen on its newest part, with the held-out figures of the same recipe.
    final.model.evaluation = { chosen: final.chosen, validation: final.validation, test: comparison.test };
    try {
      fs.writeFileSync(values.out!, `${JSON.stringify(final.model.toJSON())}\n`);
    } catch (err) {
      throw new CliError(`cannot write the model to ${values.out}: ${(err as Error).message}`, 1);
    }
  }

  if (values.json) {
    io.out(
      JSON.stringify(
        {
          split: comparison.split,
          test: comparison.test,
          validation: comparison.validation,
          chosen: comparison.chosen,
          model: final ? { file: values.out, chosen: final.chosen, detail: final.model.detail() } : null,
        },
        null,
        2,
      ),
    );
    return 0;
  }
  const { train, test } = comparison.split;
  const changes = releases.reduce((s, r) => s + r.changes.length, 0);
  io.out(`${releases.length} releases, ${changes} changes`);
  io.out(
    `split by tag date: trained on ${train.releases} (${train.from}…${train.to}), tested on the newest ${test.releases} (${test.from}…${test.to})`,
  );
  io.out('selection on the test releases (change keys kept vs cited by maintainers):');
  io.out(figuresLine('learned', comparison.test.learned));
  io.out(figuresLine('rules', comparison.test.rules));
  const v = comparison.validation;
  io.out(
    `used: ${comparison.chosen} (chosen inside the training releases, on their newest ${v.learned.releases}: F1 ${f3(v.learned.f1)} learned vs ${f3(v.rules.f1)} rules)`,
  );
  if (final) io.out(`model written to ${values.out} (${final.chosen} is used): ${final.model.detail()}`);
  return 0;
}
