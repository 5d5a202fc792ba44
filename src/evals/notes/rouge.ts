/**
 * ROUGE-L for release notes (Lin 2004, "ROUGE: A Package for Automatic
 * Evaluation of Summaries", section 3), over lower-cased word tokens of the
 * Markdown: link targets and bare URLs dropped, link text kept.
 *
 * - ROUGE-L: the longest common subsequence of the two whole texts.
 * - ROUGE-Lsum (summary level): for each reference line, the union of its
 *   tokens in an LCS with each candidate line, each token counted at most as
 *   often as it occurs in both texts; line order does not matter.
 * Both F-measures (β = 1) reduce to 2·hits / (n_candidate + n_reference).
 */

/** Lower-case word tokens of Markdown ("[#12](https://…/12)" → "12"). */
export function tokens(markdown: string | null | undefined): string[] {
  const text = (markdown ?? '').replace(/\[([^\]]*)\]\([^)\s]*\)/g, '$1').replace(/https?:\/\/\S+/g, ' ');
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Token lists of the non-empty lines (headings and bullets are lines). */
export function tokenLines(markdown: string | null | undefined): string[][] {
  return (markdown ?? '')
    .split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/) // the line breaks of Python's str.splitlines
    .map((line) => tokens(line))
    .filter((t) => t.length > 0);
}

/** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint32Array(b.length + 1);
  let row = new Uint32Array(b.length + 1);
  for (const x of a) {
    for (let j = 0; j < b.length; j++) row[j + 1] = x === b[j] ? prev[j]! + 1 : Math.max(prev[j + 1]!, row[j]!);
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

/** Indices into `a` of one longest common subsequence of `a` and `b` (the table, then back from the end). */
export function lcsPositions(a: readonly string[], b: readonly string[]): number[] {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      table[(i + 1) * width + j + 1] =
        a[i] === b[j] ? table[i * width + j]! + 1 : Math.max(table[i * width + j + 1]!, table[(i + 1) * width + j]!);
    }
  }
  const out: number[] = [];
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      out.push(i - 1);
      i--;
      j--;
    } else if (table[i * width + j - 1]! > table[(i - 1) * width + j]!) j--;
    else i--;
  }
  return out;
}

const counts = (lines: readonly string[][]) => {
  const m = new Map<string, number>();
  for (const line of lines) for (const t of line) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
};

/** Summary-level LCS hits: per reference line, the union of its LCS tokens with every candidate line, clipped by counts. */
export function unionLcsHits(candidate: readonly string[][], reference: readonly string[][]): number {
  const leftC = counts(candidate);
  const leftR = counts(reference);
  let hits = 0;
  for (const ref of reference) {
    const words = new Set(ref);
    const hit = new Set<number>();
    for (const cand of candidate) {
      if (!cand.some((t) => words.has(t))) continue;
      for (const i of lcsPositions(ref, cand)) hit.add(i);
    }
    for (const i of [...hit].sort((x, y) => x - y)) {
      const t = ref[i]!;
      if ((leftC.get(t) ?? 0) > 0 && (leftR.get(t) ?? 0) > 0) {
        hits++;
        leftC.set(t, leftC.get(t)! - 1);
        leftR.set(t, leftR.get(t)! - 1);
      }
    }
  }
  return hits;
}

/** F1 (β = 1) of an LCS count: 2·lcs / (n_candidate + n_reference); 1 when both texts are empty. */
export function rougeF1(lcs: number, nCandidate: number, nReference: number): number {
  const total = nCandidate + nReference;
  return total === 0 ? 1 : (2 * lcs) / total;
}

export function rougeL(candidate: string, reference: string): number {
  const c = tokens(candidate);
  const r = tokens(reference);
  return rougeF1(lcsLength(c, r), c.length, r.length);
}

export function rougeLsum(candidate: string, reference: string): number {
  const c = tokenLines(candidate);
  const r = tokenLines(reference);
  return rougeF1(unionLcsHits(c, r), c.flat().length, r.flat().length);
}
