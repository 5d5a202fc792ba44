/**
 * Shared helpers of the selection-model tests: a small stand-in of the
 * rules (conventional types; merges, releases and bumps omitted), synthetic
 * releases, and the Vue core slice in fixtures/notes.
 */
import fs from 'node:fs';
import { parseSubject } from '../../src/notes/conventional.js';
import { type LabelledRelease, labelledReleases } from '../../src/notes/dataset.js';
import type { Classified, NoteChange, NotesSection, OmitReason } from '../../src/notes/types.js';

export function standInClassify(change: NoteChange): Classified {
  const p = parseSubject(change.subject);
  const out = (section: NotesSection, omit?: OmitReason): Classified => ({
    change,
    type: p.type,
    scope: p.scope,
    breaking: p.bang,
    section,
    ...(omit ? { omit } : {}),
  });
  if (change.isMerge) return out('changes', 'merge');
  if (/^v?\d+\.\d+\.\d+/.test(p.description) || p.type === 'release') return out('changes', 'release');
  if (/^bump\s+\S+\s+from\s/i.test(p.description)) return out('dependencies', 'dependencies');
  const kept: Record<string, NotesSection> = { feat: 'features', fix: 'fixes', perf: 'performance', revert: 'reverts' };
  const omitted: Record<string, OmitReason> = { docs: 'docs', test: 'tests', ci: 'ci', chore: 'chore' };
  if (p.type && kept[p.type]) return out(kept[p.type]!);
  if (p.type) return out('changes', omitted[p.type] ?? 'internal');
  return out('changes');
}

export const vueSlice = (): LabelledRelease[] =>
  labelledReleases(
    fs
      .readFileSync('fixtures/notes/learn-vue-slice.jsonl', 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l)),
  );

let seq = 0;
/** A change of a synthetic release. */
export function change(subject: string, author: string, pr?: number): NoteChange {
  const n = pr ?? ++seq + 1000;
  return {
    key: `#${n}`,
    pr: n,
    shas: [n.toString(16).padStart(40, 'a')],
    subject,
    body: '',
    author,
    date: null,
    labels: [],
    files: [],
    isMerge: false,
  };
}

/** A synthetic release: its changes and the keys its notes cite. */
export function release(version: string, date: string, changes: NoteChange[], citedKeys: string[]): LabelledRelease {
  const cited = new Map(citedKeys.map((k) => [k, new Set<NotesSection | null>(['fixes'])]));
  return {
    version,
    date,
    changes,
    cited,
    items: citedKeys.map((k) => ({ heading: 'Bug Fixes', section: 'fixes', text: k, keys: [k] })),
    notesMarkdown: '',
    outside: [],
  };
}
