/**
 * The judge's own types: what one look at a rollout's telemetry sees, and
 * what it answers. The judge is pure and deterministic: the same input gives
 * the same answer, and it sees nothing after `now`.
 */
import type {
  AdvisorAction,
  IntegrityFinding,
  MetricConfig,
  MetricGroup,
  MetricVerdict,
  RolloutStrategy,
} from '../../contracts/advisor.js';
import type { RiskLevel } from '../../contracts/risk.js';

/** One metric's samples for one group, as [epoch ms, value], in time order, one per timestamp. */
export interface Series {
  metric: string;
  group: MetricGroup;
  points: ReadonlyArray<readonly [number, number]>;
}

/**
 * What the judge remembers between looks of one rollout (JSON, stored with
 * each advisory): the sequential method's bookkeeping. A first look passes
 * none.
 */
export type JudgeState = Record<string, unknown>;

export interface JudgeInput {
  strategy: RolloutStrategy;
  /** When the canary (or deploy) started, epoch ms: rolling and blue/green compare after it with before it. */
  startedAt: number;
  /** The look's time, epoch ms: samples after it are not seen. */
  now: number;
  metrics: readonly MetricConfig[];
  series: readonly Series[];
  /** The canary's share of traffic, when known (the traffic-ratio check compares against it). */
  canaryWeight: number | null;
  /** The release's assessed risk level: a high-risk release gets a stricter effect threshold. */
  riskLevel: RiskLevel | null;
  /** Promote only after this long since `startedAt` with every guardrail passing. */
  minDurationMs: number;
  /** The expected spacing of samples (e.g. the Prometheus step), when known; inferred from the data otherwise. */
  expectedIntervalMs?: number;
  state?: JudgeState;
}

/** A sentence of the judge's own (deterministic) explanation, naming the metrics it rests on (their evidence ids are the citations). */
export interface JudgeReason {
  text: string;
  metrics: string[];
}

export interface Judgement {
  action: AdvisorAction;
  /** In [0, 1]: how sure the judge is of the action. */
  confidence: number;
  metrics: MetricVerdict[];
  integrity: IntegrityFinding[];
  /** Pass to the next look of the same rollout. */
  state: JudgeState;
  /** Why: the action first, then each deciding metric and each blocking finding. */
  reasons: JudgeReason[];
}
