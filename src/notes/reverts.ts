/**
 * Changes that cancel or repeat each other inside one range. A change and its
 * revert both in the range leave nothing for readers: both are omitted as
 * 'reverted', each naming the other. A cherry-pick or backport of a change in
 * the range is the same news: it joins that change's item, which cites both.
 */
import { cherryPickOf, parseSubject, revertTarget } from './conventional.js';
import type { Classified, NoteChange } from './types.js';

/** Subject as two copies of one change share it: no trailing "(#123)", no case, no surrounding quotes or spaces. */
export function sameSubjectKey(subject: string): string {
  return subject
    .trim()
    .replace(/\s*\(#\d+\)\s*$/, '')
    .replace(/\s*\[(ci[- ]skip|skip[- ]ci)\]\s*$/i, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** What a revert names: the hash of git's message, the quoted subject, or the words after a plain "Revert …". */
function targetOf(change: NoteChange): { sha: string | null; subject: string | null } | null {
  const t = revertTarget(change.subject, change.body);
  if (t) return t;
  const plain = /^revert(?:s|ed)?\s+(?!")(.+)$/i.exec(parseSubject(change.subject).description);
  return plain ? { sha: null, subject: plain[1]!.trim() } : null;
}

/** A change's subject keys, computed once per range: the whole subject, and its description without a conventional header. */
interface SubjectKeys {
  whole: string;
  description: string;
}
const subjectKeys = (c: NoteChange): SubjectKeys => ({
  whole: sameSubjectKey(c.subject),
  description: sameSubjectKey(parseSubject(c.subject).description),
});

function subjectMatches(have: SubjectKeys, want: string): boolean {
  if (want.endsWith('…')) return have.whole.startsWith(want.slice(0, -1).trim()); // GitHub truncates long quoted subjects
  return have.whole === want || have.description === want;
}

/**
 * Marks each revert whose target is in the range, and that target, as omitted 'reverted'.
 * Newest reverts first, so "Revert "Revert X"" cancels "Revert X" and X stays.
 */
export function cancelReverts(classified: readonly Classified[]): Classified[] {
  const out = classified.map((c) => ({ ...c }));
  const keys = out.map((c) => subjectKeys(c.change));
  const cancelled = new Set<number>();
  for (let i = out.length - 1; i >= 0; i--) {
    if (cancelled.has(i)) continue;
    const revert = out[i]!;
    const target = targetOf(revert.change);
    if (!target) continue;
    const open = (k: number) => k !== i && !cancelled.has(k);
    // A revert that names its commit cancels that commit, not an older one with the same subject (a backport,
    // a re-land); the subject decides only when the named commit is not in the range.
    const bySha = target.sha
      ? out.findIndex((c, k) => open(k) && c.change.shas.some((s) => s.startsWith(target.sha!) || target.sha!.startsWith(s)))
      : -1;
    const want = target.subject === null ? null : sameSubjectKey(target.subject);
    const j = bySha >= 0 ? bySha : want === null ? -1 : keys.findIndex((have, k) => open(k) && subjectMatches(have, want));
    if (j < 0) continue;
    cancelled.add(i).add(j);
    const original = out[j]!;
    Object.assign(revert, { omit: 'reverted', detail: `reverts ${original.change.key}, also in this range` });
    Object.assign(original, { omit: 'reverted', detail: `reverted by ${revert.change.key} in this range` });
  }
  return out;
}

/** One item's changes: the first as the range lists them leads, the copies follow. */
export interface ChangeGroup {
  lead: Classified;
  copies: Classified[];
}

/**
 * Groups the kept changes that are one change: a cherry-pick (`(cherry picked from commit …)`)
 * of another change of the range, or a backport with the same subject. Omitted changes stay alone.
 */
export function groupDuplicates(classified: readonly Classified[]): ChangeGroup[] {
  const groups: ChangeGroup[] = [];
  const bySubject = new Map<string, ChangeGroup>();
  const bySha = new Map<string, ChangeGroup>();
  const place = (c: Classified, g: ChangeGroup) => {
    for (const s of c.change.shas) bySha.set(s, g);
    bySubject.set(sameSubjectKey(c.change.subject), g);
  };
  for (const c of classified) {
    if (c.omit) {
      groups.push({ lead: c, copies: [] });
      continue;
    }
    const picked = cherryPickOf(c.change.body);
    const original =
      (picked ? [...bySha.entries()].find(([s]) => s.startsWith(picked) || picked.startsWith(s))?.[1] : undefined) ??
      bySubject.get(sameSubjectKey(c.change.subject));
    if (original && !original.lead.omit) {
      original.copies.push(c);
      place(c, original);
      continue;
    }
    const g: ChangeGroup = { lead: c, copies: [] };
    groups.push(g);
    place(c, g);
  }
  return groups;
}
