import type { ChangedFile } from '../../contracts/risk.js';
import { subsystemOf } from './change-metrics.js';

/**
 * The history half of the just-in-time metrics (Kamei et al., TSE 2013) for
 * a release, from the changes shipped before it. Same definitions as
 * fixtures/demo/metrics.ts, over what the store knows (so `lt` is the net
 * lines the stored history added to each file, not a checkout's line count):
 *
 * - lt   Σ over touched files of the lines earlier changes left in them;
 *        unknown (absent) unless that sum is positive: a new file, history
 *        shipcheck never saw, or edits that only replaced lines (a version
 *        bump in package.json: +3 −3) say nothing about the file's size, and
 *        must not read as "an empty file"
 * - ndev distinct authors of earlier changes to the touched files
 * - age  mean days since each touched file's last earlier change (files seen
 *        before); unknown when no touched file was seen before
 * - nuc  distinct earlier changes that touched the files
 * - exp  earlier changes by the author, averaged over the release's changes
 * - rexp Σ 1 / (1 + years since each earlier change by the author), averaged
 * - sexp earlier changes by the author touching a subsystem the change touches, averaged
 */
export interface HistoryChange {
  author: string | null;
  createdAt: Date;
  files: readonly ChangedFile[];
}

export interface HistoryMetrics {
  lt?: number;
  ndev: number;
  age?: number;
  nuc: number;
  exp: number;
  rexp: number;
  sexp: number;
}

const DAY_MS = 86_400_000;
const YEAR_MS = 365.25 * DAY_MS;

/** `before` must already hold only changes made before `at` (the store query guarantees it). */
export function historyMetrics(release: readonly HistoryChange[], before: readonly HistoryChange[], at: Date): HistoryMetrics {
  const touched = new Set(release.flatMap((c) => c.files.map((f) => f.path)));
  const lines = new Map<string, number>();
  const lastChange = new Map<string, number>();
  const devs = new Set<string>();
  let nuc = 0;
  for (const c of before) {
    let hit = false;
    for (const f of c.files) {
      if (!touched.has(f.path)) continue;
      hit = true;
      lines.set(f.path, (lines.get(f.path) ?? 0) + f.additions - f.deletions);
      lastChange.set(f.path, Math.max(lastChange.get(f.path) ?? 0, c.createdAt.getTime()));
    }
    if (hit) {
      nuc++;
      if (c.author) devs.add(c.author);
    }
  }
  const ages = [...lastChange.values()].map((t) => (at.getTime() - t) / DAY_MS);
  const lt = [...lines.values()].reduce((s, x) => s + Math.max(0, x), 0);
  const perChange = release.map((c) => authorExperience(c, before, at));
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length);
  return {
    ...(lt > 0 ? { lt } : {}),
    ndev: devs.size,
    ...(ages.length > 0 ? { age: mean(ages) } : {}),
    nuc,
    exp: mean(perChange.map((e) => e.exp)),
    rexp: mean(perChange.map((e) => e.rexp)),
    sexp: mean(perChange.map((e) => e.sexp)),
  };
}

function authorExperience(change: HistoryChange, before: readonly HistoryChange[], at: Date) {
  if (!change.author) return { exp: 0, rexp: 0, sexp: 0 };
  const subsystems = new Set(change.files.map((f) => subsystemOf(f.path)));
  let exp = 0;
  let rexp = 0;
  let sexp = 0;
  for (const c of before) {
    if (c.author !== change.author) continue;
    exp++;
    rexp += 1 / (1 + Math.max(0, at.getTime() - c.createdAt.getTime()) / YEAR_MS);
    if (c.files.some((f) => subsystems.has(subsystemOf(f.path)))) sexp++;
  }
  return { exp, rexp, sexp };
}
