/**
 * What a tenant's own approved notes teach the drafter: the house style
 * (headings, line prefixes, links) from any approved release, and a learned
 * selection model once enough releases were approved, used only when it beat
 * the rules on the newest of them (a time-ordered check inside the history).
 */
import { AppError } from '../contracts/errors.js';
import type { NotesSection } from '../contracts/notes.js';
import { classify } from './classify.js';
import { type LabelledRelease, type MaintainersItem, resolveChangeId } from './dataset.js';
import { chooseSelector } from './learn/compare.js';
import type { EarlierNotes, NotesLearning } from './types.js';
import { renderMarkdown } from './render.js';
import { rulesSelector } from './select.js';
import { DEFAULT_HEADINGS, learnHouseStyle } from './style.js';

/** Approved releases a selection model needs before it may compete with the rules. */
export const MIN_RELEASES_FOR_MODEL = 12;

/** An approved release as a labelled one: the changes its approved items cite are the ones people kept. */
export function labelledFromApproved(a: EarlierNotes): LabelledRelease {
  const cited = new Map<string, Set<NotesSection | null>>();
  const items: MaintainersItem[] = a.draft.items.map((item) => {
    const keys = [...new Set(item.changeIds.map((id) => resolveChangeId(a.changes, id)).filter((k): k is string => Boolean(k)))];
    for (const key of keys) {
      if (!cited.has(key)) cited.set(key, new Set());
      cited.get(key)!.add(item.section);
    }
    return { heading: a.draft.headings[item.section] ?? DEFAULT_HEADINGS[item.section], section: item.section, text: item.text, keys };
  });
  return {
    version: a.version,
    date: a.createdAt.toISOString(),
    changes: a.changes,
    cited,
    items,
    notesMarkdown: renderMarkdown(a.draft),
    outside: [],
  };
}

/** Learned results kept per set of approved releases: choosing a model over 50 releases takes about a second. */
const CACHED = 32;

/**
 * `fingerprint` names an input for the cache (app.ts hands in sha256): identical inputs only, so a hit gives
 * exactly what learning again would, never another tenant's result. Without it nothing is cached.
 */
export function notesLearning(opts: { minReleasesForModel?: number; fingerprint?: (text: string) => string } = {}): NotesLearning {
  const min = opts.minReleasesForModel ?? MIN_RELEASES_FOR_MODEL;
  const cache = new Map<string, ReturnType<NotesLearning['prepare']>>();
  return {
    prepare(earlier) {
      if (earlier.length === 0) return {};
      if (!opts.fingerprint) return learn(earlier);
      // Keyed by everything learning reads.
      const key = opts.fingerprint(
        JSON.stringify(earlier.map((e) => [e.version, e.createdAt, e.changes, e.draft.items, e.draft.headings])),
      );
      const hit = cache.get(key);
      if (hit) return hit;
      const learned = learn(earlier);
      cache.set(key, learned);
      if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
      return learned;
    },
  };

  function learn(earlier: EarlierNotes[]): ReturnType<NotesLearning['prepare']> {
    const labelled = earlier.map(labelledFromApproved).sort((x, y) => x.date.localeCompare(y.date));
    const style = learnHouseStyle(labelled);
    if (labelled.length < min) return { style };
    try {
      return { style, selector: chooseSelector(labelled, classify, rulesSelector()).selector };
    } catch (err) {
      // Too few of them hold items to train and validate on: the rules select, as for a new tenant.
      if (err instanceof AppError && err.code === 'insufficient_history') return { style };
      throw err;
    }
  }
}
