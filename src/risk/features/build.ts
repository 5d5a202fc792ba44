import { deriveMetrics, subsystemOf } from './change-metrics.js';
import { FEATURE_NAMES, type FeatureName, type FeatureVector } from './names.js';
import { isOffHours, isPreWeekend, similarFailureShare, smoothedFailureRate, type SimilarRelease } from './context.js';
import { failureHistory, type PastChange } from './failure-history.js';
import { historyMetrics, type HistoryChange } from './history-metrics.js';
import { riskyPathsOf, type RiskyCategory } from './risky-paths.js';

export interface FeatureChange extends HistoryChange {
  title: string;
  labels: readonly string[];
}

/**
 * Everything the features of one release may depend on, already cut at the
 * release time by the caller: nothing in here may be from after `at`.
 */
export interface FeatureInput {
  at: Date;
  strategy: string | null;
  flags: readonly string[];
  changes: readonly FeatureChange[];
  /** Precomputed JIT metrics (imported history); they win over derived ones. */
  metrics?: Record<string, number> | null;
  /** The service's earlier changes (file and author history), newest first, with their release's outcome as known at `at`. */
  changesBefore: readonly PastChange[];
  /** The service's outcomes known before `at`, oldest first. */
  outcomesBefore: readonly string[];
  /** The tenant's failure rate known before `at`: the smoothing prior. */
  tenantRate: number;
  /** Incidents on the service that started in the RECENT_INCIDENT_DAYS before `at`. */
  recentIncidents: number;
  similar: readonly SimilarRelease[];
}

export interface BuiltFeatures {
  features: FeatureVector;
  /** The touched paths behind each risky_* feature: the factors cite them. */
  riskyPaths: Map<RiskyCategory, string[]>;
  /** The touched subsystems behind ns, sorted (imported metrics may count others: compare before naming them). */
  subsystems: string[];
}

/** The model input each risky-path category sets. */
export const RISKY_FEATURE: Record<RiskyCategory, FeatureName> = {
  migration: 'risky_migration',
  infra: 'risky_infra',
  auth: 'risky_auth',
  config: 'risky_config',
  deps: 'risky_deps',
};

/** Pure: the same input gives the same features, whatever the store holds now. */
export function buildFeatures(input: FeatureInput): BuiltFeatures {
  const f: FeatureVector = {};
  const hasChanges = input.changes.some((c) => c.files.length > 0);
  if (hasChanges) {
    Object.assign(
      f,
      deriveMetrics(input.changes),
      historyMetrics(input.changes, input.changesBefore, input.at),
      failureHistory(input.changes, input.changesBefore, input.at, input.tenantRate),
    );
  }
  for (const [k, v] of Object.entries(input.metrics ?? {})) {
    if ((FEATURE_NAMES as string[]).includes(k) && Number.isFinite(v)) f[k as FeatureName] = v;
  }
  const paths = [...new Set(input.changes.flatMap((c) => c.files.map((x) => x.path)))];
  const riskyPaths = riskyPathsOf(paths);
  if (hasChanges) for (const [cat, name] of Object.entries(RISKY_FEATURE)) f[name] = riskyPaths.has(cat as RiskyCategory) ? 1 : 0;
  f.flags_touched = input.flags.length;
  f.strategy_canary = input.strategy === 'canary' ? 1 : 0;
  f.strategy_blue_green = input.strategy === 'blue_green' ? 1 : 0;
  f.strategy_flag = input.strategy === 'flag' ? 1 : 0;
  f.off_hours = isOffHours(input.at) ? 1 : 0;
  f.pre_weekend = isPreWeekend(input.at) ? 1 : 0;
  f.recent_failure_rate = smoothedFailureRate(input.outcomesBefore, input.tenantRate);
  f.recent_incidents = input.recentIncidents;
  const share = similarFailureShare(input.similar);
  if (share !== undefined) f.similar_failure_share = share;
  return { features: f, riskyPaths, subsystems: [...new Set(paths.map(subsystemOf))].sort() };
}
