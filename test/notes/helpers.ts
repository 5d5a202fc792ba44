import fs from 'node:fs';
import path from 'node:path';
import { type LabelledRelease, labelledReleases } from '../../src/notes/dataset.js';
import type { NoteChange } from '../../src/notes/types.js';

let n = 0;
/** A change with defaults; a fresh hash each call so keys never collide by accident. */
export function change(subject: string, extra: Partial<NoteChange> = {}): NoteChange {
  n++;
  const sha = (n.toString(16).padStart(8, '0') + 'abcdef0123456789abcdef0123456789').slice(0, 40);
  const pr = extra.pr ?? null;
  return {
    key: pr ? `#${pr}` : sha,
    pr,
    shas: [sha],
    subject,
    body: '',
    author: 'Ada Lovelace',
    date: '2026-01-01T00:00:00Z',
    labels: [],
    files: [],
    isMerge: false,
    ...extra,
  };
}

/** The Vue core slice (eight releases, MIT) the notes tests draft and score. */
export function vueSlice(): LabelledRelease[] {
  const text = fs.readFileSync(path.resolve('fixtures/notes/vue-core-slice.jsonl'), 'utf8');
  return labelledReleases(
    text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l)),
  );
}
