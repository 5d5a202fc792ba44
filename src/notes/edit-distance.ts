/**
 * How much a person changed the machine's draft: the Levenshtein distance
 * between the two Markdown texts, in characters. The common start and end
 * are cut first (an edit usually touches a few lines), so the quadratic part
 * runs on what differs; when even that is too large to compare character by
 * character, the distance is counted on whole lines, each weighing its length.
 */

/** Cells of the character table above which lines are compared instead (≈ 0.1 s). */
const MAX_CELLS = 25_000_000;

function levenshtein<T>(a: readonly T[], b: readonly T[], cost: (x: T) => number, same: (x: T, y: T) => boolean): number {
  let prev = new Float64Array(b.length + 1);
  let row = new Float64Array(b.length + 1);
  for (let j = 1; j <= b.length; j++) prev[j] = prev[j - 1]! + cost(b[j - 1]!);
  for (let i = 1; i <= a.length; i++) {
    const x = a[i - 1]!;
    row[0] = prev[0]! + cost(x);
    for (let j = 1; j <= b.length; j++) {
      const y = b[j - 1]!;
      const sub = same(x, y) ? 0 : Math.max(cost(x), cost(y));
      row[j] = Math.min(prev[j]! + cost(x), row[j - 1]! + cost(y), prev[j - 1]! + sub);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length]!;
}

export function editDistance(from: string, to: string): number {
  let start = 0;
  while (start < from.length && start < to.length && from[start] === to[start]) start++;
  let end = 0;
  while (end < from.length - start && end < to.length - start && from[from.length - 1 - end] === to[to.length - 1 - end]) end++;
  const a = from.slice(start, from.length - end);
  const b = to.slice(start, to.length - end);
  if (a.length === 0 || b.length === 0) return a.length + b.length;
  if (a.length * b.length <= MAX_CELLS) {
    const one = () => 1;
    const eq = (x: string, y: string) => x === y;
    return levenshtein([...a], [...b], one, eq);
  }
  const lines = (s: string) => s.split('\n').map((l) => `${l}\n`);
  return Math.round(
    levenshtein(
      lines(a),
      lines(b),
      (l) => l.length,
      (x, y) => x === y,
    ),
  );
}
