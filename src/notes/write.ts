/**
 * One item's line in the house style: the change's own words (its subject
 * without the conventional header), a bold scope or a "Fixed: " prefix when
 * the house notes use one, then the links they carry (PR, commit, closed
 * issues, author). Only words of the change: nothing is invented.
 */
import type { NotesSection } from '../contracts/notes.js';
import { verbSection } from './classify.js';
import { closedIssues, parseSubject } from './conventional.js';
import { describe } from './style.js';
import type { HouseStyle, NoteChange } from './types.js';

const MAX_LINE = 2000;

/**
 * "Fix `x` false positives" → "`x` false positives" when the prefix is a form of the same verb
 * ("Fixed: "); any other first word stays, lower-cased ("Changed: improve …"), so no line says
 * what its change did not do.
 */
function afterPrefix(prefix: string, description: string): string {
  const m = /^([A-Za-z]+)\s+(.+)$/.exec(description);
  if (!m) return description;
  const said = prefix.replace(/:\s*$/, '').toLowerCase();
  const verb = m[1]!.toLowerCase();
  if (verbSection(verb) && said.slice(0, 3) === verb.slice(0, 3)) return m[2]!;
  return /^[A-Z][a-z]/.test(description) ? description[0]!.toLowerCase() + description.slice(1) : description;
}

function prRef(pr: number, style: HouseStyle): string {
  return style.repoUrl ? `[#${pr}](${style.repoUrl}/${style.prLink ?? 'pull'}/${pr})` : `#${pr}`;
}

/** A commit by its short hash (linked when the style has a repository); a change registered under its own id by that id. */
function commitRef(change: NoteChange, style: HouseStyle): string {
  const sha = change.shas[0];
  if (!sha) return change.key;
  const short = sha.slice(0, 7);
  return style.repoUrl ? `[${short}](${style.repoUrl}/commit/${sha})` : short;
}

function issueRef(n: number, style: HouseStyle): string {
  return style.repoUrl ? `[#${n}](${style.repoUrl}/issues/${n})` : `#${n}`;
}

/** The line of an item for `changes` (the lead first, then its cherry-picks and backports). */
export function itemText(section: NotesSection, changes: readonly NoteChange[], style: HouseStyle): string {
  const lead = changes[0]!;
  const parsed = parseSubject(lead.subject);
  let words = describe(lead.subject) || lead.subject.trim();
  const prefix = style.linePrefix[section];
  if (prefix) words = prefix + afterPrefix(prefix, words);
  else if (style.boldScope && parsed.scope) words = `**${parsed.scope}:** ${words}`;

  const refs: string[] = [];
  const prs = [...new Set(changes.map((c) => c.pr).filter((n) => n !== null))];
  const loose = changes.filter((c) => c.pr === null);
  // A change without a PR is known by its commit: cite that even when the house cites PRs only.
  if (style.cite.pr) refs.push(...prs.map((n) => `(${prRef(n, style)})`));
  if (style.cite.commit || !style.cite.pr) refs.push(...changes.map((c) => `(${commitRef(c, style)})`));
  else refs.push(...loose.map((c) => `(${commitRef(c, style)})`));
  if (style.cite.author) {
    const handles = [...new Set(changes.map((c) => (c.author ? style.handles[c.author] : undefined)).filter((h) => h !== undefined))];
    // Handles live on the host of the repository (github.com when the style has no repository link).
    const host = style.repoUrl ? new URL(style.repoUrl).origin : 'https://github.com';
    refs.push(...handles.map((h) => `([@${h}](${host}/${h}))`));
  }
  let line = [words, ...refs].join(' ');
  if (style.cite.closes) {
    const issues = [...new Set(changes.flatMap((c) => closedIssues(`${c.subject}\n${c.body}`)))].filter((n) => !prs.includes(n));
    if (issues.length > 0) line += `, closes ${issues.map((n) => issueRef(n, style)).join(' ')}`;
  }
  // Ingested tickets the changes refer to (`SHOP-1287`): where readers find what was asked for.
  const tickets = [...new Set(changes.flatMap((c) => (c.tickets ?? []).map((t) => t.id)))].filter(
    (id) => !/^#?\d+$/.test(id) && !line.includes(id),
  );
  if (tickets.length > 0) line += ` (${tickets.join(', ')})`;
  if (style.lineEnd && !line.endsWith(style.lineEnd)) line += style.lineEnd;
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}
