/**
 * Scores one drafted release against the notes its maintainers wrote, and
 * pools releases. Counts first (so releases pool exactly), figures from counts:
 *
 * - valid: share of items with at least one id, every id a change of the range.
 * - P, R, F1: change keys the draft cites vs those maintainers cite (inside the
 *   range); F1 = 2TP/(|D|+|G|), 1 when both are empty.
 * - sec: of keys cited by both, share whose draft sections are all among the
 *   maintainers' sections for that key.
 * - RL, RLsum: ROUGE-L and summary-level ROUGE-Lsum of the rendered draft
 *   ("### Heading" + "- text" per section, in order of first use) vs the notes.
 */
import type { NotesSection } from '../../contracts/notes.js';
import { type LabelledRelease, resolveChangeId } from '../../notes/dataset.js';
import { lcsLength, rougeF1, tokenLines, unionLcsHits } from './rouge.js';

/** A draft as the eval scores it: items under house headings, with the change ids they cite. */
export interface ScoredItem {
  /** Canonical section, for section accuracy. */
  section: NotesSection;
  /** The heading it renders under ("Bug Fixes"). */
  heading: string;
  text: string;
  changeIds: string[];
}

export interface ReleaseCounts {
  items: number;
  uncited: number;
  invalidItems: number;
  /** Distinct keys the draft cites (inside the range). */
  cited: number;
  /** Distinct keys maintainers cite (inside the range). */
  gold: number;
  tp: number;
  secN: number;
  secOk: number;
  lcs: number;
  lcsSum: number;
  draftTokens: number;
  refTokens: number;
}

export interface Figures {
  valid: number | null;
  P: number | null;
  R: number | null;
  F1: number | null;
  sec: number | null;
  RL: number | null;
  RLsum: number | null;
}

export const FIGURES = ['valid', 'P', 'R', 'F1', 'sec', 'RL', 'RLsum'] as const;

/** The draft as Markdown, one "### Heading" per heading in order of first use. */
export function scoredMarkdown(items: readonly ScoredItem[]): string {
  const groups = new Map<string, string[]>();
  for (const it of items) {
    if (!groups.has(it.heading)) groups.set(it.heading, []);
    groups.get(it.heading)!.push(it.text);
  }
  return [...groups.entries()].map(([h, texts]) => `### ${h}\n\n${texts.map((t) => `- ${t}`).join('\n')}`).join('\n\n');
}

export function countRelease(release: LabelledRelease, items: readonly ScoredItem[]): ReleaseCounts {
  const cited = new Map<string, Set<NotesSection>>();
  let uncited = 0;
  let invalidItems = 0;
  for (const it of items) {
    if (it.changeIds.length === 0) {
      uncited++;
      continue;
    }
    let ok = true;
    for (const id of it.changeIds) {
      const key = resolveChangeId(release.changes, id);
      if (!key) {
        ok = false;
        continue;
      }
      if (!cited.has(key)) cited.set(key, new Set());
      cited.get(key)!.add(it.section);
    }
    if (!ok) invalidItems++;
  }
  let tp = 0;
  let secOk = 0;
  for (const [key, sections] of cited) {
    const gold = release.cited.get(key);
    if (!gold) continue;
    tp++;
    if ([...sections].every((s) => gold.has(s))) secOk++;
  }
  const cand = tokenLines(scoredMarkdown(items));
  const ref = tokenLines(release.notesMarkdown);
  return {
    items: items.length,
    uncited,
    invalidItems,
    cited: cited.size,
    gold: release.cited.size,
    tp,
    secN: tp,
    secOk,
    lcs: lcsLength(cand.flat(), ref.flat()),
    lcsSum: unionLcsHits(cand, ref),
    draftTokens: cand.flat().length,
    refTokens: ref.flat().length,
  };
}

const ratio = (num: number, den: number) => (den === 0 ? null : num / den);

export function figures(c: ReleaseCounts): Figures {
  const empty = c.cited === 0 && c.gold === 0;
  return {
    valid: ratio(c.items - c.uncited - c.invalidItems, c.items),
    P: empty ? 1 : ratio(c.tp, c.cited),
    R: empty ? 1 : ratio(c.tp, c.gold),
    F1: empty ? 1 : ratio(2 * c.tp, c.cited + c.gold),
    sec: ratio(c.secOk, c.secN),
    RL: rougeF1(c.lcs, c.draftTokens, c.refTokens),
    RLsum: rougeF1(c.lcsSum, c.draftTokens, c.refTokens),
  };
}

export interface Pooled {
  releases: number;
  counts: ReleaseCounts;
  /** Figures of the pooled counts. */
  micro: Figures;
  /** Mean of the per-release figures that are defined. */
  macro: Figures;
}

export function pool(rows: readonly ReleaseCounts[]): Pooled {
  const counts = rows.reduce<ReleaseCounts>(
    (acc, r) => {
      for (const k of Object.keys(acc) as (keyof ReleaseCounts)[]) acc[k] += r[k];
      return acc;
    },
    { items: 0, uncited: 0, invalidItems: 0, cited: 0, gold: 0, tp: 0, secN: 0, secOk: 0, lcs: 0, lcsSum: 0, draftTokens: 0, refTokens: 0 },
  );
  const per = rows.map(figures);
  const macro = Object.fromEntries(
    FIGURES.map((f) => {
      const vals = per.map((p) => p[f]).filter((v): v is number => v !== null);
      return [f, vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null];
    }),
  ) as unknown as Figures;
  // No release, no figures: the per-release convention (nothing cited against nothing is 1) would read as perfect.
  const micro = rows.length === 0 ? (Object.fromEntries(FIGURES.map((f) => [f, null])) as unknown as Figures) : figures(counts);
  return { releases: rows.length, counts, micro, macro };
}
