import type { ChatOpenAI } from '@langchain/openai';
import { LlmRefusalError } from '../risk/ports.js';

/**
 * One JSON answer from a chat model: the system and user messages in, the
 * parsed JSON out (a ```json fence tolerated). A refusal or an empty answer
 * is an LlmRefusalError; the caller validates the shape.
 */
export async function chatJson(chat: ChatOpenAI, system: string, user: string, signal: AbortSignal): Promise<unknown> {
  const msg = await chat.invoke(
    [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    { signal, response_format: { type: 'json_object' } } as never,
  );
  const refusal = (msg.additional_kwargs as { refusal?: string } | undefined)?.refusal;
  const content = typeof msg.content === 'string' ? msg.content : msg.content.map((p) => ('text' in p ? p.text : '')).join('');
  if (refusal || !content.trim()) throw new LlmRefusalError(refusal ?? 'empty answer');
  return parseAnswer(content);
}

/** JSON from a chat answer, tolerating a ```json fence around it. */
export function parseAnswer(content: string): unknown {
  const trimmed = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  return JSON.parse(trimmed);
}
