import { ChatOpenAI } from '@langchain/openai';
import { LlmRefusalError } from '../contracts/llm.js';

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

export interface ChatConfig {
  baseURL?: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
}

/** A deterministic (temperature 0) chat model on any OpenAI-compatible endpoint, retried once. */
export function createChat(cfg: ChatConfig): ChatOpenAI {
  return new ChatOpenAI({
    model: cfg.model,
    apiKey: cfg.apiKey ?? 'unused',
    configuration: { baseURL: cfg.baseURL },
    temperature: 0,
    maxRetries: 1,
    timeout: cfg.timeoutMs ?? 8000,
  });
}
