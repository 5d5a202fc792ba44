import { z } from 'zod';
import { ServiceName } from './documents.js';
import { ApprovalAction, PolicyVerdict } from './governance.js';
import { MIN_INSTANT, MAX_INSTANT, Instant, Text } from './text.js';

/**
 * The rollback advisor's contracts: telemetry in, the rollout watch, the
 * metric configuration, the advisory out, and the decisions people record.
 * HTTP, CLI, jobs and the judge all read these shapes.
 */

/** Which traffic a sample measures: the canary, the baseline it is compared with, or the whole service (rolling, blue/green). */
export const MetricGroup = z.enum(['canary', 'baseline', 'all']);
export type MetricGroup = z.infer<typeof MetricGroup>;

/** Metric names as Prometheus spells them (letters, digits, `_`, `:`, `.`, `-`). */
export const MetricName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z_:][A-Za-z0-9_:.-]*$/, 'a metric name: letters, digits, _ : . - (starting with a letter, _ or :)');

const MIN_S = Date.parse(MIN_INSTANT) / 1000;
const MAX_S = Date.parse(MAX_INSTANT) / 1000;

/** A sample time: unix seconds (fractions allowed) or an ISO instant; handed on as epoch milliseconds. */
export const SampleTime = z.union([
  z
    .number()
    .finite()
    .min(MIN_S)
    .max(MAX_S)
    .transform((s) => Math.round(s * 1000)),
  Instant.transform((s) => Date.parse(s)),
]);

/** JSON cannot carry NaN or Infinity; a value must be a finite number (a string such as "NaN" is refused, naming the sample). */
export const TelemetrySampleInput = z.object({
  metric: MetricName,
  group: MetricGroup,
  ts: SampleTime,
  value: z.number().finite(),
});
export type TelemetrySampleInput = z.input<typeof TelemetrySampleInput>;
export type TelemetrySample = z.output<typeof TelemetrySampleInput>;

export const MAX_SAMPLES_PER_REQUEST = 10_000;
/** Deploy-log lines posted with a batch (the canary's and the baseline's), judged for new log templates. */
export const MAX_LOG_LINES_PER_REQUEST = 10_000;

export const LogLineInput = z.object({
  group: z.enum(['canary', 'baseline']),
  ts: SampleTime.optional(),
  line: Text.max(10_000),
});
export type LogLineInput = z.input<typeof LogLineInput>;

export const TelemetryRequest = z.object({
  samples: z.array(TelemetrySampleInput).max(MAX_SAMPLES_PER_REQUEST).default([]),
  logs: z.array(LogLineInput).max(MAX_LOG_LINES_PER_REQUEST).default([]),
});
export type TelemetryRequest = z.input<typeof TelemetryRequest>;

export const TelemetryAccepted = z.object({
  /** Samples new to the store; `duplicates` were stored before with the same value and count once. */
  stored: z.number().int(),
  duplicates: z.number().int(),
  logLines: z.number().int(),
  /** The advisory re-evaluated after this batch (absent when no rollout is watched). */
  advisory: z.lazy(() => Advisory).nullable(),
});

// ---- Metric configuration -------------------------------------------------------------------------------------------

export const Direction = z.enum(['increase_is_bad', 'decrease_is_bad', 'either']);
export type Direction = z.infer<typeof Direction>;

/** guardrail: must not get worse; primary: the metric the release is meant to move; diagnostic: shown, never decides. */
export const MetricRole = z.enum(['guardrail', 'primary', 'diagnostic']);
export type MetricRole = z.infer<typeof MetricRole>;

/**
 * gauge: a level per sample (latency, CPU), judged by a rank test;
 * count: events per sample interval (errors), judged as a rate over `denominator` (requests) with a rate test.
 */
export const MetricKind = z.enum(['gauge', 'count']);
export type MetricKind = z.infer<typeof MetricKind>;

export const MetricConfig = z.object({
  name: MetricName,
  kind: MetricKind.default('gauge'),
  /** For a count: the metric that counts the opportunities (requests). Without one, counts are compared as Poisson rates per sample interval. */
  denominator: MetricName.optional(),
  /** A count posted as a running counter (Prometheus `_total`); decreases are counter resets. */
  cumulative: z.boolean().default(false),
  direction: Direction.default('increase_is_bad'),
  role: MetricRole.default('guardrail'),
  /** A failing critical guardrail means roll back; a non-critical one means halt and look. */
  critical: z.boolean().default(false),
  /** The smallest effect that matters: relative to the baseline (0.1 = 10%) and absolute (e.g. an error-rate SLO of 0.01). */
  minEffect: z
    .object({
      relative: z.number().min(0).max(100).optional(),
      absolute: z.number().min(0).optional(),
    })
    .default({ relative: 0.1 }),
  /** Samples each side needs before this metric can pass or fail. */
  minSamples: z.number().int().min(3).max(100_000).default(10),
});
export type MetricConfigInput = z.input<typeof MetricConfig>;
export type MetricConfig = z.output<typeof MetricConfig>;

/** Error rate (errors over requests), latency and saturation: the metrics a service gets without configuring any. */
export const DEFAULT_METRICS: MetricConfigInput[] = [
  {
    name: 'errors',
    kind: 'count',
    denominator: 'requests',
    direction: 'increase_is_bad',
    role: 'guardrail',
    critical: true,
    minEffect: { relative: 0.5, absolute: 0.01 },
    minSamples: 10,
  },
  { name: 'latency_p99_ms', direction: 'increase_is_bad', role: 'guardrail', critical: true, minEffect: { relative: 0.2 }, minSamples: 10 },
  { name: 'cpu_utilisation', direction: 'increase_is_bad', role: 'diagnostic', minEffect: { relative: 0.25 }, minSamples: 10 },
];

/** A Prometheus source: the server and, per metric, the PromQL of the canary and of the baseline (or `all`). */
export const PrometheusSource = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** Poll period and the `step` of query_range, seconds. */
  stepSeconds: z.number().int().min(1).max(3600).default(30),
  queries: z
    .array(
      z.object({
        metric: MetricName,
        canary: Text.max(2000).optional(),
        baseline: Text.max(2000).optional(),
        all: Text.max(2000).optional(),
      }),
    )
    .min(1)
    .max(100),
});
export type PrometheusSource = z.infer<typeof PrometheusSource>;

/** PUT /v1/services/:name/metrics and the YAML file (`metrics:` list, optional `prometheus:`). */
export const ServiceMetricsInput = z.object({
  metrics: z.array(MetricConfig).min(1).max(100),
  prometheus: PrometheusSource.optional(),
});
export type ServiceMetricsInput = z.input<typeof ServiceMetricsInput>;

export const ServiceMetricsView = z.object({
  service: ServiceName,
  /** Whether these are the defaults (nothing configured for the service). */
  defaults: z.boolean(),
  metrics: z.array(MetricConfig),
  prometheus: PrometheusSource.nullable(),
  updatedAt: z.string().nullable(),
});
export type ServiceMetricsView = z.infer<typeof ServiceMetricsView>;

// ---- The rollout watch ----------------------------------------------------------------------------------------------

export const RolloutStrategy = z.enum(['canary', 'rolling', 'blue_green']);
export type RolloutStrategy = z.infer<typeof RolloutStrategy>;

export const RolloutStart = z.object({
  action: z.literal('start'),
  strategy: RolloutStrategy.default('canary'),
  /** Share of traffic the canary gets (0.05 = 5%): the expected canary/baseline traffic ratio. */
  canaryWeight: z.number().gt(0).lt(1).optional(),
  /** When the canary (or the deploy) started; before it is `before`, after it `after` for rolling and blue/green. */
  startedAt: Instant.optional(),
  /** The watch recommends promote only after this long with every guardrail passing (seconds). */
  minDurationSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86400)
    .default(600),
  /** After promotion the streaming detector watches the whole service this long (seconds; 0: not at all). */
  watchAfterPromotionSeconds: z
    .number()
    .int()
    .min(0)
    .max(30 * 86400)
    .default(3600),
  /** This rollout's metrics; the service's configuration (or the defaults) when absent. */
  metrics: z.array(MetricConfig).min(1).max(100).optional(),
  prometheus: PrometheusSource.optional(),
});

export const RolloutStop = z.object({
  action: z.literal('stop'),
  /** promoted: the release went out (the post-promotion watch starts); aborted: it was rolled back or abandoned. */
  result: z.enum(['promoted', 'aborted']).default('aborted'),
});

export const RolloutRequest = z.discriminatedUnion('action', [RolloutStart, RolloutStop]);
export type RolloutRequest = z.input<typeof RolloutRequest>;

export const WatchState = z.enum(['watching', 'promoted_watch', 'stopped']);
export type WatchState = z.infer<typeof WatchState>;

export const RolloutView = z.object({
  releaseId: z.string(),
  state: WatchState,
  strategy: RolloutStrategy,
  canaryWeight: z.number().nullable(),
  startedAt: z.string(),
  stoppedAt: z.string().nullable(),
  minDurationSeconds: z.number().int(),
  watchAfterPromotionSeconds: z.number().int(),
  metrics: z.array(MetricConfig),
  prometheus: PrometheusSource.nullable(),
});
export type RolloutView = z.infer<typeof RolloutView>;

// ---- The advisory ---------------------------------------------------------------------------------------------------

export const AdvisorAction = z.enum(['continue', 'halt', 'rollback', 'promote', 'insufficient_data', 'needs_human']);
export type AdvisorAction = z.infer<typeof AdvisorAction>;

export const MetricVerdictKind = z.enum(['pass', 'fail', 'inconclusive', 'no_data']);
export type MetricVerdictKind = z.infer<typeof MetricVerdictKind>;

export const MetricVerdict = z.object({
  name: z.string(),
  role: MetricRole,
  critical: z.boolean(),
  verdict: MetricVerdictKind,
  n: z.object({ canary: z.number().int(), baseline: z.number().int() }),
  medians: z.object({ canary: z.number().nullable(), baseline: z.number().nullable() }),
  /** Hodges–Lehmann shift (canary − baseline), or the rate difference for counts. */
  shift: z.number().nullable(),
  /** Its confidence interval at this look (valid under repeated looks). */
  interval: z.tuple([z.number(), z.number()]).nullable(),
  /** The shift relative to the baseline (0.25 = 25% worse or better). */
  effect: z.number().nullable(),
  /** The always-valid p-value, after the correction across this look's metrics. */
  pValue: z.number().nullable(),
  /** The test and rule that decided, in words ("Mann-Whitney U, …"). */
  rule: z.string(),
  /** The samples judged: canary and baseline windows, epoch-ms bounds. */
  window: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  /** The evidence id that opens this metric window at `GET /v1/evidence/:id` (set once the advisory is stored). */
  evidenceId: z.string().optional(),
});
export type MetricVerdict = z.infer<typeof MetricVerdict>;

export const IntegrityKind = z.enum([
  'traffic_ratio_mismatch',
  'gap',
  'stale',
  'counter_reset',
  'invalid_value',
  'metric_disappeared',
  'no_traffic',
  'late_start',
]);
export type IntegrityKind = z.infer<typeof IntegrityKind>;

export const IntegrityFinding = z.object({
  kind: IntegrityKind,
  metric: z.string().nullable(),
  group: MetricGroup.nullable(),
  /** blocking: the judge cannot trust this metric (it is no_data/inconclusive); warning: reported only. */
  severity: z.enum(['blocking', 'warning']),
  detail: z.string(),
});
export type IntegrityFinding = z.infer<typeof IntegrityFinding>;

export const LogSignature = z.object({
  templateId: z.string(),
  template: z.string(),
  canaryCount: z.number().int(),
  baselineCount: z.number().int(),
  /** Its count in the previous release's deploy logs, when those were ingested. */
  previousCount: z.number().int().nullable(),
  status: z.enum(['new', 'more_frequent']),
  sampleLine: z.string(),
  evidenceId: z.string().optional(),
});
export type LogSignature = z.infer<typeof LogSignature>;

export const AdvisoryEvidence = z.object({
  id: z.string(),
  kind: z.enum(['metric_window', 'log_template', 'incident', 'runbook', 'chunk']),
  title: z.string(),
  snippet: z.string(),
});

export const AdvisoryReason = z.object({ text: z.string(), citations: z.array(z.string()) });
export type AdvisoryReason = z.infer<typeof AdvisoryReason>;

export const Advisory = z.object({
  id: z.string(),
  releaseId: z.string(),
  /** Its place in the release's timeline (1, 2, …). */
  sequence: z.number().int(),
  action: AdvisorAction,
  /** How sure the judge is of the action, in [0, 1]. */
  confidence: z.number(),
  metrics: z.array(MetricVerdict),
  integrity: z.array(IntegrityFinding),
  logSignatures: z.array(LogSignature),
  evidence: z.array(AdvisoryEvidence),
  reasons: z.array(AdvisoryReason),
  requiresAcknowledgement: z.boolean(),
  /** Whether the LLM worded the reasons (they are checked either way). */
  reasonsBy: z.enum(['deterministic', 'llm']),
  /** The risk level that set the effect threshold, when the release was assessed. */
  riskLevel: z.string().nullable(),
  /** The watch phase that produced it: the canary judge or the post-promotion detector. */
  phase: z.enum(['rollout', 'after_promotion']),
  createdAt: z.string(),
});
export type Advisory = z.infer<typeof Advisory>;

export const AdviceView = z.object({
  /** Where the release stands under its policy (the rule that applies, what is missing). */
  policy: PolicyVerdict.optional(),
  rollout: RolloutView.nullable(),
  latest: Advisory.nullable(),
  history: z.array(Advisory).optional(),
});
export type AdviceView = z.infer<typeof AdviceView>;

// ---- Decisions ------------------------------------------------------------------------------------------------------

/**
 * The rollout decisions the advisor records. `acknowledge`: on-call saw the
 * advisory (it changes nothing); `override`: the emergency override, which
 * also lifts a policy hold.
 */
export const DecisionAction = z.enum(['rollback', 'continue', 'promote', 'halt', 'override', 'acknowledge']);
export type DecisionAction = z.infer<typeof DecisionAction>;
/** Every action a release's decision log holds: rollout decisions, approvals (governance), and notes approvals. */
export const RecordedAction = z.enum([...DecisionAction.options, ...ApprovalAction.options, 'approve_notes']);
export type RecordedAction = z.infer<typeof RecordedAction>;

/** POST /v1/releases/:id/decisions: a rollout decision (advisor) or an approval/rejection (governance). */
export const DecisionInput = z
  .object({
    action: z.enum([...DecisionAction.options, ...ApprovalAction.options]),
    reason: Text.trim().min(1).max(5000),
    /** The advisory a rollout decision answers; the latest when absent. */
    advisoryId: z.uuid().optional(),
    /** The assessment an approval answers; the latest when absent (an older one is refused). */
    assessmentId: z.uuid().optional(),
  })
  .strict();
export type DecisionInput = z.input<typeof DecisionInput>;

export const DecisionView = z.object({
  id: z.string(),
  releaseId: z.string(),
  action: RecordedAction,
  reason: z.string(),
  actor: z.string(),
  advisoryId: z.string().nullable(),
  /** The assessment an `approve` or `reject` answered. */
  assessmentId: z.string().nullable(),
  /** The action the advisory recommended when the decision was made. */
  advised: AdvisorAction.nullable(),
  /** The decision goes against the advice (kept as a label for the evals). */
  overridesAdvice: z.boolean(),
  /** The rollback hook's answer, when one is configured and the decision is a rollback. */
  hook: z.object({ status: z.number().int().nullable(), ok: z.boolean(), detail: z.string() }).nullable(),
  /** The release-notes version an `approve_notes` decision approved. */
  notesVersion: z.number().int().nullable(),
  createdAt: z.string(),
});
export type DecisionView = z.infer<typeof DecisionView>;

/** Webhooks per tenant (service null) or per service: notified when the recommended action changes. */
export const WebhookInput = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  format: z.enum(['slack', 'json']).default('json'),
  service: ServiceName.optional(),
  /** Called only after a recorded human rollback decision (never by shipcheck on its own). */
  purpose: z.enum(['notify', 'rollback_hook']).default('notify'),
});
export type WebhookInput = z.input<typeof WebhookInput>;
