import type { Reason } from '../../contracts/risk.js';
import { askWithin } from '../../contracts/llm.js';
import { deterministicReasons } from './deterministic.js';
import { LlmAnswer, type Explained, type ReasonInput, type ReasonWriter } from './types.js';
import { verifyClaims } from './verify.js';

export const DEFAULT_LLM_TIMEOUT_MS = 8000;

/**
 * Reasons for an assessment: deterministic ones always; with a writer, the
 * LLM's claims that survive verification go first. Nothing here can change
 * the probability, level or recommendation: they are inputs, not outputs.
 */
export async function explainRisk(input: ReasonInput, writer?: ReasonWriter, opts: { timeoutMs?: number } = {}): Promise<Explained> {
  const base = deterministicReasons(input);
  if (!writer) return { reasons: base, llm: { used: false, promptVersion: null, droppedClaims: 0 }, degraded: [] };
  const failed = (cause: string): Explained => ({
    reasons: base,
    llm: { used: false, promptVersion: writer.promptVersion, droppedClaims: 0 },
    degraded: [cause],
  });
  const answer = await askWithin((signal) => writer.write(input, signal), opts.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS);
  if (!answer.ok) return failed(answer.cause);
  const parsed = LlmAnswer.safeParse(answer.value);
  if (!parsed.success) return failed('llm_invalid_output');
  if (parsed.data.reasons.length === 0) return failed('llm_refused');
  const { kept, dropped } = verifyClaims(parsed.data.reasons, input);
  const seen = new Set(kept.map((r) => r.text.toLowerCase()));
  // The headline (probability, level, recommendation) always comes from the model; then verified LLM claims; then the rest.
  const [headline, ...rest] = base;
  const reasons: Reason[] = [headline!, ...kept, ...rest.filter((r) => !seen.has(r.text.toLowerCase()))];
  return {
    reasons,
    llm: { used: kept.length > 0, promptVersion: writer.promptVersion, droppedClaims: dropped },
    degraded: kept.length > 0 ? [] : ['llm_no_verified_claims'],
  };
}
