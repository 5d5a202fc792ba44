/**
 * Grouping accuracy, the standard figure for log parsers (Zhu et al., "Tools
 * and Benchmarks for Automated Log Parsing", ICSE-SEIP 2019, the Loghub
 * benchmark): a line counts as parsed correctly when the group of lines its
 * parser put it with (same predicted template) is exactly the group of
 * lines with its true template, no more and no fewer. The accuracy is the
 * share of such lines. One stray line in a group makes the whole group wrong.
 */
export interface GroupingAccuracy {
  accuracy: number;
  lines: number;
  predictedGroups: number;
  trueGroups: number;
  /** Predicted groups that equal a true group. */
  correctGroups: number;
}

export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): GroupingAccuracy {
  if (predicted.length !== truth.length) throw new RangeError(`${predicted.length} predictions for ${truth.length} labels`);
  const truthSize = new Map<string, number>();
  for (const t of truth) truthSize.set(t, (truthSize.get(t) ?? 0) + 1);
  // Per predicted group: its size, and the one true label all its lines share (null once two differ).
  const groups = new Map<string, { size: number; label: string | null }>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (!g) groups.set(p, { size: 1, label: truth[i]! });
    else {
      g.size++;
      if (g.label !== truth[i]) g.label = null;
    }
  });
  let correctLines = 0;
  let correctGroups = 0;
  for (const g of groups.values()) {
    if (g.label !== null && truthSize.get(g.label) === g.size) {
      correctLines += g.size;
      correctGroups++;
    }
  }
  return {
    accuracy: predicted.length ? correctLines / predicted.length : 1,
    lines: predicted.length,
    predictedGroups: groups.size,
    trueGroups: truthSize.size,
    correctGroups,
  };
}
