import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import type { NotesDraft } from '../../contracts/notes.js';
import { draftNotes } from '../../notes/draft.js';
import { omittedByReason, renderMarkdown } from '../../notes/render.js';
import { parse, required } from '../args.js';
import { readNotesRange } from '../git-notes.js';
import { CliError, type Io } from '../output.js';

const USAGE = `usage: shipcheck notes --from REF --to REF [--repo DIR] [--format md|json] [--version V] [--out FILE] [--model M.json]
  Drafts release notes for the local git range FROM..TO, on this machine: no server, no LLM.
  Every change of the range is either an item citing it or listed as omitted with a reason.
  Migrations and configuration changes found in the diffs are listed for operators.
  --repo     the repository (default: the current directory)
  --format   md (default) or json (the draft: items, omitted changes, operational section, warnings)
  --version  the version the notes are for (default: --to without a leading "v")
  --out      write the notes to FILE instead of standard output
  --model    a selection model from \`shipcheck notes learn --out\`: used when it beat the rules (else the rules select)
  Exit codes: 0 notes written; 1 the range holds no commits (nothing is written);
  2 usage error, unknown ref, not a repository, git failure.

       shipcheck notes draft|show|edit|approve RELEASE_ID …   a stored release's notes (see: shipcheck notes draft --help)
       shipcheck notes learn --dataset FILE …                 learn which changes make the notes (see: shipcheck notes learn --help)`;

/** The selector a saved model stands for: its own when its comparison chose it, else the rules. */
async function selectorFromFile(file: string) {
  const [{ selectionModelFromJSON }, { selectorOf }, { rulesSelector }] = await Promise.all([
    import('../../notes/learn/model.js'),
    import('../../notes/learn/compare.js'),
    import('../../notes/select.js'),
  ]);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`--model ${file}: ${(err as Error).message}`);
  }
  try {
    return selectorOf(selectionModelFromJSON(json), rulesSelector());
  } catch (err) {
    throw new CliError(`--model ${file}: not a selection model (${(err as Error).message})`);
  }
}

const RELEASE_SUBCOMMANDS = new Set(['draft', 'show', 'edit', 'approve']);

/** `shipcheck notes …`: a git range (no subcommand), a stored release's notes, or learning from earlier notes. */
export async function notesMain(argv: string[], config: Config, io: Io): Promise<number> {
  const [sub] = argv;
  if (sub === 'learn') {
    return (await import('./notes-learn.js')).notesLearnCommand(argv.slice(1), io);
  }
  if (sub && RELEASE_SUBCOMMANDS.has(sub)) return (await import('./notes-release.js')).releaseNotesCommand(argv, config, io);
  return notesCommand(argv, config, io);
}

export async function notesCommand(argv: string[], _config: Config, io: Io): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      from: { type: 'string' },
      to: { type: 'string' },
      repo: { type: 'string' },
      format: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
    },
    USAGE,
  );
  if (values.help) return (io.out(USAGE), 0);
  if (positionals.length > 0) throw new CliError(`unexpected argument "${positionals[0]}"\n\n${USAGE}`);
  const from = required(values.from, '--from', USAGE);
  const to = required(values.to, '--to', USAGE);
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new CliError(`--format: md or json (got ${format})\n\n${USAGE}`);
  const repo = path.resolve(values.repo ?? '.');
  if (!fs.existsSync(repo)) throw new CliError(`--repo ${repo}: no such directory`);

  const { changes, warnings } = await readNotesRange(repo, from, to);
  for (const w of warnings) io.err(`warning: ${w}`);
  // An empty range is almost always a mistake (refs swapped, a tag not yet moved): say so, write nothing.
  if (changes.length === 0) return 1;

  const version = values.version ?? to.replace(/^v(?=\d)/, '');
  // A bare range has no risk assessment or runbook: the operational section holds what the diffs show.
  const operational = { flags: [], rollback: null, risk: null };
  // Breaking changes, migrations and configuration changes are read from the diffs by the drafter.
  const selector = values.model ? await selectorFromFile(values.model) : undefined;
  const draft: NotesDraft = draftNotes({ version, changes, operational, warnings, ...(selector ? { selector } : {}) });

  const text = format === 'json' ? JSON.stringify(draft, null, 2) : renderMarkdown(draft);
  // What was left out, on stderr: a draft with no items must not read as "nothing happened".
  const left = omittedByReason(draft.omitted)
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  const summary = `${version}: ${changes.length} change${changes.length === 1 ? '' : 's'}, ${draft.items.length} item${draft.items.length === 1 ? '' : 's'}${left ? `; left out: ${left}` : ''}`;
  if (values.out) {
    try {
      fs.writeFileSync(values.out, text.endsWith('\n') ? text : `${text}\n`);
    } catch (err) {
      throw new CliError(`--out ${values.out}: ${(err as Error).message}`);
    }
    io.err(`${summary}; written to ${values.out}`);
  } else {
    io.out(text);
    io.err(summary);
  }
  return 0;
}
