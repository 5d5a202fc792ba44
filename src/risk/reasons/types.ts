import { z } from 'zod';
import type { Evidence, Factor, Reason, Recommendation, RiskLevel } from '../../contracts/risk.js';
import type { FeatureVector } from '../features/names.js';

/** What the explanation layer gets: the decided numbers (read-only) and the evidence. */
export interface ReasonInput {
  release: { id: string; service: string; version: string; strategy?: string | null };
  probability: number;
  level: RiskLevel;
  recommendation: Recommendation;
  factors: Factor[];
  evidence: Evidence[];
  /** The features behind the factors (a ratio is told by its parts) and the risky paths by category. */
  context?: { features: FeatureVector; riskyPaths: Partial<Record<string, string[]>>; subsystems?: string[] };
}

/**
 * The only shape an LLM may answer in. There is deliberately no field for a
 * probability, level or recommendation: words may come from the model,
 * numbers and decisions do not.
 */
export const LlmAnswer = z.object({
  reasons: z
    .array(
      z.object({
        text: z.string(),
        citations: z.array(z.string()).max(10),
        quotes: z.array(z.string()).max(10).default([]),
      }),
    )
    .max(8),
});
export type LlmClaim = z.infer<typeof LlmAnswer>['reasons'][number];

/** A source of draft reasons (the LLM adapter in src/llm/); returns raw output for explain() to validate. */
export interface ReasonWriter {
  promptVersion: string;
  write(input: ReasonInput, signal: AbortSignal): Promise<unknown>;
}

export interface Explained {
  reasons: Reason[];
  llm: { used: boolean; promptVersion: string | null; droppedClaims: number };
  degraded: string[];
}
