import type { Reason } from '../../contracts/risk.js';
import { LlmRefusalError } from '../errors.js';
import { deterministicReasons } from './deterministic.js';
import { LlmAnswer, type Explained, type ReasonInput, type ReasonWriter } from './types.js';
import { verifyClaims } from './verify.js';

export const DEFAULT_LLM_TIMEOUT_MS = 8000;

/** A failure of the writer as the `degraded` entry that names its cause. */
function causeOf(err: unknown, timedOut: boolean): string {
  if (timedOut) return 'llm_timeout';
  if (err instanceof LlmRefusalError) return 'llm_refused';
  if (err instanceof SyntaxError || (err as { name?: string })?.name === 'OutputParserException') return 'llm_invalid_output';
  return 'llm_unavailable';
}

/**
 * Reasons for an assessment: deterministic ones always; with a writer, the
 * LLM's claims that survive verification go first. Nothing here can change
 * the probability, level or recommendation: they are inputs, not outputs.
 */
export async function explainRisk(input: ReasonInput, writer?: ReasonWriter, opts: { timeoutMs?: number } = {}): Promise<Explained> {
  const base = deterministicReasons(input);
  if (!writer) return { reasons: base, llm: { used: false, promptVersion: null, droppedClaims: 0 }, degraded: [] };
  const controller = new AbortController();
  let timedOut = false;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  const failed = (cause: string): Explained => ({
    reasons: base,
    llm: { used: false, promptVersion: writer.promptVersion, droppedClaims: 0 },
    degraded: [cause],
  });
  let raw: unknown;
  try {
    raw = await Promise.race([writer.write(input, controller.signal), deadline]);
  } catch (err) {
    return failed(causeOf(err, timedOut));
  } finally {
    clearTimeout(timer);
  }
  const parsed = LlmAnswer.safeParse(raw);
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
