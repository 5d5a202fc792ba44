/**
 * How a project writes its notes, learned from the notes its maintainers
 * wrote for earlier releases: the heading of each section, a prefix before
 * each line ("Fixed: "), a bold scope, which links a line carries and the
 * author handles. Everything is counted from the data; nothing names a project.
 */
import { NOTES_SECTIONS, type NotesSection } from '../contracts/notes.js';
import { closedIssues, parseSubject } from './conventional.js';
import type { LabelledRelease } from './dataset.js';
import type { HouseStyle } from './types.js';

/** Headings a draft uses when there are no earlier notes (conventional-changelog's words). */
export const DEFAULT_HEADINGS: Record<NotesSection, string> = {
  breaking: 'Breaking Changes',
  security: 'Security',
  features: 'Features',
  fixes: 'Bug Fixes',
  performance: 'Performance Improvements',
  deprecations: 'Deprecations',
  removals: 'Removals',
  changes: 'Changes',
  reverts: 'Reverts',
  dependencies: 'Dependencies',
};

/** Without earlier notes: every section but dependencies (bumps are left out), bold scopes as conventional-changelog writes them, plain ids, no prefix. */
export const DEFAULT_STYLE: HouseStyle = {
  headings: Object.fromEntries(NOTES_SECTIONS.filter((s) => s !== 'dependencies').map((s) => [s, DEFAULT_HEADINGS[s]])),
  linePrefix: {},
  boldScope: true,
  cite: { pr: true, commit: false, author: false, closes: false },
  repoUrl: null,
  handles: {},
};

/**
 * The heading of a section: the house's word, or the default one when earlier notes never had
 * that section (measured: filing a first removal under "Added" misleads more than a new heading).
 */
export const headingOf = (section: NotesSection, style: HouseStyle) => style.headings[section] ?? DEFAULT_HEADINGS[section];

const most = <T>(counts: Map<T, number>): [T, number] | undefined => [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
const bump = <T>(m: Map<T, number>, k: T) => m.set(k, (m.get(k) ?? 0) + 1);
/** Half the lines or more: a habit, not an accident. */
const HABIT = 0.5;

const PREFIX = /^([A-Z][A-Za-z]{1,20}(?: [A-Za-z]{1,20})?): /;
const BOLD_SCOPE = /^\*\*[^*\n]{1,60}:\*\*\s/;
const REPO_LINK = /(https?:\/\/[\w.-]+\/[\w.-]+\/[\w.-]+)\/(pull|issues|commit|merge_requests)\/(\w+)/g;
const AUTHOR_LINK = /\[@([\w-]{1,39})\]\(/g;

/** Learns the house style from earlier releases' notes; DEFAULT_STYLE when they have no items. */
export function learnHouseStyle(releases: readonly LabelledRelease[]): HouseStyle {
  const items = releases.flatMap((r) => r.items.map((item) => ({ item, release: r })));
  if (items.length === 0) return DEFAULT_STYLE;

  const headings = new Map<NotesSection, Map<string, number>>();
  const prefixes = new Map<NotesSection, Map<string, number>>();
  const perSection = new Map<NotesSection, number>();
  const repos = new Map<string, number>();
  const prPaths = new Map<'pull' | 'issues', number>();
  const names = new Map<string, Map<string, number>>();
  let bold = 0;
  let withPr = 0;
  let prCited = 0;
  let commitCited = 0;
  let authorCited = 0;
  let withCloses = 0;
  let closesCited = 0;
  let endsWithDot = 0;

  for (const { item, release } of items) {
    const text = item.text.trim();
    if (item.section) {
      if (!headings.has(item.section)) headings.set(item.section, new Map());
      bump(headings.get(item.section)!, item.heading.trim());
      bump(perSection, item.section);
      const p = PREFIX.exec(text);
      if (p) {
        if (!prefixes.has(item.section)) prefixes.set(item.section, new Map());
        bump(prefixes.get(item.section)!, `${p[1]}: `);
      }
    }
    if (BOLD_SCOPE.test(text)) bold++;
    if (/\.$/.test(text)) endsWithDot++;
    for (const m of text.matchAll(REPO_LINK)) {
      bump(repos, m[1]!);
      if ((m[2] === 'pull' || m[2] === 'issues') && /^\d+$/.test(m[3]!) && item.keys.includes(`#${m[3]}`)) bump(prPaths, m[2]);
    }
    if (/\/commit\/[0-9a-f]{7,40}|\[[0-9a-f]{7,12}\]/i.test(text)) commitCited++;
    const authors = [...text.matchAll(AUTHOR_LINK)].map((m) => m[1]!);
    if (authors.length > 0) authorCited++;
    const changes = item.keys.map((k) => release.changes.find((c) => c.key === k)).filter((c) => c !== undefined);
    const prs = changes.filter((c) => c.pr !== null);
    if (prs.length > 0) {
      withPr++;
      if (prs.some((c) => new RegExp(`#${c.pr}\\b`).test(text))) prCited++;
    }
    if (changes.some((c) => closedIssues(`${c.subject}\n${c.body}`).length > 0)) {
      withCloses++;
      if (/\bcloses\b/i.test(text)) closesCited++;
    }
    // A line citing one change and one handle names its author: learn the name's handle.
    if (changes.length === 1 && authors.length === 1 && changes[0]!.author) {
      const name = changes[0]!.author;
      if (!names.has(name)) names.set(name, new Map());
      bump(names.get(name)!, authors[0]!);
    }
  }

  const style: HouseStyle = {
    headings: {},
    linePrefix: {},
    boldScope: bold / items.length >= 0.3,
    cite: {
      pr: withPr > 0 && prCited / withPr >= HABIT,
      commit: commitCited / items.length >= HABIT,
      author: authorCited / items.length >= HABIT,
      closes: withCloses > 0 && closesCited / withCloses >= HABIT,
    },
    repoUrl: most(repos)?.[0] ?? null,
    handles: {},
  };
  for (const [section, counts] of headings) style.headings[section] = most(counts)![0];
  for (const [section, counts] of prefixes) {
    const [prefix, n] = most(counts)!;
    if (n / perSection.get(section)! >= HABIT) style.linePrefix[section] = prefix;
  }
  for (const [name, handles] of names) style.handles[name] = most(handles)![0];
  const prPath = most(prPaths)?.[0];
  if (prPath) style.prLink = prPath;
  if (endsWithDot / items.length >= HABIT) style.lineEnd = '.';
  return style;
}

/** The description a line starts from: no conventional header, no trailing "(#123)", no "[skip ci]". */
export function describe(subject: string): string {
  return parseSubject(subject)
    .description.replace(/\s*\[(ci[- ]skip|skip[- ]ci)\]\s*/gi, ' ')
    .replace(/\s*\(#\d+\)\s*$/, '')
    .trim();
}
