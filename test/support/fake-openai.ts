/**
 * A scripted OpenAI-compatible server for tests: real HTTP on 127.0.0.1, so the
 * real SDK path (serialisation, retries, timeouts) is exercised with no network.
 *
 * - POST /v1/embeddings: deterministic vectors derived from each input text.
 * - POST /v1/chat/completions: replies taken in order from a script; when the
 *   script is exhausted, HTTP 500 "script exhausted" (a test that calls more
 *   often than it planned fails loudly instead of cycling).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
}

export type Reply =
  /** Text in choices[0].message.content (JSON text for structured output). */
  | { content: string }
  /** One tool call in choices[0].message.tool_calls; `arguments` objects are JSON-encoded. */
  | { toolCall: { name: string; arguments: string | Record<string, unknown> } }
  /** An error or any other status, with a JSON body. */
  | { status: number; body: unknown; headers?: Record<string, string> }
  /** Waits before answering (timeout tests), then sends `then` or the route's normal reply (chat: empty content). */
  | { stallMs: number; then?: Reply }
  /** A 200 whose body is this text verbatim (invalid JSON, truncated output). */
  | { raw: string };

export type ScriptStep = Reply | ((req: RecordedRequest) => Reply);

export interface EmbeddingsOptions {
  /** Vector length when the request has no `dimensions`; default 8. */
  defaultDimension?: number;
  /** Always answer with this many numbers, whatever was asked (wrong-dimension tests). */
  forceDimension?: number;
  /** Ignore encoding_format and always send float arrays (the SDK then returns [] silently) or base64. */
  forceEncoding?: 'float' | 'base64';
  /** Replies served before normal embeddings, one per request, in order (errors, stalls). */
  script?: ScriptStep[];
}

export interface FakeOpenAI {
  /** e.g. "http://127.0.0.1:41234/v1" */
  baseURL: string;
  requests: RecordedRequest[];
  /** Appends chat replies to the script. */
  pushChat(...steps: ScriptStep[]): void;
  close(): Promise<void>;
}

/** The vector the fake returns for `text`: deterministic, non-zero, not normalised. */
export function fakeVector(text: string, dimension: number): number[] {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  const v: number[] = [];
  for (let i = 0; i < dimension; i++) {
    // xorshift32 seeded by the text hash
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    v.push(((h >>> 0) / 2 ** 32) * 2 - 1 || 0.5);
  }
  return v;
}

export async function startFakeOpenAI(opts: { chat?: ScriptStep[]; embeddings?: EmbeddingsOptions } = {}): Promise<FakeOpenAI> {
  const chat = [...(opts.chat ?? [])];
  const embedScript = [...(opts.embeddings?.script ?? [])];
  const requests: RecordedRequest[] = [];
  // Stalled replies hold timers; close() cancels them so tests end promptly.
  const stalls = new Set<{ timer: NodeJS.Timeout; res: ServerResponse }>();

  const server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0] ?? '',
        headers: req.headers,
        body: parseJSON(text),
      };
      requests.push(recorded);
      if (req.method !== 'POST') return send(res, { status: 405, body: { error: { message: 'method not allowed' } } });
      if (recorded.path === '/v1/chat/completions') {
        const step = chat.shift();
        if (!step) return send(res, { status: 500, body: { error: { message: 'script exhausted', type: 'server_error' } } });
        return send(res, typeof step === 'function' ? step(recorded) : step, recorded, () => ({ content: '' }));
      }
      if (recorded.path === '/v1/embeddings') {
        const normal = () => embeddingsReply(recorded.body, opts.embeddings ?? {});
        const step = embedScript.shift();
        return send(res, step ? (typeof step === 'function' ? step(recorded) : step) : normal(), recorded, normal);
      }
      send(res, { status: 404, body: { error: { message: `no route ${recorded.path}` } } });
    });
  });

  function send(res: ServerResponse, reply: Reply, req?: RecordedRequest, normal?: () => Reply): void {
    if ('stallMs' in reply) {
      const entry = {
        res,
        timer: setTimeout(() => {
          stalls.delete(entry);
          send(res, reply.then ?? normal?.() ?? { content: '' }, req, normal);
        }, reply.stallMs),
      };
      stalls.add(entry);
      // The client gave up: stop the timer now rather than at close().
      res.once('close', () => {
        clearTimeout(entry.timer);
        stalls.delete(entry);
      });
      return;
    }
    if (res.destroyed) return; // the client gave up (timeout) while we stalled
    if ('raw' in reply) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(reply.raw);
      return;
    }
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(chatCompletion(reply, req)));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    pushChat: (...steps) => void chat.push(...steps),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of stalls) {
          clearTimeout(s.timer);
          s.res.destroy();
        }
        stalls.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function embeddingsReply(body: unknown, opts: EmbeddingsOptions): Reply {
  const b = (body ?? {}) as { input?: unknown; model?: unknown; dimensions?: unknown; encoding_format?: unknown };
  const inputs = typeof b.input === 'string' ? [b.input] : Array.isArray(b.input) ? b.input : null;
  if (!inputs || inputs.some((t) => typeof t !== 'string')) {
    return { status: 400, body: { error: { message: "'input' must be a string or an array of strings", type: 'invalid_request_error' } } };
  }
  const dimension = opts.forceDimension ?? (typeof b.dimensions === 'number' ? b.dimensions : (opts.defaultDimension ?? 8));
  const encoding = opts.forceEncoding ?? (b.encoding_format === 'base64' ? 'base64' : 'float');
  const data = (inputs as string[]).map((text, index) => {
    const v = fakeVector(text, dimension);
    return {
      object: 'embedding',
      index,
      embedding: encoding === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v,
    };
  });
  const tokens = (inputs as string[]).reduce((n, t) => n + Math.ceil(t.length / 4), 0);
  return {
    status: 200,
    body: { object: 'list', data, model: String(b.model ?? 'fake'), usage: { prompt_tokens: tokens, total_tokens: tokens } },
  };
}

function chatCompletion(
  reply: { content: string } | { toolCall: { name: string; arguments: string | Record<string, unknown> } },
  req?: RecordedRequest,
) {
  const model = String((req?.body as { model?: unknown } | undefined)?.model ?? 'fake-chat');
  const message =
    'content' in reply
      ? { role: 'assistant', content: reply.content }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: {
                name: reply.toolCall.name,
                arguments:
                  typeof reply.toolCall.arguments === 'string' ? reply.toolCall.arguments : JSON.stringify(reply.toolCall.arguments),
              },
            },
          ],
        };
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [{ index: 0, message, finish_reason: 'content' in reply ? 'stop' : 'tool_calls', logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
