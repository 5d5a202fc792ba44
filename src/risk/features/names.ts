import { RECENT_INCIDENT_DAYS } from './context.js';

/**
 * Every feature the risk model may use, with how the model transforms it.
 * `count` features are heavy-tailed (a 10,000-line change must not dominate):
 * the model takes log1p of them. `share` and `flag` features are already
 * bounded and enter as they are.
 *
 * `raises`: the input can only add to the risk, whatever a short history
 * suggests (the model keeps its weight non-negative; see model/linear.ts).
 * `lowers`: the other way (more days since the area last failed never
 * raises the risk).
 *
 * Imported history (e.g. published just-in-time defect datasets) carries only the 14 JIT metrics;
 * releases stored through the API carry all of them. A model uses the
 * features its training rows carry.
 */
export const FEATURES = {
  // The 14 just-in-time metrics (Kamei et al., TSE 2013), over the release's changes.
  ns: { transform: 'count', label: 'subsystems touched' },
  nd: { transform: 'count', label: 'directories touched' },
  nf: { transform: 'count', label: 'files touched' },
  entropy: { transform: 'share', label: 'spread of the change over files (entropy)' },
  la: { transform: 'count', label: 'lines added' },
  ld: { transform: 'count', label: 'lines deleted' },
  lt: { transform: 'count', label: 'lines in the touched files before' },
  fix: { transform: 'flag', label: 'is a bug fix' },
  ndev: { transform: 'count', label: 'developers who changed these files before' },
  age: { transform: 'count', label: 'days since the files last changed (mean)' },
  nuc: { transform: 'count', label: 'earlier changes to these files' },
  exp: { transform: 'count', label: 'author experience (changes)' },
  rexp: { transform: 'count', label: 'author recent experience' },
  sexp: { transform: 'count', label: 'author experience in these subsystems' },
  // Release context.
  risky_migration: { transform: 'flag', label: 'touches database migrations', raises: true },
  risky_infra: { transform: 'flag', label: 'touches infrastructure (Terraform, Helm, Kubernetes, Docker)', raises: true },
  risky_auth: { transform: 'flag', label: 'touches authentication or authorisation code', raises: true },
  risky_config: { transform: 'flag', label: 'touches configuration', raises: true },
  risky_deps: { transform: 'flag', label: 'touches dependency manifests or lock files', raises: true },
  flags_touched: { transform: 'count', label: 'feature flags touched' },
  strategy_canary: { transform: 'flag', label: 'canary rollout' },
  strategy_blue_green: { transform: 'flag', label: 'blue/green rollout' },
  strategy_flag: { transform: 'flag', label: 'behind a feature flag' },
  off_hours: { transform: 'flag', label: 'deployed off hours (before 08:00 or from 19:00 UTC)' },
  pre_weekend: { transform: 'flag', label: 'deployed on Friday afternoon or at the weekend' },
  recent_failure_rate: { transform: 'share', label: "service's recent failure rate (smoothed)", raises: true },
  recent_incidents: { transform: 'count', label: `incidents on the service in the last ${RECENT_INCIDENT_DAYS} days`, raises: true },
  similar_failure_share: { transform: 'share', label: 'failure share among the most similar past releases', raises: true },
  // Failure history: earlier changes joined to their release's outcome as known at the release time (failure-history.ts).
  file_failure_rate: { transform: 'share', label: 'failure rate of earlier changes to these files (smoothed)', raises: true },
  author_failure_rate: { transform: 'share', label: "failure rate of the authors' earlier changes (smoothed)", raises: true },
  days_since_area_failure: {
    transform: 'count',
    label: 'days since a change to these subsystems last shipped in a failed release',
    lowers: true,
  },
} as const;

export type FeatureName = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as FeatureName[];
export type FeatureVector = Partial<Record<FeatureName, number>>;
