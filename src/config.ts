import path from 'node:path';
import { z } from 'zod';
import { AppError } from './contracts/errors.js';
import { RiskPolicy, validatePolicy } from './risk/policy.js';

/**
 * The environment, parsed once at start-up. `process.env` is read nowhere
 * else; a bad value stops start-up with a message naming the variable.
 */
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());
const url = (protocols: string[]) =>
  z.url().refine((u) => protocols.some((p) => u.startsWith(p + '://')), {
    message: `must start with ${protocols.map((p) => p + '://').join(' or ')}`,
  });
const flag = (def: boolean) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
      .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
      .default(def),
  );

export const ConfigSchema = z.object({
  /** Absent → embedded PGlite with pgvector in SHIPCHECK_DATA_DIR. */
  DATABASE_URL: opt(url(['postgres', 'postgresql'])),
  /** Absent → in-process job runner. */
  REDIS_URL: opt(url(['redis', 'rediss'])),
  SHIPCHECK_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.shipcheck/db')),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8787)),
  /** Request bodies larger than this are refused with 413. */
  SHIPCHECK_MAX_BODY_BYTES: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .min(1024)
      .default(10 * 1024 * 1024),
  ),
  SHIPCHECK_EMBEDDER: z.preprocess(emptyAsUndefined, z.enum(['hashing', 'openai']).default('hashing')),
  /** Vector dimension of the index; recorded in the database. */
  SHIPCHECK_EMBED_DIM: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(8).max(4096).default(384)),
  OPENAI_BASE_URL: opt(url(['http', 'https'])),
  OPENAI_API_KEY: opt(z.string()),
  OPENAI_EMBEDDING_MODEL: z.preprocess(emptyAsUndefined, z.string().default('text-embedding-3-small')),
  OPENAI_CHAT_MODEL: z.preprocess(emptyAsUndefined, z.string().default('gpt-4o-mini')),
  /** `off` disables the optional LLM layer even when an endpoint is configured. */
  SHIPCHECK_LLM: z.preprocess(emptyAsUndefined, z.enum(['auto', 'off']).default('auto')),
  /** Milliseconds the optional LLM gets to explain an assessment before deterministic reasons are used. */
  SHIPCHECK_LLM_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(120_000).default(8000)),
  /** Risk levels per service, JSON (see src/risk/policy.ts); absent → the documented defaults. */
  SHIPCHECK_RISK_POLICY: opt(z.string()),
  /** Load the demo organisation into an empty embedded database on first start. */
  SHIPCHECK_DEMO: flag(true),
  SHIPCHECK_LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
  /** Concurrency of the ingest worker. */
  /** BullMQ queue name: separate deployments sharing one Redis need different names. */
  SHIPCHECK_QUEUE: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "_" or "-"')
      .default('shipcheck'),
  ),
  /** For CLI commands that talk to a running server instead of opening the database. */
  SHIPCHECK_SERVER: opt(url(['http', 'https'])),
  SHIPCHECK_TOKEN: opt(z.string()),
  SHIPCHECK_WORKER_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(64).default(2)),
  /** How long a webhook (a notification, the rollback hook) may take to answer, ms. */
  SHIPCHECK_WEBHOOK_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(100).max(60_000).default(5000)),
  /** The address people reach this server at: the links in advisor notifications. Default: http://HOST:PORT. */
  SHIPCHECK_PUBLIC_URL: opt(url(['http', 'https'])),
});

export type RawConfig = z.infer<typeof ConfigSchema>;

export interface Config {
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  redisUrl?: string;
  queueName: string;
  http: { host: string; port: number; maxBodyBytes: number };
  embedder: { provider: 'hashing' | 'openai'; dimension: number; model: string };
  llm: { enabled: boolean; baseURL?: string; apiKey?: string; chatModel: string; timeoutMs: number };
  riskPolicy: RiskPolicy;
  demo: boolean;
  logLevel: RawConfig['SHIPCHECK_LOG_LEVEL'];
  workerConcurrency: number;
  /** Defaults for the CLI's --server and --token. */
  client: { server?: string; token?: string };
  /** Where the first-start admin token is written (beside the data dir). */
  adminTokenFile: string;
  /** The links in advisor notifications start with this. */
  publicUrl: string;
  webhookTimeoutMs: number;
}

export class ConfigError extends AppError {
  constructor(readonly problems: string[]) {
    super('invalid_config', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function parseRiskPolicy(text: string | undefined): RiskPolicy {
  if (!text) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(['SHIPCHECK_RISK_POLICY: not valid JSON']);
  }
  const parsed = RiskPolicy.safeParse(json);
  if (!parsed.success) throw new ConfigError([`SHIPCHECK_RISK_POLICY: ${parsed.error.issues[0]?.message ?? 'invalid'}`]);
  const problems = validatePolicy(parsed.data);
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `SHIPCHECK_RISK_POLICY: ${p}`));
  return parsed.data;
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.SHIPCHECK_EMBEDDER === 'openai' && !e.OPENAI_BASE_URL && !e.OPENAI_API_KEY) {
    throw new ConfigError(['SHIPCHECK_EMBEDDER: "openai" needs OPENAI_BASE_URL and/or OPENAI_API_KEY']);
  }
  const dataDir = path.resolve(e.SHIPCHECK_DATA_DIR);
  return {
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir },
    redisUrl: e.REDIS_URL,
    queueName: e.SHIPCHECK_QUEUE,
    http: { host: e.HOST, port: e.PORT, maxBodyBytes: e.SHIPCHECK_MAX_BODY_BYTES },
    embedder: { provider: e.SHIPCHECK_EMBEDDER, dimension: e.SHIPCHECK_EMBED_DIM, model: e.OPENAI_EMBEDDING_MODEL },
    llm: {
      enabled: e.SHIPCHECK_LLM !== 'off' && Boolean(e.OPENAI_BASE_URL || e.OPENAI_API_KEY),
      baseURL: e.OPENAI_BASE_URL,
      apiKey: e.OPENAI_API_KEY,
      chatModel: e.OPENAI_CHAT_MODEL,
      timeoutMs: e.SHIPCHECK_LLM_TIMEOUT_MS,
    },
    riskPolicy: parseRiskPolicy(e.SHIPCHECK_RISK_POLICY),
    demo: e.SHIPCHECK_DEMO,
    logLevel: e.SHIPCHECK_LOG_LEVEL,
    workerConcurrency: e.SHIPCHECK_WORKER_CONCURRENCY,
    client: { server: e.SHIPCHECK_SERVER, token: e.SHIPCHECK_TOKEN },
    webhookTimeoutMs: e.SHIPCHECK_WEBHOOK_TIMEOUT_MS,
    publicUrl: e.SHIPCHECK_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
    adminTokenFile: path.join(path.dirname(dataDir), 'admin-token'),
  };
}
