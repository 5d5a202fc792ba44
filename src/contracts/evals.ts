import { z } from 'zod';

/** One historical release (or change) with its outcome, as the eval harness replays it. */
export const Outcome = z.enum(['success', 'failure']);
export type Outcome = z.infer<typeof Outcome>;

export interface HistoryRecord {
  id: string;
  service: string;
  /** When it was deployed: the replay's clock. */
  at: Date;
  outcome: Outcome;
  /** The 14 just-in-time change metrics (ns, nd, nf, entropy, la, ld, lt, fix, ndev, age, nuc, exp, rexp, sexp) where known. */
  metrics: Record<string, number>;
  /**
   * When the outcome became known (a history imported from git: when the fix landed, or when the
   * change matured clean). The replay trains on it only from then on; absent: `at` plus the label delay.
   */
  outcomeAt?: Date;
}

export const GATE_CAPTURE_AT = [5, 10, 20, 50] as const;

/** Figures of one model on one test set; undefined where a figure is undefined (e.g. AUC of a single class). */
export const ModelMetrics = z.object({
  n: z.number().int(),
  failures: z.number().int(),
  auc: z.number().nullable(),
  prAuc: z.number().nullable(),
  brier: z.number(),
  brierSkill: z.number().nullable(),
  ece: z.number(),
  gateCapture: z.object({
    '5': z.number().nullable(),
    '10': z.number().nullable(),
    '20': z.number().nullable(),
    '50': z.number().nullable(),
  }),
  popt: z.number().nullable(),
  recallAt20Effort: z.number().nullable(),
  threshold: z.number(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
});
export type ModelMetrics = z.infer<typeof ModelMetrics>;

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanPredicted: number | null;
  observedRate: number | null;
}

/** What a report renders: every figure plus the raw series the plots need. */
export interface EvalReport {
  title: string;
  dataset: string;
  split: string;
  ranAt: string;
  n: { train: number; test: number; testFailures: number };
  models: Record<
    string,
    {
      version: string;
      metrics: ModelMetrics;
      roc: { fpr: number; tpr: number }[];
      reliability: ReliabilityBin[];
      /** Share of failures caught when gating the top x% riskiest, x = 0..100. */
      gateCurve: { percent: number; captured: number }[];
      /** Predicted probabilities split by outcome, for the histogram. */
      histogram: { bins: number[]; success: number[]; failure: number[] };
      perService: { service: string; n: number; failures: number; auc: number | null; brier: number }[];
    }
  >;
  notes: string[];
}
