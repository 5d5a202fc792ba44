/** One document's matches in a ranked list: its best (first) entry and how many entries it has. */
export interface DocumentGroup<T> {
  best: T;
  matches: number;
}

/**
 * Groups a best-first list by document, keeping the order of each
 * document's best entry. Pure; the caller decides what counts as a match.
 */
export function groupByDocument<T extends { documentId: string }>(ranked: readonly T[]): DocumentGroup<T>[] {
  const groups = new Map<string, DocumentGroup<T>>();
  for (const item of ranked) {
    const g = groups.get(item.documentId);
    if (g) g.matches += 1;
    else groups.set(item.documentId, { best: item, matches: 1 });
  }
  return [...groups.values()];
}
