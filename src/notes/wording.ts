/**
 * An LLM may reword a draft's items into lines readers understand; this
 * decides which of its lines stand. Pure: no I/O, the model is behind the
 * `NotesWording` port (notes/ports.ts).
 *
 * A rewritten line replaces the draft items it covers only if it cites
 * changes of this release that the draft lists, all the ids of every item it
 * covers, keeps their section, names nothing (number, version, `#N`, hash,
 * code identifier, option, path, link) that the cited changes and the
 * covered items do not already state, and speaks about its change rather
 * than the release. Every draft item ends up exactly once: in a kept line or
 * as the rules wrote it. What the verifier cannot check is whether the words
 * are faithful: a person approves the notes.
 */
import { z } from 'zod';
import { ChangeId, NOTES_SECTIONS, type NotesDraft, NotesItem, type NotesSection } from '../contracts/notes.js';
import { askWithin } from '../contracts/llm.js';
import { closedIssues } from './conventional.js';
import { resolveChangeId } from './dataset.js';
import type { NotesWording, NotesWordingInput, WordingChange, WordingItem } from './ports.js';
import type { NoteChange } from './types.js';

export type { NotesWording, NotesWordingInput } from './ports.js';

/** A rewritten line longer than this is refused: one line, not a paragraph. */
export const MAX_LINE_CHARS = 400;

/** Bounds of what is sent to the model: one request stays small whatever the range. */
export const WORDING_LIMITS = {
  items: 120,
  itemChars: 600,
  subjectChars: 300,
  bodyChars: 800,
  files: 15,
  fileChars: 160,
  /** Rough size of the whole payload; items past it keep the rules' words. */
  totalChars: 48_000,
};

export const DEFAULT_WORDING_TIMEOUT_MS = 8000;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * The payload for the model: the draft's items in order with the changes
 * they cite, each text cut to a bound, and items past the total bound left
 * out (they keep the rules' words). Changes no item cites are not sent.
 */
export function wordingInput(draft: NotesDraft, changes: readonly NoteChange[]): NotesWordingInput {
  const L = WORDING_LIMITS;
  const items: WordingItem[] = [];
  const sent: WordingChange[] = [];
  const sentKeys = new Set<string>();
  let size = 0;
  for (const item of draft.items) {
    if (items.length >= L.items) break;
    const own: { key: string; change: WordingChange }[] = [];
    for (const id of item.changeIds) {
      const key = resolveChangeId(changes, id);
      const change = key === undefined ? undefined : changes.find((c) => c.key === key);
      if (!change || sentKeys.has(change.key) || own.some((o) => o.key === change.key)) continue;
      own.push({
        key: change.key,
        change: {
          id,
          subject: cut(change.subject, L.subjectChars),
          // The tickets it refers to say what users asked for: their titles are data like the message.
          body: cut(
            [change.body.trim(), ...(change.tickets ?? []).map((t) => `ticket ${t.id}: ${t.title}`)].filter(Boolean).join('\n'),
            L.bodyChars,
          ),
          files: change.files.slice(0, L.files).map((f) => cut(f.path, L.fileChars)),
        },
      });
    }
    const wordingItem: WordingItem = { section: item.section, text: cut(item.text, L.itemChars), changeIds: item.changeIds };
    const added = JSON.stringify(wordingItem).length + JSON.stringify(own).length;
    if (items.length > 0 && size + added > L.totalChars) break;
    size += added;
    items.push(wordingItem);
    for (const o of own) {
      sent.push(o.change);
      sentKeys.add(o.key);
    }
  }
  return { version: draft.version, items, changes: sent, leftOut: draft.items.length - items.length };
}

/** The answer's shape; each line is checked on its own so one bad line does not sink the rest. */
export const WordingAnswer = z.object({ items: z.array(z.unknown()).max(1000) });
const Line = z.object({ section: z.string(), text: z.string(), changeIds: z.array(z.string()).max(200) });

export type RefusalReason =
  | 'malformed_line'
  | 'unknown_section'
  | 'not_one_line'
  | 'too_long'
  | 'uncited'
  | 'outside_release'
  | 'not_in_draft'
  | 'partial_merge'
  | 'duplicate'
  | 'section_changed'
  | 'invented_token'
  | 'release_claim';

interface DraftEntry {
  item: NotesItem;
  /** Change keys the item cites; an id that names no change of the release is kept as `?id` so no line can cover it. */
  keys: Set<string>;
}

/**
 * Which rewritten lines stand. `draftItems` are the items the model was
 * shown; the answer is whatever it returned. Lines are checked in order, so
 * of two lines covering the same item the first verified one wins.
 */
export function verifyWording(
  draftItems: NotesItem[],
  proposed: unknown,
  changes: NoteChange[],
): { items: NotesItem[]; rejected: number; reasons: string[] } {
  const answer = WordingAnswer.safeParse(proposed);
  if (!answer.success) return { items: draftItems, rejected: 0, reasons: ['malformed: the answer is not {"items":[…]}'] };
  const entries: DraftEntry[] = draftItems.map((item) => ({
    item,
    keys: new Set(item.changeIds.map((id) => resolveChangeId(changes, id) ?? `?${id}`)),
  }));
  const byKey = new Map<string, number[]>();
  entries.forEach((e, i) => {
    for (const k of e.keys) byKey.set(k, [...(byKey.get(k) ?? []), i]);
  });
  const coveredBy = new Map<number, number>(); // draft item index → index in `kept`
  const kept: NotesItem[] = [];
  const reasons: string[] = [];
  let rejected = 0;
  answer.data.items.forEach((raw, n) => {
    const verdict = checkLine(raw, entries, byKey, coveredBy, changes);
    if ('why' in verdict) {
      rejected++;
      reasons.push(`line ${n + 1}: ${verdict.why}: ${verdict.detail}`);
      return;
    }
    for (const i of verdict.covers) coveredBy.set(i, kept.length);
    kept.push(verdict.item);
  });
  // Draft order: a kept line stands where the first item it covers stood; its other items are not repeated.
  const items: NotesItem[] = [];
  const placed = new Set<number>();
  entries.forEach((e, i) => {
    const k = coveredBy.get(i);
    if (k === undefined) items.push(e.item);
    else if (!placed.has(k)) {
      placed.add(k);
      items.push(kept[k]!);
    }
  });
  return { items, rejected, reasons };
}

type Verdict = { item: NotesItem; covers: number[] } | { why: RefusalReason; detail: string };

function checkLine(
  raw: unknown,
  entries: DraftEntry[],
  byKey: Map<string, number[]>,
  coveredBy: Map<number, number>,
  changes: NoteChange[],
): Verdict {
  const parsed = Line.safeParse(raw);
  if (!parsed.success) return { why: 'malformed_line', detail: 'not {"section","text","changeIds"}' };
  const { section } = parsed.data;
  const text = parsed.data.text.trim();
  if (!(NOTES_SECTIONS as readonly string[]).includes(section)) return { why: 'unknown_section', detail: quote(section) };
  if (!text || /[\r\n]/.test(text)) return { why: 'not_one_line', detail: quote(text) };
  if (text.length > MAX_LINE_CHARS) return { why: 'too_long', detail: `${text.length} characters (at most ${MAX_LINE_CHARS})` };
  if (parsed.data.changeIds.length === 0) return { why: 'uncited', detail: quote(text) };

  const keys = new Set<string>();
  for (const id of parsed.data.changeIds) {
    const key = ChangeId.safeParse(id).success ? resolveChangeId(changes, id.trim()) : undefined;
    if (!key) return { why: 'outside_release', detail: `cites ${quote(id)}, no change of this release` };
    keys.add(key);
  }
  const covers = new Set<number>();
  for (const k of keys) {
    const at = byKey.get(k);
    if (!at) return { why: 'not_in_draft', detail: `cites ${k}, which no draft item cites` };
    for (const i of at) covers.add(i);
  }
  for (const i of covers) {
    const missing = [...entries[i]!.keys].filter((k) => !keys.has(k));
    if (missing.length > 0)
      return { why: 'partial_merge', detail: `covers ${quote(entries[i]!.item.text)} without citing ${missing.join(', ')}` };
    if (coveredBy.has(i)) return { why: 'duplicate', detail: `${quote(entries[i]!.item.text)} is already covered` };
    if (entries[i]!.item.section !== section)
      return { why: 'section_changed', detail: `moves ${quote(entries[i]!.item.text)} from ${entries[i]!.item.section} to ${section}` };
  }

  // Two breaking (or security) items in one line: the words could describe one and hide the other.
  if (covers.size > 1 && (section === 'breaking' || section === 'security'))
    return { why: 'partial_merge', detail: `merges ${covers.size} ${section} items; each keeps a line of its own` };
  const order = [...covers].sort((a, b) => a - b);
  const covered = order.map((i) => entries[i]!.item);
  const cited = changes.filter((c) => keys.has(c.key));
  const invented = inventedToken(text, groundOf(cited, covered));
  if (invented) return { why: 'invented_token', detail: `names ${quote(invented)}, which its changes do not` };
  const claim = RELEASE_CLAIMS.find((re) => re.test(text));
  if (claim) return { why: 'release_claim', detail: `speaks for the whole release: ${quote(text)}` };

  const whys = [...new Set(covered.flatMap((c) => (c.why ? [c.why] : [])))];
  const item = NotesItem.safeParse({
    section: section as NotesSection,
    text,
    changeIds: [...new Set(covered.flatMap((c) => c.changeIds))],
    evidence: [...new Set(cited.flatMap((c) => (c.evidenceId ? [c.evidenceId] : [])))],
    origin: 'llm',
    ...(whys.length > 0 ? { why: whys.join('; ') } : {}),
  });
  if (!item.success) return { why: 'malformed_line', detail: item.error.issues[0]?.message ?? 'invalid item' };
  return { item: item.data, covers: order };
}

const quote = (s: string) => JSON.stringify(s.length > 80 ? `${s.slice(0, 79)}…` : s);

/**
 * A line speaks for one change. Claims about the release as a whole ("this
 * release has no breaking changes", "safe to upgrade") are what a planted
 * instruction would ask for, and no cited change can back them.
 */
const RELEASE_CLAIMS = [
  /\b(?:this|the whole|the entire) (?:release|version|update|upgrade)\b/i,
  /\b(?:no|not|non|none|nothing|never|without|zero)\b[\s-]+(?:[\w-]+\s+){0,2}breaking\b/i,
  /\bsafe to (?:upgrade|update|install|ship|deploy)\b/i,
  /\bignore (?:all |any )?(?:previous|prior|above) instructions\b/i,
];

/** What a line may name: the cited changes' words, paths and hashes, and the covered items' text. */
interface Ground {
  text: string;
  shas: string[];
  /** `#N` a line may show: the cited pull requests, the issues they close, and what the covered items show. */
  refs: Set<string>;
  versions: Set<string>;
  numbers: Set<string>;
}

function groundOf(cited: NoteChange[], covered: NotesItem[]): Ground {
  const text = [
    ...cited.flatMap((c) => [
      c.key,
      c.pr === null ? '' : `#${c.pr}`,
      c.subject,
      c.body,
      c.author ?? '',
      ...c.labels,
      ...c.files.map((f) => f.path),
      ...(c.tickets ?? []).flatMap((t) => [t.id, t.title]),
    ]),
    ...covered.flatMap((i) => [i.text, i.why ?? '', ...i.changeIds]),
  ].join('\n');
  const plain = text.replace(URL, ' ').replace(HASH, ' ');
  return {
    text,
    shas: cited.flatMap((c) => c.shas),
    refs: new Set([
      ...cited.flatMap((c) => [...(c.pr === null ? [] : [c.pr]), ...closedIssues(`${c.subject}\n${c.body}`)].map(String)),
      ...covered.flatMap((i) => [...`${i.text} ${i.changeIds.join(' ')}`.matchAll(/#(\d+)\b/g)].map((m) => normNumber(m[1]!))),
    ]),
    versions: new Set([...plain.matchAll(VERSION)].map((m) => normVersion(m[0]))),
    numbers: new Set([...plain.matchAll(/\d+/g)].map((m) => normNumber(m[0]))),
  };
}

const URL = /\bhttps?:\/\/[^\s)<>\]"'`]+/g;
const HASH = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b/gi;
const VERSION = /\bv?\d+(?:\.\d+){1,3}(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?/g;
const normVersion = (v: string) => v.replace(/^v/, '').replace(/[.-]+$/, '');
const normNumber = (n: string) => String(Number(n));

/** Names that read as identifiers but are everyday words of release notes. */
const COMMON_NAMES = new Set(['JavaScript', 'TypeScript', 'GitHub', 'GitLab', 'macOS', 'iOS', 'npm', 'PostgreSQL', 'WebAssembly']);

/**
 * The first thing the line names that its ground does not: tried in an order
 * where each kind is cut out of the text before the next is looked for (the
 * digits of a link or a hash are not numbers of their own).
 */
function inventedToken(line: string, g: Ground): string | undefined {
  let rest = line;
  const take = (re: RegExp, grounded: (m: RegExpMatchArray) => boolean): string | undefined => {
    for (const m of rest.matchAll(re)) if (!grounded(m)) return m[0];
    rest = rest.replace(re, ' ');
    return undefined;
  };
  const has = (s: string) => g.text.includes(s);
  const hasWord = (s: string) => new RegExp(`(?<![\\w-])${escapeRe(s)}(?![\\w-])`).test(g.text);
  return (
    take(URL, (m) => has(m[0].replace(/[.,;:!?]+$/, ''))) ??
    take(/`([^`\n]+)`/g, (m) => (/^[\w$.-]+$/.test(m[1]!.trim()) ? hasWord(m[1]!.trim()) : has(m[1]!.trim()))) ??
    take(/#(\d+)\b/g, (m) => g.refs.has(normNumber(m[1]!))) ??
    take(/(?<![\w.])@[A-Za-z0-9][\w-]*/g, (m) => g.text.toLowerCase().includes(m[0].slice(1).toLowerCase())) ??
    take(/(?<![\w-])--[A-Za-z][\w-]*/g, (m) => hasWord(m[0])) ??
    take(/(?<![\w/.-])(?:[\w.-]+\/)+[\w.-]+\.[A-Za-z0-9]{1,5}\b/g, (m) => has(m[0])) ??
    take(HASH, (m) => g.shas.some((s) => s.startsWith(m[0].toLowerCase())) || has(m[0].toLowerCase())) ??
    take(VERSION, (m) => g.versions.has(normVersion(m[0]))) ??
    take(/\b[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+\b/g, (m) => hasWord(m[0])) ??
    take(/\b(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)\b/g, (m) => COMMON_NAMES.has(m[0]) || hasWord(m[0])) ??
    take(/\d+/g, (m) => g.numbers.has(normNumber(m[0])))
  );
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The cause of a failed call, as the `degraded` flag names it. */
/**
 * A draft with the model's verified lines in place of the items they cover.
 * Never fails: no answer in time, an error or an unusable answer leaves the
 * rules' draft as it was, with `degraded` naming why (`llm_timeout`,
 * `llm_unavailable`, `llm_invalid_output`, `llm_refused`, `llm_no_verified_lines`).
 */
export async function rewordDraft(
  draft: NotesDraft,
  changes: NoteChange[],
  wording: NotesWording,
  opts: { timeoutMs?: number } = {},
): Promise<{ draft: NotesDraft; rejected: number; degraded?: string; reasons: string[] }> {
  const failed = (degraded: string, rejected = 0, reasons: string[] = []) => ({
    draft: { ...draft, llm: { used: false, promptVersion: wording.promptVersion, rejected } },
    rejected,
    degraded,
    reasons,
  });
  if (draft.items.length === 0) return { draft, rejected: 0, reasons: [] };
  const input = wordingInput(draft, changes);
  const asked = await askWithin((signal) => wording.reword(input, signal), opts.timeoutMs ?? DEFAULT_WORDING_TIMEOUT_MS);
  if (!asked.ok) return failed(asked.cause);
  const raw = asked.value;
  const answer = WordingAnswer.safeParse(raw);
  if (!answer.success) return failed('llm_invalid_output');
  if (answer.data.items.length === 0) return failed('llm_refused');
  // Only the items the model was shown can be reworded; the rest (over the size bound) follow unchanged.
  const shown = draft.items.slice(0, input.items.length);
  const verified = verifyWording(shown, raw, changes);
  const items = [...verified.items, ...draft.items.slice(shown.length)];
  // The verifier hands back the draft's own objects for the items no kept line covers.
  const used = verified.items.some((i) => !shown.includes(i));
  if (!used) return failed('llm_no_verified_lines', verified.rejected, verified.reasons);
  return {
    draft: {
      ...draft,
      items,
      llm: { used: true, promptVersion: wording.promptVersion, rejected: verified.rejected },
      counts: { ...draft.counts, items: items.length },
    },
    rejected: verified.rejected,
    reasons: verified.reasons,
  };
}

/**
 * The notes service's `reword` dependency: `rewordDraft` with its outcome
 * logged (reason codes only: the refused lines quote commit text) and, when
 * the model's words were not used, a warning on the draft naming why.
 */
export function rewordingWith(
  wording: NotesWording,
  opts: { timeoutMs?: number; log?: (msg: string, fields?: Record<string, unknown>) => void } = {},
): (draft: NotesDraft, changes: NoteChange[]) => Promise<NotesDraft> {
  return async (draft, changes) => {
    const r = await rewordDraft(draft, changes, wording, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
    if (r.degraded || r.rejected > 0)
      opts.log?.('notes wording: the rules wording stands where the LLM was refused or unavailable', {
        degraded: r.degraded ?? null,
        rejected: r.rejected,
        reasons: r.reasons.map((x) => x.split(':')[1]?.trim() ?? x),
      });
    if (!r.degraded) return r.draft;
    return { ...r.draft, warnings: [...r.draft.warnings, `LLM wording not used (${r.degraded}): the items keep the rules' words`] };
  };
}
