import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesCommand } from '../../src/cli/commands/notes.js';
import { readNotesRange } from '../../src/cli/git-notes.js';
import { loadConfig } from '../../src/cli/load-config.js';
import { CliError, type Io } from '../../src/cli/output.js';
import { NotesDraft } from '../../src/contracts/notes.js';
import type { NoteChange } from '../../src/notes/types.js';
import { releaseRepo, removeRepo } from './git-fixture.js';

/** Runs `shipcheck notes …` in-process, turning a CliError into its exit code as the CLI's main does. */
async function notes(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false };
  let code: number;
  try {
    code = await notesCommand(argv, loadConfig({}), io);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    err.push(e.message);
    code = e.exitCode;
  }
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let fx: ReturnType<typeof releaseRepo>;
let changes: NoteChange[];
let draft: NotesDraft;
const range = () => ['--repo', fx.repo, '--from', 'v1.0.0', '--to', 'v1.1.0'];

beforeAll(async () => {
  fx = releaseRepo();
  ({ changes } = await readNotesRange(fx.repo, 'v1.0.0', 'v1.1.0'));
  const r = await notes([...range(), '--format', 'json']);
  expect(r.code).toBe(0);
  draft = NotesDraft.parse(JSON.parse(r.out));
});
afterAll(() => removeRepo(fx.repo));

describe('shipcheck notes --format json', () => {
  it('prints a valid draft for the range, versioned after --to, with the input warnings', () => {
    expect(draft.version).toBe('1.1.0');
    expect(draft.counts.changes).toBe(changes.length);
    expect(draft.warnings).toEqual([expect.stringContaining(`commit ${fx.shas.invalid.slice(0, 12)}: its message is not valid UTF-8`)]);
  });

  it('lists the migration and the configuration change the diffs show, citing their changes', () => {
    expect(draft.operational?.migrations).toEqual([{ path: 'migrations/002_add_col.sql', changeIds: ['#12'] }]);
    expect(draft.operational?.configuration).toEqual([
      { path: '.env.example', detail: 'removes env PORT; adds env HTTP_PORT', changeIds: [fx.shas.breaking] },
    ]);
    expect(draft.operational).toMatchObject({ flags: [], rollback: null, risk: null });
  });

  it('accounts for every change of the range: cited by an item or omitted with a reason', () => {
    const cited = new Set([...draft.items.flatMap((i) => i.changeIds), ...draft.omitted.map((o) => o.changeId)]);
    expect([...cited].toSorted()).toEqual(changes.map((c) => c.key).toSorted());
    expect(draft.counts).toEqual({ changes: changes.length, items: draft.items.length, omitted: draft.omitted.length });
  });

  it('omits the merge and the revert pair, joins the cherry-pick to its original, and puts the renamed export under breaking', () => {
    const reason = (id: string) => draft.omitted.find((o) => o.changeId === id)?.reason;
    expect(reason(fx.shas.plainMerge)).toBe('merge');
    expect([reason(fx.shas.reverted), reason(fx.shas.revert)]).toEqual(['reverted', 'reverted']);
    // A cherry-pick is the same news as its original: one item cites both.
    expect(draft.items.find((i) => i.changeIds.includes(fx.shas.original))?.changeIds).toContain(fx.shas.cherry);
    expect(draft.items.find((i) => i.changeIds.includes(fx.shas.breaking))?.section).toBe('breaking');
  });
});

describe('shipcheck notes: Markdown, files and errors', () => {
  it('writes Markdown to --out and says where on stderr', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-notes-out-')), 'NOTES.md');
    const r = await notes([...range(), '--out', out, '--version', '1.1.0-rc.1']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`1\\.1\\.0-rc\\.1: ${changes.length} changes, \\d+ items?; left out: .*; written to `));
    const text = fs.readFileSync(out, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('hello');
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('exits 1 on an empty range, writing nothing, and hints at swapped refs', async () => {
    const same = await notes(['--repo', fx.repo, '--from', 'v1.1.0', '--to', 'v1.1.0']);
    expect(same).toEqual({ code: 1, out: '', err: 'warning: v1.1.0..v1.1.0 holds no commits' });
    const swapped = await notes(['--repo', fx.repo, '--from', 'v1.1.0', '--to', 'v1.0.0']);
    expect(swapped.code).toBe(1);
    expect(swapped.err).toContain('are --from and --to swapped?');
  });

  it('exits 2 naming an unknown ref, and on usage errors', async () => {
    const unknown = await notes(['--repo', fx.repo, '--from', 'v0.9.0', '--to', 'v1.1.0']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--from v0.9.0: no such tag, branch or commit');
    expect(unknown.err).toContain('recent tags: ');
    expect((await notes(['--repo', fx.repo, '--to', 'v1.1.0'])).err).toContain('missing --from');
    const format = await notes([...range(), '--format', 'html']);
    expect(format).toMatchObject({ code: 2, err: expect.stringContaining('--format: md or json (got html)') });
    expect((await notes([...range(), 'extra'])).code).toBe(2);
    expect((await notes(['--repo', path.join(fx.repo, 'nope'), '--from', 'a', '--to', 'b'])).err).toContain('no such directory');
  });

  it('prints its usage with --help', async () => {
    const r = await notes(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('usage: shipcheck notes --from REF --to REF');
  });
});
