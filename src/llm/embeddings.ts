import { OpenAIEmbeddings } from '@langchain/openai';
import { AppError } from '../contracts/errors.js';
import type { Embedder } from '../contracts/embedder.js';

export interface OpenAIEmbedderOptions {
  /** e.g. "http://127.0.0.1:11434/v1"; default the OpenAI API. */
  baseURL?: string;
  /** Bearer token. Omitted: a placeholder is sent (local servers ignore it); process.env is never read here. */
  apiKey?: string;
  model: string;
  /** Expected vector length; also sent as `dimensions` (text-embedding-3 models shorten to it). */
  dimension: number;
  /** Per HTTP request, in ms; default 30 000. */
  timeoutMs?: number;
  /** Texts per request; default 128 (LangChain's 512 makes one slow request hold a whole ingest). */
  batchSize?: number;
  /** Retries after the first attempt, on 429/5xx/timeouts, with LangChain's backoff (1-2 s, then doubling); default 2. */
  maxRetries?: number;
}

/**
 * A failed embedding call. The message names the endpoint and never the key;
 * `retryable` tells the job layer whether another attempt can help.
 */
export class EmbeddingError extends AppError {
  constructor(
    message: string,
    retryable: boolean,
    /** The endpoint's HTTP status, when it answered. */
    readonly httpStatus?: number,
  ) {
    // A broken answer (wrong shape, zero vector) is as much "unavailable" as a timeout: the caller cannot fix it.
    super('unavailable', message, { retryable });
  }
}

/** An Embedder over any OpenAI-compatible `/embeddings` endpoint (OpenAI, vLLM, Ollama, llama.cpp, TEI). */
export function createOpenAIEmbedder(opts: OpenAIEmbedderOptions): Embedder {
  const { model, dimension } = opts;
  if (!Number.isInteger(dimension) || dimension <= 0) throw new Error(`embedding dimension must be a positive integer, got ${dimension}`);
  const endpoint = displayURL(opts.baseURL ?? 'https://api.openai.com/v1');
  const apiKey = opts.apiKey ?? 'unused';
  const client = new OpenAIEmbeddings({
    model,
    dimensions: dimension,
    apiKey,
    configuration: { baseURL: opts.baseURL },
    // The SDK asks for base64 by default and returns [] when a compatible server
    // answers with float arrays anyway (the SDK then returns [] without an error); floats are what every server supports.
    encodingFormat: 'float',
    // Embed the text we were given: newline stripping was a workaround for old models.
    stripNewLines: false,
    timeout: opts.timeoutMs ?? 30_000,
    batchSize: opts.batchSize ?? 128,
    maxRetries: opts.maxRetries ?? 2,
  });

  return {
    id: `openai:${model}`,
    dimension,
    async embed(texts: readonly string[]): Promise<number[][]> {
      if (texts.length === 0) return [];
      let raw: unknown[];
      try {
        raw = await client.embedDocuments([...texts]);
      } catch (err) {
        throw toEmbeddingError(err, endpoint, apiKey);
      }
      if (raw.length !== texts.length) {
        throw new EmbeddingError(`embedding endpoint ${endpoint} returned ${raw.length} vectors for ${texts.length} texts`, false);
      }
      return raw.map((v) => checkVector(v, dimension, endpoint));
    },
  };
}

/** Never store a wrong or empty vector: check length and values, then L2-normalise. */
function checkVector(value: unknown, dimension: number, endpoint: string): number[] {
  // A server that ignores encoding_format may still send base64 of little-endian float32.
  const v = typeof value === 'string' ? decodeBase64Floats(value) : value;
  if (!Array.isArray(v) && !(v instanceof Float32Array)) {
    throw new EmbeddingError(`embedding endpoint ${endpoint} returned a ${typeof v}, expected an array of ${dimension} numbers`, false);
  }
  if (v.length !== dimension) {
    throw new EmbeddingError(`embedding endpoint returned ${v.length} dimensions, expected ${dimension} (${endpoint})`, false);
  }
  let sq = 0;
  for (const x of v) {
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new EmbeddingError(`embedding endpoint ${endpoint} returned a non-finite value`, false);
    }
    sq += x * x;
  }
  // A zero vector has no direction; pgvector's cosine distance on it is NaN.
  if (sq === 0) throw new EmbeddingError(`embedding endpoint ${endpoint} returned a zero vector`, false);
  const norm = Math.sqrt(sq);
  return Array.from(v as ArrayLike<number>, (x) => x / norm);
}

function decodeBase64Floats(b64: string): Float32Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

function toEmbeddingError(err: unknown, endpoint: string, apiKey: string): EmbeddingError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: unknown; message?: unknown; status?: unknown };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const detail = redact(typeof e.message === 'string' ? e.message : String(err), apiKey);
  if (e.name === 'TimeoutError' || /timed? ?out/i.test(detail)) {
    return new EmbeddingError(`embedding request to ${endpoint} timed out`, true);
  }
  if (status !== undefined) {
    const retryable = status === 408 || status === 429 || status >= 500;
    // The SDK's message already starts with the status ("500 boom"); say it once.
    const reason = detail.startsWith(`${status} `) ? detail.slice(String(status).length + 1) : detail;
    return new EmbeddingError(`embedding request to ${endpoint} failed with HTTP ${status}: ${reason}`, retryable, status);
  }
  // No status: connection refused/reset, DNS, TLS. Worth another try later.
  return new EmbeddingError(`embedding request to ${endpoint} failed: ${detail}`, true);
}

/** Servers may echo the key (OpenAI's 401 shows part of it); cut it and any bearer token out. */
function redact(message: string, apiKey: string): string {
  let out = message.slice(0, 500);
  if (apiKey.length >= 4) out = out.split(apiKey).join('***');
  return out.replace(/(bearer\s+)\S+/gi, '$1***').replace(/\bsk-[A-Za-z0-9_*-]{6,}/g, 'sk-***');
}

/** The endpoint as shown in errors: no user:password, no query string. */
function displayURL(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return '<invalid base URL>';
  }
}
