/**
 * What the drafter is compared with:
 * - every commit: each non-merge change as an item, its subject as the line;
 * - a release-please-style filter: the conventional types release tools hide
 *   (chore, docs, test, ci, build, refactor, style, release) and dependency
 *   bumps ("Bump x from 1 to 2") are left out, everything else is an item
 *   (like release-please, it shows `fix(deps)` and keeps subjects it cannot parse).
 * Sections come from keywords of the subject in both.
 */
import type { NotesSection } from '../../contracts/notes.js';
import { parseSubject } from '../../notes/conventional.js';
import type { NoteChange } from '../../notes/types.js';

const KEYWORD_SECTIONS: [RegExp, NotesSection][] = [
  [/^(feat|feature)$|^(add|adds|added|support|introduce|implement|allow)\b/i, 'features'],
  [/^(fix|bugfix|hotfix)$|^(fix|fixes|fixed|correct|prevent|avoid|handle|resolve)\b/i, 'fixes'],
  [/^perf$|^(improve performance|speed up|optimi[sz]e)\b/i, 'performance'],
  [/^revert$|^revert\b/i, 'reverts'],
  [/^(deprecate|deprecated)\b/i, 'deprecations'],
  [/^(remove|drop|delete)\b/i, 'removals'],
];

/** The section a subject's keywords name, else 'changes'. */
export function keywordSection(subject: string): NotesSection {
  const p = parseSubject(subject);
  if (p.bang) return 'breaking';
  for (const [re, section] of KEYWORD_SECTIONS) if ((p.type && re.test(p.type)) || re.test(p.description)) return section;
  return 'changes';
}

const HIDDEN_TYPES = new Set(['chore', 'docs', 'doc', 'test', 'tests', 'ci', 'build', 'refactor', 'style', 'release']);
const BUMP = /^(bump|update|upgrade)\b.*\b(from .+ to |dependenc|deps?\b)|^bump\b/i;

export function everyCommit(changes: readonly NoteChange[]): NoteChange[] {
  return changes.filter((c) => !c.isMerge);
}

export function releasePleaseFilter(changes: readonly NoteChange[]): NoteChange[] {
  return changes.filter((c) => {
    if (c.isMerge) return false;
    const p = parseSubject(c.subject);
    if (p.type && HIDDEN_TYPES.has(p.type)) return false;
    return !BUMP.test(p.description);
  });
}
