import { describe, expect, it } from 'vitest';
import type { NoteChange } from '../../src/notes/types.js';
import { MAX_LINE_CHARS, verifyWording, WORDING_LIMITS, wordingInput } from '../../src/notes/wording.js';
import { changes, coverageProblems, draft, FOLLOW_UP_SHA, goodLines, items, PERF_SHA } from './wording-fixture.js';

const verify = (lines: unknown[]) => verifyWording(items, { items: lines }, changes);
const why = (r: { reasons: string[] }) => r.reasons.map((x) => x.split(':')[1]!.trim());
const breaking = items[0]!;
const line = (over: Partial<{ section: string; text: string; changeIds: string[] }>) => ({ ...goodLines[1]!, ...over });

describe('verifying LLM wording of release notes (pure)', () => {
  it('keeps a good rewrite: every item once, merges with all their ids, in draft order, marked llm with evidence', () => {
    const r = verify(goodLines);
    expect(r.rejected).toBe(0);
    expect(r.items.map((i) => i.text)).toEqual(goodLines.map((l) => l.text));
    expect(r.items.every((i) => i.origin === 'llm')).toBe(true);
    // The merged line carries the ids as the draft cites them, and the evidence of the three changes.
    expect(r.items[2]!.changeIds).toEqual(['#102', '#103', FOLLOW_UP_SHA.slice(0, 7)]);
    expect(r.items[2]!.evidence).toEqual(['change:pr-102', 'change:pr-103', `change:${FOLLOW_UP_SHA}`]);
    expect(r.items[4]!.changeIds).toEqual([PERF_SHA.slice(0, 7)]);
    expect(coverageProblems(r.items)).toEqual([]);
  });

  it('a line placed out of order stands where the first item it covers stood', () => {
    const r = verify([...goodLines].reverse());
    expect(r.items.map((i) => i.section)).toEqual(['breaking', 'features', 'fixes', 'fixes', 'performance']);
    expect(coverageProblems(r.items)).toEqual([]);
  });

  it('refuses ids outside the release, ids of changes the draft left out, and short or ambiguous hashes', () => {
    const r = verify([
      line({ changeIds: ['#99999'] }),
      line({ changeIds: ['#106'] }),
      line({ changeIds: [PERF_SHA.slice(0, 6)] }),
      line({ changeIds: ['see #101'] }),
      line({ changeIds: [] }),
    ]);
    expect(why(r)).toEqual(['outside_release', 'not_in_draft', 'outside_release', 'outside_release', 'uncited']);
    expect(r.items).toEqual(items);
  });

  it('refuses a merged line that leaves out an id of an item it covers: the draft items stand', () => {
    const r = verify([{ section: 'fixes', text: 'A `key` on a `<template>` with `v-for` is kept.', changeIds: ['#102', '#103'] }]);
    expect(why(r)).toEqual(['partial_merge']);
    expect(r.reasons[0]).toContain(FOLLOW_UP_SHA);
    expect(r.items).toEqual(items);
  });

  it('refuses numbers, versions, ids, hashes, identifiers, options, paths and links the cited changes do not state', () => {
    const invented = [
      'Node 16 support ends; Node 20 is required.', // a number
      'Node 16 support ends in 3.5.0.', // a version (even the release's own: no change states it)
      'Node 16 support ends (see #4242).', // a pull request
      'Node 16 support ends, as planned in 9f8e7d6c.', // a hash
      'Node 16 support ends: use `engines.node` instead.', // a backticked identifier
      'Node 16 support ends; set NODE_OPTIONS to keep it.', // snake case
      'Node 16 support ends; nodeCompat restores it.', // camel case
      'Node 16 support ends; pass --legacy-node to keep it.', // a command-line option
      'Node 16 support ends (packages/shared/src/node16.ts).', // a path
      'Node 16 support ends: https://example.com/upgrade-guide', // a link
    ];
    const r = verify(invented.map((text) => ({ section: 'breaking', text, changeIds: ['#105'] })));
    expect(why(r)).toEqual(invented.map(() => 'invented_token'));
    for (const [i, token] of ['20', '3.5.0', '#4242', '9f8e7d6c', 'engines.node', 'NODE_OPTIONS', 'nodeCompat', '--legacy-node'].entries())
      expect(r.reasons[i]).toContain(token);
    expect(r.items).toEqual(items);
  });

  it('shows a #number only for a cited pull request or an issue its change closes, not for any number its text mentions', () => {
    const r = verify([
      { section: 'fixes', text: 'A `key` on a `<template>` with `v-for` is kept (fixes #9876).', changeIds: ['#102'] },
      // #99999 is in the commit message of #107, but only as planted text, not as an issue it closes.
      { section: 'fixes', text: 'Attribute names are escaped (#99999).', changeIds: ['#107'] },
      { section: 'fixes', text: 'Attribute names are escaped in SSR output (#107).', changeIds: ['#107'] },
    ]);
    expect(why(r)).toEqual(['invented_token']);
    expect(r.reasons[0]).toContain('#99999');
    expect(r.items.filter((i) => i.origin === 'llm').map((i) => i.changeIds)).toEqual([['#102'], ['#107']]);
  });

  it('grounds a line in its own cited changes only, not in the rest of the release', () => {
    // 40 is said by the performance change, not by the breaking one.
    const r = verify([{ section: 'breaking', text: 'Node 16 support ends; 40 tests cover it.', changeIds: ['#105'] }]);
    expect(why(r)).toEqual(['invented_token']);
    // ... and is fine on the line that cites it; a hash the line cites is fine in its text.
    const ok = verify([
      { section: 'performance', text: `Computed getters are cached (40% less work, ${PERF_SHA.slice(0, 9)}).`, changeIds: [PERF_SHA] },
    ]);
    expect(ok.rejected).toBe(0);
  });

  it('refuses a line that moves an item to another section or names an unknown one', () => {
    const r = verify([
      { section: 'features', text: 'Node 18 or later is now required.', changeIds: ['#105'] },
      { section: 'misc', text: 'Node 18 or later is now required.', changeIds: ['#105'] },
      // A merge across sections would hide one of them.
      { section: 'fixes', text: 'Attribute names are escaped; computed getters are cached.', changeIds: ['#107', PERF_SHA] },
    ]);
    expect(why(r)).toEqual(['section_changed', 'unknown_section', 'section_changed']);
    expect(r.items).toEqual(items);
  });

  it('refuses claims about the whole release, whatever they cite', () => {
    const claims = [
      'This release has no breaking changes.',
      'Node 16 is dropped, but there is nothing breaking here.',
      'Node 16 is dropped; it is safe to upgrade.',
    ];
    const r = verify(claims.map((text) => ({ section: 'breaking', text, changeIds: ['#105'] })));
    expect(why(r)).toEqual(claims.map(() => 'release_claim'));
    expect(r.items[0]).toBe(breaking);
  });

  it('covers an item at most once: a second line for it is refused, the first stands', () => {
    const r = verify([goodLines[1], line({ text: 'Use `useId()` for ids that survive hydration.' }), goodLines[1]]);
    expect(why(r)).toEqual(['duplicate', 'duplicate']);
    expect(r.items.filter((i) => i.changeIds.includes('#101'))).toHaveLength(1);
    expect(r.items[1]!.text).toBe(goodLines[1]!.text);
    expect(coverageProblems(r.items)).toEqual([]);
  });

  it('refuses lines that are not one line, too long, empty or malformed, keeping the good ones', () => {
    const r = verify([
      line({ text: 'Adds `useId()`.\n- ignore the rest' }),
      line({ text: `Adds \`useId()\`${' for stable ids'.repeat(40)}.` }),
      line({ text: '   ' }),
      { section: 'features', text: 42, changeIds: ['#101'] },
      'Adds useId()',
      goodLines[4],
    ]);
    expect(why(r)).toEqual(['not_one_line', 'too_long', 'not_one_line', 'malformed_line', 'malformed_line']);
    expect(r.reasons[1]).toContain(String(MAX_LINE_CHARS));
    expect(r.items.map((i) => i.origin)).toEqual(['rules', 'rules', 'rules', 'rules', 'rules', 'llm']);
    expect(coverageProblems(r.items)).toEqual([]);
  });

  it('an answer that is not {"items":[…]} leaves the items as they were', () => {
    for (const answer of [null, 'not json', { lines: goodLines }, { items: 'x' }]) {
      const r = verifyWording(items, answer, changes);
      expect(r.items).toEqual(items);
      expect(r.rejected).toBe(0);
      expect(r.reasons[0]).toMatch(/^malformed/);
    }
  });

  it('every draft item stays exactly once, whatever mix of good and bad lines comes back', () => {
    // Every subset of the good lines, with a bad twin for each (an invented number), in both orders.
    const bad = goodLines.map((l) => ({ ...l, text: `${l.text} 12345` }));
    for (let mask = 0; mask < 1 << goodLines.length; mask++) {
      const chosen = goodLines.flatMap((l, i) => (mask & (1 << i) ? [l, bad[i]!] : [bad[i]!]));
      for (const lines of [chosen, [...chosen].reverse()]) {
        const r = verify(lines);
        expect(coverageProblems(r.items)).toEqual([]);
        expect(r.rejected).toBe(lines.length - r.items.filter((i) => i.origin === 'llm').length);
      }
    }
  });
});

describe('the payload sent to the model (pure)', () => {
  it('sends the items in order with the changes they cite, not the changes the draft left out', () => {
    const input = wordingInput(draft, changes);
    expect(input.items.map((i) => i.changeIds)).toEqual(items.map((i) => i.changeIds));
    expect(input.changes.map((c) => c.id)).toEqual([
      '#105',
      '#101',
      '#102',
      '#103',
      FOLLOW_UP_SHA.slice(0, 7),
      '#107',
      PERF_SHA.slice(0, 7),
    ]);
    expect(input.changes.find((c) => c.id === '#101')!.files).toEqual(['packages/runtime-core/src/helpers/useId.ts']);
    expect(input.leftOut).toBe(0);
  });

  it('stays bounded whatever the range: long texts are cut, items past the bound are left out and counted', () => {
    const many: NoteChange[] = Array.from({ length: 500 }, (_, i) => ({
      ...changes[0]!,
      key: `#${1000 + i}`,
      pr: 1000 + i,
      shas: [`${(1000 + i).toString(16).padStart(8, '0')}${'0'.repeat(32)}`],
      subject: `fix: case ${i} ${'word '.repeat(200)}`,
      body: 'x'.repeat(10_000),
      files: Array.from({ length: 100 }, (_, f) => ({ path: `src/${'d/'.repeat(100)}${f}.ts`, additions: 1, deletions: 0 })),
    }));
    const big = {
      ...draft,
      items: many.map((c) => ({ section: 'fixes' as const, text: c.subject, changeIds: [c.key], evidence: [], origin: 'rules' as const })),
    };
    const input = wordingInput(big, many);
    const size = JSON.stringify(input).length;
    expect(size).toBeLessThan(WORDING_LIMITS.totalChars + 5000);
    expect(input.items.length).toBeGreaterThan(0);
    expect(input.items.length + input.leftOut).toBe(500);
    for (const c of input.changes) {
      expect(c.body.length).toBeLessThanOrEqual(WORDING_LIMITS.bodyChars);
      expect(c.subject.length).toBeLessThanOrEqual(WORDING_LIMITS.subjectChars);
      expect(c.files.length).toBeLessThanOrEqual(WORDING_LIMITS.files);
    }
    expect(input.items.every((i) => i.text.length <= WORDING_LIMITS.itemChars)).toBe(true);
  });
});
