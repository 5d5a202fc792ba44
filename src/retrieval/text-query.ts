/**
 * Text queries for the full-text half of hybrid search.
 *
 * Explicit websearch syntax (quotes, `or`, `-word`) is honoured as written,
 * through websearch_to_tsquery. Otherwise two queries are built from the
 * query's lexemes, leaving out those in a large share of all chunks (they
 * discriminate nothing, and their long posting lists are what made the text
 * half slow):
 *
 * - `all`: every kept lexeme (AND). Selective, so the GIN index serves it
 *   fast, and its hits are the most precise.
 * - `any`: the fallback when `all` finds too few, an OR of the rarest kept
 *   lexemes only. An OR's cost is the sum of its posting lists: one word in
 *   12% of the chunks (`fix`, `feat`) made it 30–90 ms at 100k chunks, the
 *   rarest eight 1–4 ms. ts_rank_cd still ranks chunks matching more of
 *   them higher, and the vector half of hybrid search covers the rest.
 */

/** Lexemes in more than this share of chunks are left out of both queries. */
const COMMON_LEXEME_SHARE = 0.2;
/** The OR query keeps lexemes in at most this share of chunks (when any is that rare) … */
const ANY_LEXEME_SHARE = 0.02;
/** … and at most this many, the rarest first. */
const MAX_ANY_LEXEMES = 8;

export function hasExplicitSyntax(q: string): boolean {
  return /["]|\bor\b|(^|\s)-\S/i.test(q);
}

export interface TextQueries {
  all: string;
  any: string;
}

const quote = (l: string) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * tsquery texts from already-normalised lexemes and the share of chunks each
 * frequent lexeme is in (an unlisted lexeme is rarer than any listed one);
 * undefined when there are no lexemes.
 */
export function textQueries(lexemes: readonly string[], shares: ReadonlyMap<string, number>): TextQueries | undefined {
  const unique = [...new Set(lexemes)];
  const share = (l: string) => shares.get(l) ?? 0;
  const kept = unique.filter((l) => share(l) <= COMMON_LEXEME_SHARE);
  // A query made only of common words keeps them all: the candidate cap bounds the cost.
  const chosen = kept.length > 0 ? kept : unique;
  if (chosen.length === 0) return undefined;
  const rare = chosen.filter((l) => share(l) <= ANY_LEXEME_SHARE);
  const rarest = [...(rare.length > 0 ? rare : chosen)]
    .map((l, i) => ({ l, i }))
    .sort((a, b) => share(a.l) - share(b.l) || a.i - b.i)
    .slice(0, MAX_ANY_LEXEMES)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.l);
  return { all: chosen.map(quote).join(' & '), any: rarest.map(quote).join(' | ') };
}
