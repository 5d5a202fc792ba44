/**
 * What an answer must be: no 5xx, every error in the one JSON envelope
 * (`{ error: { code, message, requestId } }`) with a code whose status is the
 * status sent, and no 2xx for another tenant's record.
 */
import { ERROR_STATUS, ErrorEnvelope } from '../../src/contracts/errors.js';
import type { FuzzRequest } from './requests.js';
import type { Answer } from './send.js';

export type Verdict = 'ok' | 'server_error' | 'not_envelope' | 'leak' | 'no_answer';

/** Why an error answer is not the envelope, or undefined when it is. */
export function envelopeProblem(status: number, contentType: string, text: string): string | undefined {
  if (!/^application\/json\b/i.test(contentType)) return `content-type ${contentType || '(none)'}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  const parsed = ErrorEnvelope.safeParse(json);
  if (!parsed.success) return `not the envelope: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`;
  const expected = ERROR_STATUS[parsed.data.error.code];
  if (expected !== status) return `code ${parsed.data.error.code} means ${expected}, sent with ${status}`;
  return undefined;
}

export function judge(req: FuzzRequest, answer: Answer): { verdict: Verdict; problem?: string } {
  if (!answer.ok) {
    // The client refused to send it: not the server's doing.
    if (answer.error.startsWith('not sent')) return { verdict: 'ok' };
    return { verdict: 'no_answer', problem: answer.error };
  }
  const { status } = answer;
  if (status >= 500) return { verdict: 'server_error', problem: `${status}: ${answer.text.slice(0, 300)}` };
  if (req.crossTenant && status < 300 && req.method !== 'OPTIONS') {
    return { verdict: 'leak', problem: `${status} for another tenant's record` };
  }
  if (status >= 400 && req.method !== 'HEAD') {
    const problem = envelopeProblem(status, answer.contentType, answer.text);
    if (problem) return { verdict: 'not_envelope', problem };
  }
  return { verdict: 'ok' };
}
