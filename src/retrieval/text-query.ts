/**
 * Text queries for the full-text half of hybrid search.
 *
 * Explicit websearch syntax (quotes, `or`, `-word`) is honoured as written,
 * through websearch_to_tsquery. Otherwise the query's lexemes are joined with
 * OR, since websearch's default AND makes "checkout ECONNRESET rollback" miss
 * every chunk lacking one word, and ts_rank_cd already ranks chunks matching
 * more words higher. Lexemes found in a large share of all chunks are dropped
 * first: they discriminate nothing, and their long posting lists are what
 * made the text half slow (bench/README.md).
 */

/** Lexemes in more than this share of chunks are left out of OR queries. */
export const COMMON_LEXEME_SHARE = 0.2;

export function hasExplicitSyntax(q: string): boolean {
  return /["]|\bor\b|(^|\s)-\S/i.test(q);
}

export interface TextQueries {
  /** Every kept lexeme: selective, so the GIN index serves it, and its hits are the most precise. */
  all: string;
  /** Any kept lexeme: the fallback when `all` finds too few. */
  any: string;
}

/** tsquery texts from already-normalised lexemes; undefined when there are none. */
export function textQueries(lexemes: readonly string[], common: ReadonlySet<string>): TextQueries | undefined {
  const unique = [...new Set(lexemes)];
  const kept = unique.filter((l) => !common.has(l));
  // A query made only of common words keeps them all: the candidate cap bounds the cost.
  const chosen = kept.length > 0 ? kept : unique;
  if (chosen.length === 0) return undefined;
  const quoted = chosen.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
  return { all: quoted.join(' & '), any: quoted.join(' | ') };
}
