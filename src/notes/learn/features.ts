/**
 * What the selection model sees of one change: named features hashed into a
 * fixed number of buckets (no vocabulary to store or to drift). The names
 * are generic (conventional type, first words, paths, the rules' opinion,
 * the author's record in earlier notes): nothing is written for one project;
 * what matters for a project is learned from its own earlier notes.
 */
import { breakingFooter, cherryPickOf, closedIssues, parseSubject, revertTarget } from '../conventional.js';
import type { Classified, NoteChange } from '../types.js';
import type { AuthorHistory } from './history.js';

/** 2^18 buckets: collisions are rare for the few thousand names one project's history produces. */
export const DEFAULT_BUCKETS = 1 << 18;

/** A sparse row: bucket indices (sorted, unique) and their values. */
export interface SparseRow {
  idx: number[];
  val: number[];
}

/** FNV-1a (32 bit): a stable hash, the same on every machine and every run. */
export function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Backtick spans become one token: "Fix `rule-name` false positives" and "Fix `other` …" share a shape. */
const words = (text: string) =>
  text
    .replace(/`[^`]*`/g, ' codespan ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);

/** Log-2 size buckets: 0, 1, 2-3, 4-7, …, capped so a huge change is one bucket. */
const sizeBucket = (n: number) => (n <= 0 ? '0' : String(Math.min(10, Math.floor(Math.log2(n)) + 1)));

/** The kind of a changed file from its path: what readers of notes care about differs (tests/docs/CI rarely make notes). */
export function fileKind(path: string): 'tests' | 'docs' | 'ci' | 'src' | 'config' {
  const p = path.toLowerCase();
  if (/(^|\/)(tests?|__tests__|spec|specs|e2e|fixtures?)\//.test(p) || /\.(test|spec)\.[a-z0-9]+$/.test(p)) return 'tests';
  if (/^\.github\/|^\.circleci\/|^\.gitlab-ci|(^|\/)\.?ci\//.test(p)) return 'ci';
  if (/(^|\/)docs?\//.test(p) || /\.(md|mdx|rst|txt)$/.test(p)) return 'docs';
  if (/(^|\/)(package(-lock)?\.json|pnpm-lock\.yaml|yarn\.lock|tsconfig[^/]*\.json|\.[^/]+rc(\.[a-z]+)?)$/.test(p)) return 'config';
  return 'src';
}

/** Quantised author record: the rate's decile and how much history backs it. */
function authorFeatures(history: AuthorHistory, author: string | null, out: Map<string, number>) {
  const { n, rate, prior } = history.rateOf(author);
  out.set(`author_seen:${sizeBucket(n)}`, 1);
  out.set(`author_rate_decile:${Math.min(9, Math.floor(rate * 10))}`, 1);
  // The log-odds of the smoothed rate against the project's overall rate: 0 for an unknown author.
  const logit = (x: number) => Math.log(Math.min(0.999, Math.max(0.001, x)) / (1 - Math.min(0.999, Math.max(0.001, x))));
  out.set('author_rate_logodds', logit(rate) - logit(prior));
}

/**
 * The named features of a classified change, with their values (1 for an
 * indicator). `history` is the authors' record in releases before this one.
 */
export function featureNames(c: Classified, history: AuthorHistory): Map<string, number> {
  const ch: NoteChange = c.change;
  const parsed = parseSubject(ch.subject);
  const out = new Map<string, number>();
  const type = c.type ?? parsed.type;
  const scope = (c.scope ?? parsed.scope)?.toLowerCase() ?? null;
  out.set(`type:${type ?? 'none'}`, 1);
  if (scope) {
    out.set(`scope:${scope}`, 1);
    out.set(`type_scope:${type}|${scope}`, 1);
  }
  if (c.breaking || parsed.bang) out.set('breaking', 1);

  const desc = words(parsed.description);
  const [w1 = '', w2 = '', w3 = ''] = desc;
  out.set(`w1:${w1}`, 1);
  out.set(`type_w1:${type ?? 'none'}|${w1}`, 1);
  if (w2) out.set(`w12:${w1} ${w2}`, 1);
  if (w3) out.set(`w23:${w2} ${w3}`, 1);
  // Unigrams share one unit of weight so a long subject does not outvote a short one.
  const uniq = [...new Set(desc)];
  for (const w of uniq) out.set(`u:${w}`, 1 / Math.sqrt(uniq.length));
  out.set(`subject_words:${sizeBucket(desc.length)}`, 1);
  if (/`[^`]+`/.test(parsed.description)) out.set('has_codespan', 1);
  if (/^v?\d+\.\d+\.\d+\S*$/.test(parsed.description.trim())) out.set('subject_is_version', 1);

  for (const l of ch.labels) out.set(`label:${l.toLowerCase()}`, 1);
  if (ch.files.length > 0) {
    const kinds = new Set(ch.files.map((f) => fileKind(f.path)));
    for (const k of kinds) out.set(`file_kind:${k}`, 1);
    if (kinds.size === 1) out.set(`only_kind:${[...kinds][0]}`, 1);
    for (const top of new Set(ch.files.map((f) => f.path.split('/')[0]!.toLowerCase()))) out.set(`top_dir:${top}`, 1);
    out.set(`files:${sizeBucket(ch.files.length)}`, 1);
    out.set(`lines:${sizeBucket(ch.files.reduce((s, f) => s + f.additions + f.deletions, 0))}`, 1);
  } else {
    out.set('files:unknown', 1);
  }
  out.set(ch.pr !== null ? 'has_pr' : 'no_pr', 1);
  out.set(`commits:${sizeBucket(ch.shas.length)}`, 1);
  if (closedIssues(`${ch.subject}\n${ch.body}`).length > 0) out.set('body_closes', 1);
  if (breakingFooter(ch.body) || /\bBREAKING\b/.test(ch.body)) out.set('body_breaking', 1);
  if (revertTarget(ch.subject, ch.body)) out.set('is_revert', 1);
  if (cherryPickOf(ch.body)) out.set('is_cherry_pick', 1);

  authorFeatures(history, ch.author, out);

  // The rules' opinion: a strong feature, but the weights decide how much this project agrees with it.
  out.set(`rule_omit:${c.omit ?? 'kept'}`, 1);
  out.set(`rule_section:${c.section}`, 1);
  out.set(`rule_section_omit:${c.section}|${c.omit ?? 'kept'}`, 1);
  return out;
}

/** Hashes named features into a sparse row (colliding names add up). */
export function hashFeatures(named: Map<string, number>, buckets: number = DEFAULT_BUCKETS): SparseRow {
  const acc = new Map<number, number>();
  for (const [name, v] of named) {
    const i = hashName(name) % buckets;
    acc.set(i, (acc.get(i) ?? 0) + v);
  }
  const idx = [...acc.keys()].sort((a, b) => a - b);
  return { idx, val: idx.map((i) => acc.get(i)!) };
}

export function featurize(c: Classified, history: AuthorHistory, buckets: number = DEFAULT_BUCKETS): SparseRow {
  return hashFeatures(featureNames(c, history), buckets);
}
