/**
 * Synthetic release ranges for the notes figures: a seeded mix of what real
 * ranges hold (conventional and plain subjects, squash-merged PRs, bodies,
 * breaking footers, reverts of changes in the range, cherry-picks, chores and
 * dependency bumps) with files and unified-diff patches, among them new
 * migrations, exports removed from an entry point and changed env examples.
 * Change `i` of a range comes from its own stream, so ranges are deterministic.
 */
import type { NotesDraft } from '../src/contracts/notes.js';
import { draftNotes } from '../src/notes/draft.js';
import type { EarlierNotes } from '../src/notes/types.js';
import type { NoteChange } from '../src/notes/types.js';
import { Rng } from './rng.js';

const TYPES: [string, number][] = [
  ['feat', 20],
  ['fix', 30],
  ['perf', 4],
  ['refactor', 8],
  ['docs', 6],
  ['test', 6],
  ['chore', 8],
  ['ci', 3],
  ['build', 3],
];
const SCOPES = ['api', 'cli', 'compiler', 'runtime', 'store', 'ui', 'auth', 'billing', 'search', null];
const VERBS = ['add', 'support', 'handle', 'avoid', 'cache', 'validate', 'rename', 'drop', 'speed up', 'retry'];
const THINGS = [
  'empty input',
  'large uploads',
  'the order export',
  'session refresh',
  'nested routes',
  'the rate limiter',
  'unicode names',
];
const PLAIN = ['Fix', 'Add', 'Update', 'Improve', 'Remove', 'Document'];
const AUTHORS = ['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'dependabot[bot]'];

/** 40 hex characters from a number: unique per (range, index). */
const sha = (range: number, i: number) => (range.toString(16).padStart(8, '0') + i.toString(16).padStart(8, '0')).repeat(3).slice(0, 40);

/** A unified diff of one file, as `git log -p` prints it (the notes read `+`/`-` lines and the headers). */
function patchOf(path: string, added: string[], removed: string[], status: 'added' | 'modified' = 'modified'): string {
  const head =
    status === 'added'
      ? `diff --git a/${path} b/${path}\nnew file mode 100644\n--- /dev/null\n+++ b/${path}\n`
      : `diff --git a/${path} b/${path}\n--- a/${path}\n+++ b/${path}\n`;
  return `${head}@@ -1,${removed.length} +1,${added.length} @@\n${removed.map((l) => `-${l}`).join('\n')}${removed.length ? '\n' : ''}${added.map((l) => `+${l}`).join('\n')}\n`;
}

export interface SynthMix {
  conventional: number;
  reverts: number;
  cherryPicks: number;
  migrations: number;
  removedExports: number;
  configChanges: number;
  withBody: number;
}

/** `n` changes, oldest first, and what the mix holds (printed beside the figures). */
export function synthRange(seed: number, n: number, range = 0): { changes: NoteChange[]; mix: SynthMix } {
  const changes: NoteChange[] = [];
  const mix: SynthMix = { conventional: 0, reverts: 0, cherryPicks: 0, migrations: 0, removedExports: 0, configChanges: 0, withBody: 0 };
  for (let i = 0; i < n; i++) {
    const r = new Rng(seed, `notes:${range}:${i}`);
    const id = sha(range, i);
    const pr = r.chance(0.7) ? 10_000 + range * 100_000 + i : null;
    const base: NoteChange = {
      key: pr ? `#${pr}` : id,
      pr,
      shas: [id],
      subject: '',
      body: '',
      author: r.pick(AUTHORS),
      date: new Date(Date.UTC(2026, 0, 1) + i * 600_000).toISOString(),
      labels: r.chance(0.2) ? [r.pick(['bug', 'enhancement', 'dependencies', 'documentation'])] : [],
      files: [],
      isMerge: false,
    };
    const suffix = pr ? ` (#${pr})` : '';
    const earlier = i > 10 ? changes[r.int(0, i - 1)]! : undefined;
    const roll = r.float();
    let c: NoteChange;
    if (earlier && roll < 0.03 && !earlier.subject.startsWith('Revert')) {
      // A revert of a change in the range: git's message, sometimes the quoted subject only.
      mix.reverts++;
      c = {
        ...base,
        subject: `Revert "${earlier.subject}"${suffix}`,
        body: r.chance(0.7) ? `This reverts commit ${earlier.shas[0]}.` : '',
        files: earlier.files.map((f) => ({ ...f, additions: f.deletions, deletions: f.additions })),
      };
    } else if (earlier && roll < 0.05) {
      // A cherry-pick (backport) of a change in the range.
      mix.cherryPicks++;
      c = {
        ...base,
        subject: earlier.subject,
        body: `${earlier.body}\n\n(cherry picked from commit ${earlier.shas[0]})`.trim(),
        files: earlier.files,
      };
    } else if (roll < 0.1) {
      mix.conventional++;
      const dep = r.pick(['typescript', 'vite', 'zod', 'pg', 'eslint']);
      c = {
        ...base,
        author: 'dependabot[bot]',
        subject: `chore(deps): bump ${dep} from 1.${r.int(0, 9)}.0 to 1.${r.int(10, 19)}.0${suffix}`,
        files: [
          { path: 'package.json', additions: 1, deletions: 1 },
          { path: 'package-lock.json', additions: 40, deletions: 38 },
        ],
      };
    } else {
      const conventional = r.chance(0.75);
      const type = r.weighted(TYPES);
      const scope = r.pick(SCOPES);
      const words = `${r.pick(VERBS)} ${r.pick(THINGS)} ${i}`;
      const subject = conventional ? `${type}${scope ? `(${scope})` : ''}: ${words}` : `${r.pick(PLAIN)} ${words}`;
      if (conventional) mix.conventional++;
      const module = `src/${scope ?? 'core'}/m${i % 97}.ts`;
      const files = [{ path: module, additions: r.int(1, 120), deletions: r.int(0, 60) }];
      const patches = [patchOf(module, [`export const v${i} = ${i};`], [`export const v${i} = ${i - 1};`])];
      if (type === 'test') files.push({ path: `test/m${i % 97}.test.ts`, additions: r.int(5, 80), deletions: 0 });
      let body = '';
      if (r.chance(0.4)) {
        body = `This ${r.pick(VERBS)}s ${r.pick(THINGS)} so that callers see fewer errors.\n\nCloses #${r.int(100, 9999)}`;
      }
      if (r.chance(0.02)) {
        // A breaking change the diff shows: an export removed from the entry point.
        mix.removedExports++;
        files.push({ path: 'src/index.ts', additions: 0, deletions: 1 });
        patches.push(patchOf('src/index.ts', [], [`export { legacy${i} } from './legacy${i}.js';`]));
        if (r.chance(0.5)) body += `${body ? '\n\n' : ''}BREAKING CHANGE: legacy${i} is gone; use modern${i}`;
      }
      if (r.chance(0.02)) {
        mix.migrations++;
        const p = `migrations/${String(i).padStart(5, '0')}_add_c${i}.sql`;
        files.push({ path: p, additions: 1, deletions: 0 });
        patches.push(patchOf(p, [`alter table orders add column c${i} int;`], [], 'added'));
      }
      if (r.chance(0.01)) {
        mix.configChanges++;
        files.push({ path: '.env.example', additions: 1, deletions: 1 });
        patches.push(patchOf('.env.example', [`NEW_KEY_${i}=1`], [`OLD_KEY_${i}=1`]));
      }
      c = { ...base, subject: `${subject}${suffix}`, body, files, patch: patches.join('') };
    }
    if (c.body) mix.withBody++;
    changes.push(c);
  }
  return { changes, mix };
}

/**
 * `count` approved releases of `perRelease` changes each, as the store returns them to learning: each
 * draft is the rules' draft with a team's edit (chores kept under its own heading, docs dropped).
 */
export function approvedReleases(seed: number, count: number, perRelease: number): EarlierNotes[] {
  return Array.from({ length: count }, (_, k) => {
    const { changes } = synthRange(seed, perRelease, k + 1);
    const rules = draftNotes({ version: `1.${k}.0`, changes });
    const draft: NotesDraft = {
      ...rules,
      headings: { ...rules.headings, features: 'New', fixes: 'Fixed' },
      items: rules.items.filter((item) => !/^docs/i.test(item.text)),
    };
    return { version: `1.${k}.0`, createdAt: new Date(Date.UTC(2026, 0, 1 + k)), changes, draft };
  });
}
