import { describe, expect, it } from 'vitest';
import { type LabelledRelease, labelledRelease } from '../../src/notes/dataset.js';
import { DEFAULT_STYLE, headingOf, learnHouseStyle } from '../../src/notes/style.js';
import { vueSlice } from './helpers.js';

/** A made-up project whose notes are a flat list of "Fixed: …" / "Added: …" lines crediting authors. */
function prefixedRelease(version: string, date: string, n0: number): LabelledRelease {
  const url = 'https://git.example.org/acme/widget';
  const commits = [
    {
      hash: `${n0}`.padStart(40, 'a'),
      subject: `Fix \`bar\` crash on empty input (#${n0})`,
      author: 'Grace Hopper',
      pr: n0,
      is_merge: false,
    },
    { hash: `${n0 + 1}`.padStart(40, 'b'), subject: `Add \`baz\` option (#${n0 + 1})`, author: 'Alan Turing', pr: n0 + 1, is_merge: false },
    {
      hash: `${n0 + 2}`.padStart(40, 'c'),
      subject: `Fix \`qux\` false positives (#${n0 + 2})`,
      author: 'Grace Hopper',
      pr: n0 + 2,
      is_merge: false,
    },
  ];
  const line = (verb: string, words: string, pr: number, handle: string) =>
    `${verb}: ${words} ([#${pr}](${url}/pull/${pr})) ([@${handle}](https://git.example.org/${handle})).`;
  const items = [
    { section: 'Fixed', text: line('Fixed', '`bar` crash on empty input', n0, 'ghopper'), refs: [n0] },
    { section: 'Added', text: line('Added', '`baz` option', n0 + 1, 'aturing'), refs: [n0 + 1] },
    { section: 'Fixed', text: line('Fixed', '`qux` false positives', n0 + 2, 'ghopper'), refs: [n0 + 2] },
  ];
  return labelledRelease({
    version,
    tag_date: date,
    commits,
    notes_items: items,
    notes_markdown: items.map((i) => `- ${i.text}`).join('\n'),
  });
}

describe('learnHouseStyle', () => {
  it('learns conventional-changelog notes: headings, bold scope, PR, commit and closes links, the repository', () => {
    const style = learnHouseStyle(vueSlice());
    expect(style.headings).toMatchObject({ fixes: 'Bug Fixes', features: 'Features', performance: 'Performance Improvements' });
    expect(style.linePrefix).toEqual({});
    expect(style.boldScope).toBe(true);
    expect(style.cite).toEqual({ pr: true, commit: true, author: false, closes: true });
    expect(style.repoUrl).toBe('https://github.com/vuejs/core');
    expect(style.prLink).toBe('issues');
    expect(style.lineEnd).toBeUndefined();
  });

  it('learns a flat prefixed list: "Fixed: " per section, author handles by name, a final dot', () => {
    const style = learnHouseStyle([prefixedRelease('1.0.0', '2025-01-01', 10), prefixedRelease('1.1.0', '2025-02-01', 20)]);
    expect(style.headings).toEqual({ fixes: 'Fixed', features: 'Added' });
    expect(style.linePrefix).toEqual({ fixes: 'Fixed: ', features: 'Added: ' });
    expect(style.boldScope).toBe(false);
    expect(style.cite).toEqual({ pr: true, commit: false, author: true, closes: false });
    expect(style.repoUrl).toBe('https://git.example.org/acme/widget');
    expect(style.prLink).toBe('pull');
    expect(style.handles).toEqual({ 'Grace Hopper': 'ghopper', 'Alan Turing': 'aturing' });
    expect(style.lineEnd).toBe('.');
  });

  it('answers the default style when there are no earlier notes', () => {
    expect(learnHouseStyle([])).toBe(DEFAULT_STYLE);
  });

  it('a section the house notes never had gets the default heading', () => {
    const style = learnHouseStyle([prefixedRelease('1.0.0', '2025-01-01', 10)]);
    expect(headingOf('fixes', style)).toBe('Fixed');
    expect(headingOf('removals', style)).toBe('Removals');
  });
});
