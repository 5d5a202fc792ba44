import { AppError } from './errors.js';

/**
 * What every optional LLM call shares (risk reasons, release-notes wording):
 * the refusal error the model adapters raise, and one deadline that names how
 * a call failed. Its causes are the `degraded` words answers carry.
 */

/** The LLM declined to answer (a refusal, or an empty answer): the deterministic words stand. */
export class LlmRefusalError extends AppError {
  constructor(message: string) {
    super('unavailable', message, { retryable: false });
  }
}

export type LlmFailure = 'llm_timeout' | 'llm_refused' | 'llm_invalid_output' | 'llm_unavailable';

/** A failed call as the `degraded` word that names its cause. */
function failureOf(err: unknown, timedOut: boolean): LlmFailure {
  if (timedOut) return 'llm_timeout';
  if (err instanceof LlmRefusalError) return 'llm_refused';
  if (err instanceof SyntaxError || (err as { name?: string })?.name === 'OutputParserException') return 'llm_invalid_output';
  return 'llm_unavailable';
}

/**
 * Runs `call` with an abort signal that fires after `timeoutMs`, and answers
 * its value or why there is none. Never throws: a slow, failing or refusing
 * model leaves the caller's deterministic answer standing.
 */
export async function askWithin<T>(
  call: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
): Promise<{ ok: true; value: T } | { ok: false; cause: LlmFailure }> {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return { ok: true, value: await Promise.race([call(controller.signal), deadline]) };
  } catch (err) {
    return { ok: false, cause: failureOf(err, timedOut) };
  } finally {
    clearTimeout(timer);
  }
}
