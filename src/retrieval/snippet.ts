/** Characters of context shown around the best match. */
export const SNIPPET_CHARS = 280;

/**
 * A window of the chunk around the first query word it contains, so a person
 * sees why it matched; the start of the chunk when no word occurs. Pure and
 * cheap (ts_headline costs a re-parse per row).
 */
export function makeSnippet(text: string, query: string, size = SNIPPET_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= size) return flat;
  const lower = flat.toLowerCase();
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length >= 3)
    .sort((a, b) => b.length - a.length);
  let at = -1;
  for (const w of words) {
    at = lower.indexOf(w);
    if (at >= 0) break;
  }
  if (at < 0) return flat.slice(0, size - 1) + '…';
  const start = Math.max(0, Math.min(at - Math.floor(size / 3), flat.length - size));
  const end = Math.min(flat.length, start + size);
  return (start > 0 ? '…' : '') + flat.slice(start, end).trim() + (end < flat.length ? '…' : '');
}
