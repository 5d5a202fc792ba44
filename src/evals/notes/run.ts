/**
 * The notes eval: draft every release of a dataset as of its time, score it
 * and two baselines against the maintainers' notes, and pool the figures
 * over all releases, the time-ordered test part and a recent slice.
 *
 * Time order keeps it honest: a release of the test part (the newest share)
 * is drafted with a house style (and a learned selector, when given) fitted
 * on the releases before the test part only; a release before it, with the
 * style of the releases tagged before it.
 */
import type { NotesDraft } from '../../contracts/notes.js';
import type { LabelledRelease } from '../../notes/dataset.js';
import { draftNotes } from '../../notes/draft.js';
import { DEFAULT_STYLE, headingOf, learnHouseStyle } from '../../notes/style.js';
import type { HouseStyle, NoteChange, Selector } from '../../notes/types.js';
import { everyCommit, keywordSection, releasePleaseFilter } from './baselines.js';
import { countRelease, type Pooled, pool, type ReleaseCounts, type ScoredItem } from './score.js';

export const SYSTEMS = ['shipcheck', 'release-please', 'every-commit'] as const;
export type System = (typeof SYSTEMS)[number];

export interface NotesEvalOptions {
  /** Share of releases, newest by tag date, that form the test part (0 < f < 1). */
  testFraction: number;
  /** Also pool releases tagged on or after this day (YYYY-MM-DD); null: no such slice. */
  since: string | null;
  /** Fits a selector on the releases before the test part (the rules select when absent). */
  fitSelector?: (train: readonly LabelledRelease[]) => Selector;
  onProgress?: (done: number, total: number) => void;
}

export interface DraftedRelease {
  release: LabelledRelease;
  part: 'train' | 'test';
  draft: NotesDraft;
  counts: Record<System, ReleaseCounts>;
}

export interface Slice {
  name: string;
  systems: Record<System, Pooled>;
}

export interface NotesEvalResult {
  releases: DraftedRelease[];
  slices: Slice[];
  trainCount: number;
  testCount: number;
  selection: string;
  /** Who picked the test part's changes: the rules, or a learned model. */
  selectionKind: 'rules' | 'learned';
}

const day = (r: LabelledRelease) => r.date.slice(0, 10);
const time = (r: LabelledRelease) => {
  const t = Date.parse(r.date);
  return Number.isNaN(t) ? 0 : t;
};

/** Number of releases in the test part: the fraction rounded, at least one when there are two or more releases. */
export function testSize(n: number, fraction: number): number {
  if (n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}

function baselineItems(changes: readonly NoteChange[], style: HouseStyle): ScoredItem[] {
  return changes.map((c) => {
    const section = keywordSection(c.subject);
    return { section, heading: headingOf(section, style), text: c.subject.trim(), changeIds: [c.key] };
  });
}

export function draftItems(draft: NotesDraft): ScoredItem[] {
  return draft.items.map((i) => ({
    section: i.section,
    heading: draft.headings[i.section] ?? i.section,
    text: i.text,
    changeIds: i.changeIds,
  }));
}

export function runNotesEval(input: readonly LabelledRelease[], opts: NotesEvalOptions): NotesEvalResult {
  const ordered = [...input].sort((a, b) => time(a) - time(b));
  const nTest = testSize(ordered.length, opts.testFraction);
  const trainPart = ordered.slice(0, ordered.length - nTest);
  const trainStyle = trainPart.length ? learnHouseStyle(trainPart) : DEFAULT_STYLE;
  const selector = opts.fitSelector && trainPart.length ? opts.fitSelector(trainPart) : undefined;

  const releases: DraftedRelease[] = ordered.map((release, i) => {
    const part = i < trainPart.length ? 'train' : 'test';
    const style = part === 'test' ? trainStyle : learnHouseStyle(ordered.slice(0, i));
    const draft = draftNotes({
      version: release.version,
      changes: release.changes,
      style,
      ...(part === 'test' && selector ? { selector } : {}),
    });
    opts.onProgress?.(i + 1, ordered.length);
    return {
      release,
      part,
      draft,
      counts: {
        shipcheck: countRelease(release, draftItems(draft)),
        'release-please': countRelease(release, baselineItems(releasePleaseFilter(release.changes), style)),
        'every-commit': countRelease(release, baselineItems(everyCommit(release.changes), style)),
      },
    };
  });

  const slice = (name: string, rows: DraftedRelease[]): Slice => ({
    name,
    systems: Object.fromEntries(SYSTEMS.map((s) => [s, pool(rows.map((r) => r.counts[s]))])) as Record<System, Pooled>,
  });
  const slices = [
    slice('all', releases),
    slice(
      `test (newest ${nTest})`,
      releases.filter((r) => r.part === 'test'),
    ),
  ];
  if (opts.since)
    slices.push(
      slice(
        `since ${opts.since}`,
        releases.filter((r) => day(r.release) >= opts.since!),
      ),
    );
  return {
    releases,
    slices,
    trainCount: trainPart.length,
    testCount: nTest,
    selection: selector ? selector.detail : 'rules',
    selectionKind: selector?.kind ?? 'rules',
  };
}

/** One line of drafts.jsonl: the draft as the maintainers' notes are compared with it. */
export function draftRecord(d: DraftedRelease) {
  return {
    version: d.release.version,
    items: d.draft.items.map((i) => ({ section: d.draft.headings[i.section] ?? i.section, text: i.text, changeIds: i.changeIds })),
    omitted: d.draft.omitted.map((o) => ({ changeId: o.changeId, reason: o.reason })),
  };
}
