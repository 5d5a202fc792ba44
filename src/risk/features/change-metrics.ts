import { saysFix } from './fix-words.js';
import type { ChangedFile } from '../../contracts/risk.js';

/**
 * The just-in-time metrics that one release's own changes determine, for rows
 * that carry `changes[].files[]` instead of `metrics`. Definitions follow
 * fixtures/demo/metrics.ts (Kamei et al., TSE 2013), over the union of the
 * release's changes, files identified by path:
 *
 * - la / ld   lines added / deleted, summed over all changes and files
 * - nf        distinct files; nd distinct directories ("." for root files)
 * - ns        distinct subsystems: the first path segment, or `src/<module>`
 *             for code under src/ ("." for root files)
 * - entropy   Shannon entropy of lines modified (added + deleted) per file,
 *             normalised by log2(nf) when nf > 1 (so it lies in [0, 1]); 0 when
 *             nf ≤ 1 or nothing was modified. NB: Commit Guru and the public
 *             just-in-time datasets report entropy unnormalised (in bits, up to log2(nf)).
 * - fix       1 if any change's title or labels say fix / bug / hotfix / regression (features/fix-words.ts)
 *
 * lt, ndev, age, nuc, exp, rexp and sexp need the history before the release
 * (file sizes, earlier changes and their authors) and are left absent: a model
 * must treat them as unknown, not as 0.
 */

/** The 14 just-in-time change metrics (Kamei et al., TSE 2013), in their usual order. */
export const METRIC_NAMES = ['ns', 'nd', 'nf', 'entropy', 'la', 'ld', 'lt', 'fix', 'ndev', 'age', 'nuc', 'exp', 'rexp', 'sexp'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Metrics that need the history before a change (file sizes, prior changes, authors): not derivable from one release's files. */
export const HISTORY_DEPENDENT_METRICS = ['lt', 'ndev', 'age', 'nuc', 'exp', 'rexp', 'sexp'] as const satisfies readonly MetricName[];

export interface ReleaseChange {
  files: readonly ChangedFile[];
  title?: string;
  labels?: readonly string[];
}

export interface DerivedMetrics {
  ns: number;
  nd: number;
  nf: number;
  entropy: number;
  la: number;
  ld: number;
  fix: 0 | 1;
}

/** Subsystem of a path: its root directory, or `src/<module>` under src/; "." for root files. */
export function subsystemOf(path: string): string {
  const parts = normalisePath(path).split('/');
  if (parts.length === 1) return '.';
  if (parts[0] === 'src' && parts.length > 2) return `src/${parts[1]}`;
  return parts[0] ?? '.';
}

/** Directory of a path ("." for root files). */
export function directoryOf(path: string): string {
  const p = normalisePath(path);
  const i = p.lastIndexOf('/');
  return i < 0 ? '.' : p.slice(0, i);
}

/** Forward slashes, no leading "./" or "/". */
function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
}

/**
 * Normalised Shannon entropy of a distribution of modified lines over files:
 * H = -Σ p_i log2 p_i / log2(n), n = number of files (files with 0 lines count
 * towards n, as in Kamei et al.). 0 for n ≤ 1 or no lines.
 */
export function normalisedEntropy(modifiedPerFile: readonly number[]): number {
  const n = modifiedPerFile.length;
  const total = modifiedPerFile.reduce((s, x) => s + x, 0);
  if (n <= 1 || total <= 0) return 0;
  let h = 0;
  for (const m of modifiedPerFile) {
    if (m <= 0) continue;
    const p = m / total;
    h -= p * Math.log2(p);
  }
  return h / Math.log2(n);
}

/** A change is a fix when its title or one of its labels says so (fix-words.ts; reverts count when so labelled). */
export function isFixChange(change: Pick<ReleaseChange, 'title' | 'labels'>): boolean {
  if (change.title !== undefined && saysFix(change.title)) return true;
  return (change.labels ?? []).some((l) => saysFix(l));
}

export function deriveMetrics(changes: readonly ReleaseChange[]): DerivedMetrics {
  const modified = new Map<string, number>();
  const dirs = new Set<string>();
  const subsystems = new Set<string>();
  let la = 0;
  let ld = 0;
  for (const c of changes) {
    for (const f of c.files) {
      const path = normalisePath(f.path);
      modified.set(path, (modified.get(path) ?? 0) + f.additions + f.deletions);
      dirs.add(directoryOf(path));
      subsystems.add(subsystemOf(path));
      la += f.additions;
      ld += f.deletions;
    }
  }
  return {
    ns: subsystems.size,
    nd: dirs.size,
    nf: modified.size,
    entropy: normalisedEntropy([...modified.values()]),
    la,
    ld,
    fix: changes.some(isFixChange) ? 1 : 0,
  };
}
