/**
 * A generic stand-in of the drafter's rules for measuring the learned
 * selection model by hand: conventional types, else the subject's first word.
 */
import { parseSubject } from '../../src/notes/conventional.js';
import type { Classified, NoteChange, NotesSection, OmitReason } from '../../src/notes/types.js';

/** A generic stand-in of the rules: conventional types, else the subject's first word. */
export function standInClassify(change: NoteChange): Classified {
  const p = parseSubject(change.subject);
  const base = { change, type: p.type, scope: p.scope, breaking: p.bang };
  const out = (section: NotesSection, omit?: OmitReason): Classified => ({ ...base, section, ...(omit ? { omit } : {}) });
  if (change.isMerge) return out('changes', 'merge');
  if (/^v?\d+\.\d+\.\d+/.test(p.description) || /^(release|prepare)\b/i.test(p.description)) return out('changes', 'release');
  if (/^(bump|update)\s+\S+\s+from\s/i.test(p.description) || p.scope === 'deps') return out('dependencies', 'dependencies');
  const byType: Record<string, [NotesSection, OmitReason?]> = {
    feat: ['features'],
    fix: ['fixes'],
    perf: ['performance'],
    revert: ['reverts'],
    docs: ['changes', 'docs'],
    test: ['changes', 'tests'],
    ci: ['changes', 'ci'],
    chore: ['changes', 'chore'],
    build: ['changes', 'internal'],
    refactor: ['changes', 'internal'],
    style: ['changes', 'internal'],
    types: ['fixes'],
  };
  if (p.type) {
    const [section, omit] = byType[p.type] ?? ['changes', 'internal'];
    return out(p.bang ? 'breaking' : section, omit);
  }
  const byWord: Record<string, NotesSection> = { fix: 'fixes', add: 'features', deprecate: 'deprecations', remove: 'removals' };
  return out(byWord[p.firstWord] ?? 'changes');
}
