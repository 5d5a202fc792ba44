import { deriveMetrics } from '../features/change-metrics.js';
import { type HistoryChange, historyMetrics } from '../features/history-metrics.js';

/** Earlier changes read per release (as the live assessment does: a hot file must not read years of history). */
const EARLIER = 2000;

export interface MetricsInput {
  at: Date;
  changes: readonly (HistoryChange & { title: string; labels: readonly string[] })[];
}

/**
 * The 14 just-in-time metrics of each release in a history, in time order,
 * by the features' own definitions (features/change-metrics.ts and
 * history-metrics.ts): the release's changes, and the earlier changes to the
 * same files or by the same authors. What `shipcheck eval risk` replays when
 * a git history is exported as release-history JSONL.
 */
export function jitMetricsOf(releases: readonly MetricsInput[]): Record<string, number>[] {
  const byPath = new Map<string, number[]>();
  const byAuthor = new Map<string, number[]>();
  const seen: HistoryChange[] = [];
  return releases.map((r) => {
    const picked = new Set<number>();
    for (const c of r.changes) {
      for (const f of c.files) for (const k of byPath.get(f.path) ?? []) picked.add(k);
      if (c.author) for (const k of byAuthor.get(c.author) ?? []) picked.add(k);
    }
    const before = [...picked]
      .sort((a, b) => b - a)
      .slice(0, EARLIER)
      .map((k) => seen[k]!);
    const metrics = { ...deriveMetrics(r.changes), ...historyMetrics(r.changes, before, r.at) } as Record<string, number>;
    for (const c of r.changes) {
      const k = seen.push(c) - 1;
      for (const f of c.files) listOf(byPath, f.path).push(k);
      if (c.author) listOf(byAuthor, c.author).push(k);
    }
    return metrics;
  });
}

function listOf(index: Map<string, number[]>, key: string): number[] {
  let list = index.get(key);
  if (!list) index.set(key, (list = []));
  return list;
}
