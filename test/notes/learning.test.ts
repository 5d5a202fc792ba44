import { describe, expect, it } from 'vitest';
import type { NotesDraft } from '../../src/contracts/notes.js';
import { draftNotes } from '../../src/notes/draft.js';
import { labelledFromApproved, notesLearning } from '../../src/notes/learning.js';
import type { EarlierNotes } from '../../src/notes/types.js';
import type { NoteChange } from '../../src/notes/types.js';
import { change } from './helpers.js';

/**
 * A team whose approved notes keep every "ui:" polish change (which the rules call chores) and drop
 * "fix(build)" changes (which the rules keep as fixes): what the tenant's own approvals teach.
 */
function release(i: number): EarlierNotes {
  let pr = 1000 + i * 10;
  const mk = (subject: string) => change(`${subject} (#${++pr})`, { pr, author: i % 2 ? 'Ana' : 'Bo' });
  const changes: NoteChange[] = [
    mk(`chore(ui): polish the checkout button ${i}`),
    mk(`chore(ui): tidy the cart spacing ${i}`),
    mk(`fix(build): pin the bundler cache ${i}`),
    mk(`feat(api): add order search ${i}`),
    mk(`test: cover order search ${i}`),
  ];
  const kept = [changes[0]!, changes[1]!, changes[3]!];
  const draft: NotesDraft = {
    ...draftNotes({ version: `1.${i}.0`, changes }),
    headings: { features: 'New', changes: 'Polish' },
  };
  draft.items = kept.map((c) => ({
    section: c.subject.startsWith('feat') ? 'features' : 'changes',
    text: c.subject,
    changeIds: [c.key],
    evidence: [],
    origin: 'person',
  }));
  return { version: `1.${i}.0`, createdAt: new Date(Date.UTC(2026, 0, 1 + i)), changes, draft };
}

describe("learning from the tenant's approved notes", () => {
  it('reads an approved release as labelled: the changes its items cite, under their headings', () => {
    const l = labelledFromApproved(release(1));
    expect(l.cited.size).toBe(3);
    expect(l.items.map((i) => i.heading)).toEqual(['Polish', 'Polish', 'New']);
    expect([...l.cited.keys()].every((k) => l.changes.some((c) => c.key === k))).toBe(true);
  });

  it('a new tenant drafts with the rules and the default style; a few approvals give the house headings only', () => {
    const learning = notesLearning({ minReleasesForModel: 12 });
    expect(learning.prepare([])).toEqual({});
    const few = learning.prepare([1, 2, 3].map(release));
    expect(few.selector).toBeUndefined();
    expect(few.style?.headings.features).toBe('New');
  });

  it('with enough approvals, a model that learned what people keep replaces the rules, and picks like them', () => {
    const learned = notesLearning({ minReleasesForModel: 12 }).prepare(Array.from({ length: 16 }, (_, i) => release(i + 1)));
    expect(learned.selector?.kind).toBe('learned');
    const next = release(40);
    const rules = draftNotes({ version: 'rules', changes: next.changes });
    const model = draftNotes({ version: 'model', changes: next.changes, ...learned });
    const cited = (d: NotesDraft) => new Set(d.items.flatMap((i) => i.changeIds));
    const wanted = new Set(next.draft.items.flatMap((i) => i.changeIds));
    const hits = (s: Set<string>) => [...s].filter((k) => wanted.has(k)).length - [...s].filter((k) => !wanted.has(k)).length;
    expect(hits(cited(model))).toBeGreaterThan(hits(cited(rules)));
    expect(model.selection.kind).toBe('learned');
    // Whatever the model leaves out is still accounted for, with its probability.
    expect(model.items.flatMap((i) => i.changeIds).length + model.omitted.length).toBe(next.changes.length);
    expect(model.omitted.filter((o) => o.reason === 'not_selected').every((o) => /^p=/.test(o.detail ?? ''))).toBe(true);
  });
});
