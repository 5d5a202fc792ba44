/**
 * Shapes a user query for `websearch_to_tsquery`. Explicit syntax (quotes,
 * `or`, `-word`) is kept as written. Bare words are joined with `or`:
 * websearch's default AND makes a query like "checkout ECONNRESET rollback"
 * miss every chunk lacking one word, and ts_rank_cd already ranks chunks that
 * match more words higher.
 */
export function toWebSearchQuery(q: string): string {
  const trimmed = q.trim();
  if (/["]|\bor\b|(^|\s)-\S/i.test(trimmed)) return trimmed;
  const words = trimmed.split(/[^\p{L}\p{N}_.\/-]+/u).filter((w) => w.length > 0);
  return words.join(' or ');
}
