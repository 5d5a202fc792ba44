import { describe, expect, it } from 'vitest';
import type { NotesWording, NotesWordingInput } from '../../src/notes/ports.js';
import type { NoteChange } from '../../src/notes/types.js';
import { rewordDraft, rewordingWith, WORDING_LIMITS } from '../../src/notes/wording.js';
import { changes, coverageProblems, draft, goodLines, items } from './wording-fixture.js';

/** An in-memory port: answers what `answer` returns for the input it was given, and records the inputs. */
function port(answer: (input: NotesWordingInput, signal: AbortSignal) => Promise<unknown>) {
  const seen: { input: NotesWordingInput; signal: AbortSignal }[] = [];
  const wording: NotesWording = {
    promptVersion: 'release-notes-test',
    reword: (input, signal) => {
      seen.push({ input, signal });
      return answer(input, signal);
    },
  };
  return { wording, seen };
}

describe('rewording a draft through the port (pure, in-memory model)', () => {
  it('puts verified lines in, counts the refused ones and records the prompt version', async () => {
    const bad = { section: 'fixes', text: 'Fixes #99999.', changeIds: ['#99999'] };
    const { wording } = port(async () => ({ items: [bad, ...goodLines] }));
    const r = await rewordDraft(draft, changes, wording);
    expect(r.degraded).toBeUndefined();
    expect(r.rejected).toBe(1);
    expect(r.draft.llm).toEqual({ used: true, promptVersion: 'release-notes-test', rejected: 1 });
    expect(r.draft.items.map((i) => i.text)).toEqual(goodLines.map((l) => l.text));
    // Two items merged into one line: the count follows; what was omitted does not change.
    expect(r.draft.counts).toEqual({ ...draft.counts, items: 5 });
    expect(r.draft.omitted).toEqual(draft.omitted);
    expect(coverageProblems(r.draft.items)).toEqual([]);
    expect(r.reasons).toEqual([expect.stringContaining('outside_release')]);
  });

  it.each([
    ['an error', async () => Promise.reject(new Error('ECONNREFUSED')), 'llm_unavailable'],
    ['unparsable JSON', async () => Promise.reject(new SyntaxError('Unexpected token')), 'llm_invalid_output'],
    ['the wrong shape', async () => ({ reasons: [] }), 'llm_invalid_output'],
    ['no lines (a refusal)', async () => ({ items: [] }), 'llm_refused'],
    ['only refused lines', async () => ({ items: [{ section: 'fixes', text: 'x', changeIds: ['#1'] }] }), 'llm_no_verified_lines'],
  ])('%s → the rules draft, degraded', async (_, answer, degraded) => {
    const r = await rewordDraft(draft, changes, port(answer).wording);
    expect(r.degraded).toBe(degraded);
    expect(r.draft.items).toEqual(draft.items);
    expect(r.draft.counts).toEqual(draft.counts);
    expect(r.draft.llm).toEqual({ used: false, promptVersion: 'release-notes-test', rejected: r.rejected });
    expect(r.rejected).toBe(degraded === 'llm_no_verified_lines' ? 1 : 0);
  });

  it('gives up at the timeout and aborts the call', async () => {
    const { wording, seen } = port(() => new Promise(() => {}));
    const r = await rewordDraft(draft, changes, wording, { timeoutMs: 50 });
    expect(r.degraded).toBe('llm_timeout');
    expect(r.draft.items).toEqual(draft.items);
    expect(seen[0]!.signal.aborted).toBe(true);
  });

  it('an empty draft asks nothing', async () => {
    const { wording, seen } = port(async () => ({ items: goodLines }));
    const r = await rewordDraft({ ...draft, items: [] }, changes, wording);
    expect(seen).toHaveLength(0);
    expect(r.draft.llm.used).toBe(false);
  });

  it('items past the size bound are not shown and keep the rules wording, after the reworded ones', async () => {
    const many: NoteChange[] = Array.from({ length: 300 }, (_, i) => ({
      ...changes[0]!,
      key: `#${2000 + i}`,
      pr: 2000 + i,
      shas: [`${(0x2000 + i).toString(16).padStart(8, '0')}${'1'.repeat(32)}`],
      subject: `fix: handle case ${i}`,
      body: 'y'.repeat(2000),
      files: [],
    }));
    const big = {
      ...draft,
      items: many.map((c, i) => ({
        section: 'fixes' as const,
        text: `handle case ${i} (${c.key})`,
        changeIds: [c.key],
        evidence: [],
        origin: 'rules' as const,
      })),
    };
    // The model rewords everything it was shown, and tries one item it was not shown.
    const { wording, seen } = port(async (input) => ({
      items: [
        ...input.items.map((it) => ({ section: 'fixes', text: `Case ${it.text.match(/\d+/)![0]} is handled.`, changeIds: it.changeIds })),
        { section: 'fixes', text: 'Case 299 is handled.', changeIds: ['#2299'] },
      ],
    }));
    const r = await rewordDraft(big, many, wording);
    const shown = seen[0]!.input.items.length;
    expect(shown).toBeLessThan(300);
    expect(shown).toBeLessThanOrEqual(WORDING_LIMITS.items);
    expect(seen[0]!.input.leftOut).toBe(300 - shown);
    expect(r.rejected).toBe(1);
    expect(r.draft.items).toHaveLength(300);
    expect(r.draft.items.slice(0, shown).every((i) => i.origin === 'llm')).toBe(true);
    expect(r.draft.items.slice(shown)).toEqual(big.items.slice(shown));
    expect(coverageProblems(r.draft.items, big.items)).toEqual([]);
  });

  it('leaves the input draft untouched', async () => {
    const before = structuredClone(draft);
    await rewordDraft(draft, changes, port(async () => ({ items: goodLines })).wording);
    expect(draft).toEqual(before);
    expect(items).toEqual(before.items);
  });

  it("as the service's reword step: a failure is logged with its cause and warned on the draft; success adds no warning", async () => {
    const logged: unknown[] = [];
    const log = (msg: string, fields?: Record<string, unknown>) => void logged.push({ msg, ...fields });
    const down = rewordingWith(port(async () => Promise.reject(new Error('ECONNREFUSED'))).wording, { log });
    const failed = await down(draft, changes);
    expect(failed.items).toEqual(draft.items);
    expect(failed.warnings).toEqual(["LLM wording not used (llm_unavailable): the items keep the rules' words"]);
    expect(logged).toEqual([expect.objectContaining({ degraded: 'llm_unavailable', rejected: 0 })]);

    const bad = { section: 'fixes', text: 'Fixes #99999.', changeIds: ['#99999'] };
    const up = rewordingWith(port(async () => ({ items: [bad, ...goodLines] })).wording, { log });
    const done = await up(draft, changes);
    expect(done.warnings).toEqual([]);
    expect(done.llm.used).toBe(true);
    expect(logged[1]).toEqual(expect.objectContaining({ degraded: null, rejected: 1, reasons: ['outside_release'] }));
  });
});
