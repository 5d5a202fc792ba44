/**
 * Earlier releases with the notes their maintainers wrote: what the selection
 * model learns from and what the evals score against. One record per release
 * (the `shipcheck eval notes --dataset` format): its commits, and the notes
 * items with the pull requests and commits each cites.
 */
import { z } from 'zod';
import { ValidationError } from '../contracts/errors.js';
import type { NotesSection } from '../contracts/notes.js';
import { parseSubject } from './conventional.js';
import type { NoteChange } from './types.js';

const DatasetCommit = z.object({
  hash: z.string().regex(/^[0-9a-f]{7,40}$/i),
  subject: z.string(),
  body_first_line: z.string().nullish(),
  body: z.string().nullish(),
  author: z.string().nullish(),
  author_date: z.string().nullish(),
  pr: z.number().int().nullish(),
  is_merge: z.boolean().nullish(),
  labels: z.array(z.string()).nullish(),
  files: z.array(z.object({ path: z.string(), additions: z.number(), deletions: z.number() })).nullish(),
});

const DatasetItem = z.object({
  section: z.string().nullish(),
  text: z.string().nullish(),
  refs: z.array(z.number().int()).nullish(),
  commit_refs: z.array(z.string()).nullish(),
});

export const DatasetRelease = z.object({
  version: z.string().min(1),
  tag_date: z.string().nullish(),
  notes_markdown: z.string().nullish(),
  notes_items: z.array(DatasetItem).nullish(),
  commits: z.array(DatasetCommit),
});
export type DatasetRelease = z.infer<typeof DatasetRelease>;

/** One maintainers' notes line, with the change keys it cites inside the range. */
export interface MaintainersItem {
  heading: string;
  section: NotesSection | null;
  text: string;
  keys: string[];
}

/** A release of the dataset in the drafter's terms, with what its maintainers chose. */
export interface LabelledRelease {
  version: string;
  /** Tag date (ISO), the order of the time-ordered split. */
  date: string;
  changes: NoteChange[];
  /** Change key → the sections maintainers put it in (a change may be cited under two headings). */
  cited: Map<string, Set<NotesSection | null>>;
  items: MaintainersItem[];
  notesMarkdown: string;
  /** Ids maintainers cited that name no change of the range (they cannot be cited validly). */
  outside: string[];
}

const HEADING_SECTIONS: [RegExp, NotesSection][] = [
  [/^(breaking|breaking changes?)$/, 'breaking'],
  [/^(security|security fixes)$/, 'security'],
  [/^(added|add|new|features?|new features|feat|enhancements?)$/, 'features'],
  [/^(fixed|fix|fixes|bug fixes|bug fix|bugfixes|bugs)$/, 'fixes'],
  [/^(performance|performance improvements|perf)$/, 'performance'],
  [/^(deprecated|deprecations?)$/, 'deprecations'],
  [/^(removed|removals?)$/, 'removals'],
  [/^(changed|changes|change)$/, 'changes'],
  [/^(reverts?|reverted)$/, 'reverts'],
  [/^(dependencies|dependency updates|dependency|deps)$/, 'dependencies'],
];

/** The canonical section a heading names ("Bug Fixes" → fixes, "Added" → features), or null for others. */
export function sectionOfHeading(heading: string): NotesSection | null {
  const s = heading
    .replace(/<!--.*?-->/g, ' ')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
  return HEADING_SECTIONS.find(([re]) => re.test(s))?.[1] ?? null;
}

/** The change key of a commit: `#PR` when its subject names one, else its full hash. */
export const changeKey = (c: { hash: string; pr?: number | null }) => (c.pr ? `#${c.pr}` : c.hash.toLowerCase());

/** Commits grouped into changes (one per PR, else per commit), oldest first. */
export function changesOfCommits(commits: readonly DatasetRelease['commits'][number][]): NoteChange[] {
  const byKey = new Map<string, NoteChange>();
  const ordered = [...commits].reverse(); // datasets list newest first, as git log does
  for (const c of ordered) {
    // A dataset that states `pr` (even null) is believed; one without the field gets it from the subject.
    const pr = c.pr !== undefined ? c.pr : parseSubject(c.subject).pr;
    const key = changeKey({ hash: c.hash, pr });
    const body = c.body ?? c.body_first_line ?? '';
    const seen = byKey.get(key);
    if (seen) {
      seen.shas.unshift(c.hash.toLowerCase());
      if (seen.isMerge && !c.is_merge) Object.assign(seen, { subject: c.subject, body, author: c.author ?? null, isMerge: false });
      continue;
    }
    byKey.set(key, {
      key,
      pr: pr ?? null,
      shas: [c.hash.toLowerCase()],
      subject: c.subject,
      body,
      author: c.author ?? null,
      date: c.author_date ?? null,
      labels: c.labels ?? [],
      files: c.files ?? [],
      isMerge: Boolean(c.is_merge),
    });
  }
  return [...byKey.values()];
}

/** The ids one maintainers' line cites: PR numbers before "closes" (issues after it were fixed, not cited), commit refs. */
function citedIds(item: z.infer<typeof DatasetItem>): string[] {
  const head = (item.text ?? '').split(/\bcloses\b/i)[0] ?? '';
  const ids = [...(item.refs ?? []).map((n) => `#${n}`), ...[...head.matchAll(/\/pull\/(\d+)/g)].map((m) => `#${m[1]}`)];
  ids.push(...(item.commit_refs ?? []).map((h) => h.toLowerCase()));
  return [...new Set(ids)];
}

/** Resolves a cited id (the change's own key, `#123`, or a hash prefix) to the key of a change of the range, or undefined. */
export function resolveChangeId(changes: readonly NoteChange[], id: string): string | undefined {
  const exact = changes.find((c) => c.key === id || c.key.toLowerCase() === id.toLowerCase() || c.registeredId === id);
  if (exact) return exact.key;
  if (/^#\d+$/.test(id)) {
    const n = Number(id.slice(1));
    return changes.find((c) => c.pr === n)?.key;
  }
  if (!/^[0-9a-f]{7,40}$/i.test(id)) return undefined;
  const hits = changes.filter((c) => c.shas.some((s) => s.startsWith(id.toLowerCase())));
  return hits.length === 1 ? hits[0]!.key : undefined;
}

export function labelledRelease(raw: DatasetRelease): LabelledRelease {
  const changes = changesOfCommits(raw.commits);
  const cited = new Map<string, Set<NotesSection | null>>();
  const outside: string[] = [];
  const items: MaintainersItem[] = [];
  for (const item of raw.notes_items ?? []) {
    const heading = item.section ?? '';
    const section = sectionOfHeading(heading);
    const keys: string[] = [];
    for (const id of citedIds(item)) {
      const key = resolveChangeId(changes, id);
      if (!key) {
        outside.push(id);
        continue;
      }
      keys.push(key);
      if (!cited.has(key)) cited.set(key, new Set());
      cited.get(key)!.add(section);
    }
    items.push({ heading, section, text: item.text ?? '', keys: [...new Set(keys)] });
  }
  return {
    version: raw.version.replace(/^v/i, ''),
    date: raw.tag_date ?? changes.at(-1)?.date ?? '',
    changes,
    cited,
    items,
    notesMarkdown: raw.notes_markdown ?? '',
    outside,
  };
}

/** Parses dataset records (one per JSONL line); a bad record is an error naming its line, never skipped. */
export function labelledReleases(records: readonly unknown[]): LabelledRelease[] {
  return records.map((rec, i) => {
    const parsed = DatasetRelease.safeParse(rec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ValidationError(`record ${i + 1}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return labelledRelease(parsed.data);
  });
}
