/**
 * The fuzzing loop: reads the routes from /openapi.json, seeds the records
 * requests point at, then sends `requests` seeded requests (at most
 * `concurrency` at a time, stopping early when `seconds` have passed) and
 * judges each answer. Memory is sampled throughout.
 */
import http from 'node:http';
import { z } from 'zod';
import { RssMonitor } from '../../bench/rss.js';
import { DocumentInput } from '../../src/contracts/documents.js';
import { judge, type Verdict } from './check.js';
import { buildRequest, type Credentials, type FuzzRequest } from './requests.js';
import { seedData } from './seed.js';
import { send } from './send.js';
import { readOperations, type JsonSchema } from './spec.js';

export interface FuzzOptions {
  url: string;
  credentials: Credentials;
  seed: number;
  requests: number;
  seconds: number;
  concurrency: number;
  /** Per request; an answer later than this counts as none. */
  timeoutMs?: number;
  /** Replay these request indexes only (from a report), instead of 0..requests-1. */
  only?: number[];
  onProgress?: (sent: number) => void;
}

export interface Finding {
  index: number;
  route: string;
  method: string;
  url: string;
  token: string;
  mutations: string[];
  contentType?: string;
  /** The start of the body sent. */
  body?: string;
  problem: string;
}

export interface FuzzReport {
  seed: number;
  planned: number;
  sent: number;
  seconds: number;
  stoppedByTime: boolean;
  routes: number;
  byStatus: Record<string, number>;
  byRoute: Record<string, Record<string, number>>;
  /** Error answers (4xx/5xx) and how many of them were the envelope. */
  errors: number;
  inEnvelope: number;
  mutated: number;
  /** How many answers failed each check… */
  counts: Record<Exclude<Verdict, 'ok'>, number>;
  /** …and the first of them in full, to reproduce with --only. */
  findings: Record<Exclude<Verdict, 'ok'>, Finding[]>;
  /** Statuses a route answered that its OpenAPI entry does not list (informational). */
  undeclared: Record<string, number>;
  /** RSS of this process (the server, its PGlite, and the client) at the start, highest, end, and every 1,000 requests. */
  rss: { startMb: number; peakMb: number; endMb: number; every1000: number[] };
}

/** The items of POST /v1/documents are validated one by one, so the document leaves them open: fuzz them as documents. */
const HINTS: Record<string, JsonSchema> = {
  'documents[]': z.toJSONSchema(DocumentInput, { io: 'input', unrepresentable: 'any' }) as JsonSchema,
};

/** Findings kept in full per kind (the counts cover all of them). */
const KEEP_FINDINGS = 25;

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function finding(req: FuzzRequest, problem: string): Finding {
  return {
    index: req.index,
    route: req.route,
    method: req.method,
    url: req.url.length > 300 ? `${req.url.slice(0, 300)}… (${req.url.length} chars)` : req.url,
    token: req.token,
    mutations: req.mutations,
    ...(req.headers['content-type'] !== undefined ? { contentType: req.headers['content-type'] } : {}),
    ...(req.body
      ? {
          body:
            req.body.length > 500 ? `${req.body.subarray(0, 500).toString('utf8')}… (${req.body.length} bytes)` : req.body.toString('utf8'),
        }
      : {}),
    problem,
  };
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const ops = await readOperations(opts.url);
  const pools = await seedData(opts.url, opts.credentials, opts.seed);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const monitor = new RssMonitor(50);
  monitor.begin('fuzz');

  const indexes = opts.only ?? Array.from({ length: opts.requests }, (_, i) => i);
  const report: FuzzReport = {
    seed: opts.seed,
    planned: indexes.length,
    sent: 0,
    seconds: 0,
    stoppedByTime: false,
    routes: ops.length,
    byStatus: {},
    byRoute: {},
    errors: 0,
    inEnvelope: 0,
    mutated: 0,
    counts: { server_error: 0, not_envelope: 0, leak: 0, no_answer: 0 },
    findings: { server_error: [], not_envelope: [], leak: [], no_answer: [] },
    undeclared: {},
    rss: { startMb: 0, peakMb: 0, endMb: 0, every1000: [] },
  };
  const started = performance.now();
  const deadline = started + opts.seconds * 1000;
  let next = 0;

  async function worker() {
    while (next < indexes.length) {
      if (performance.now() > deadline) {
        report.stoppedByTime = true;
        return;
      }
      const index = indexes[next++]!;
      const req = buildRequest(index, opts.seed, ops, pools, opts.credentials, HINTS);
      const answer = await send(opts.url, req, agent, timeoutMs);
      report.sent++;
      if (req.mutations.length > 0 || req.token !== 'admin') report.mutated++;
      const status = answer.ok ? String(answer.status) : 'none';
      report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
      const route = (report.byRoute[req.route] ??= {});
      route[status] = (route[status] ?? 0) + 1;
      // HEAD answers carry no body, so only the others' errors are judged for the envelope.
      const judgedError = answer.ok && answer.status >= 400 && req.method !== 'HEAD';
      if (judgedError) report.errors++;
      const op = ops.find((o) => `${o.method} ${o.path}` === req.route);
      if (answer.ok && op && req.method === op.method && !op.declared.has(answer.status) && answer.status !== 404) {
        const key = `${req.route} → ${answer.status}`;
        report.undeclared[key] = (report.undeclared[key] ?? 0) + 1;
      }
      const { verdict, problem } = judge(req, answer);
      if (judgedError && verdict !== 'not_envelope') report.inEnvelope++;
      if (verdict !== 'ok') {
        report.counts[verdict]++;
        const list = report.findings[verdict];
        if (list.length < KEEP_FINDINGS) list.push(finding(req, problem ?? verdict));
      }
      if (report.sent % 1000 === 0) report.rss.every1000.push(mb(monitor.sample()));
      if (report.sent % 500 === 0) opts.onProgress?.(report.sent);
    }
  }

  try {
    await Promise.all(Array.from({ length: opts.concurrency }, () => worker()));
  } finally {
    agent.destroy();
    const memory = monitor.end()!;
    await monitor.stop();
    report.rss = { ...report.rss, startMb: mb(memory.startRss), peakMb: mb(memory.peakRss), endMb: mb(memory.endRss) };
    report.seconds = Math.round((performance.now() - started) / 100) / 10;
  }
  return report;
}

/** Whether the run met its targets: no 5xx, every error in the envelope, no leak, every request answered. */
export function failures(report: FuzzReport): string[] {
  const out: string[] = [];
  const c = report.counts;
  if (c.server_error) out.push(`${c.server_error} answers of 5xx`);
  if (c.not_envelope) out.push(`${c.not_envelope} errors outside the envelope`);
  if (c.leak) out.push(`${c.leak} answers with another tenant's record`);
  if (c.no_answer) out.push(`${c.no_answer} requests without an answer`);
  return out;
}
