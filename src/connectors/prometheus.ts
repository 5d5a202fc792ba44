import type { MetricGroup, PrometheusSource, TelemetrySample } from '../contracts/advisor.js';
import { AppError } from '../contracts/errors.js';
import type { PolledTelemetry, TelemetrySource } from '../advisor/ports.js';
import { discard, httpUrl, type NoAnswer, noAnswer, readBounded, redirectTarget } from './http.js';
import { type QueryRef, readRangeAnswer } from './prometheus-answer.js';

export interface PrometheusSourceOptions {
  /** Per query, ms; default 10 000. */
  timeoutMs?: number;
  /**
   * Points asked for per query; default 1 000. A range longer than this many
   * steps is narrowed to its newest points (reported in `problems`): a live
   * judge needs the latest data, and a catch-up poll may ask again.
   */
  maxPointsPerQuery?: number;
  /** Bytes read of one answer; default 4 MiB. A larger answer is cut, and that query reported and left out. */
  maxAnswerBytes?: number;
  /** Queries in flight at once; default 4. */
  concurrency?: number;
  /** Sent with every query (e.g. an Authorization header for a Prometheus behind a proxy). */
  headers?: Record<string, string>;
}

/** Queries that fail without any answer, with none answered yet, before the poll stops and calls the server unreachable. */
const UNREACHABLE_AFTER = 3;
const GROUPS: readonly MetricGroup[] = ['canary', 'baseline', 'all'];

interface Job extends QueryRef {
  promql: string;
}

type Outcome = { answered: true; samples: TelemetrySample[]; problems: string[] } | { answered: false; failure: NoAnswer };

/**
 * A TelemetrySource over Prometheus's HTTP API: one `query_range` per metric
 * and group. Bad answers become `problems`; only a server that answers none
 * of the queries tried (refused, unknown host, every query timed out) throws,
 * as AppError `unavailable` (retryable), so the poll job retries later.
 */
export function createPrometheusSource(opts: PrometheusSourceOptions = {}): TelemetrySource {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxPoints = opts.maxPointsPerQuery ?? 1_000;
  const maxBytes = opts.maxAnswerBytes ?? 4 * 1024 * 1024;
  const concurrency = Math.max(1, opts.concurrency ?? 4);

  return {
    async poll(source: PrometheusSource, range: { from: number; to: number }): Promise<PolledTelemetry> {
      const base = httpUrl(source.url);
      if (!base) throw new AppError('bad_request', 'the Prometheus URL must be an http(s) URL');
      if (!Number.isFinite(range.from) || !Number.isFinite(range.to) || range.from > range.to) {
        throw new AppError('bad_request', `a poll range needs finite from <= to (epoch ms), got ${range.from}..${range.to}`);
      }
      const headers = requestHeaders(base, opts.headers);
      const endpoint = queryRangeUrl(base);
      const stepSeconds = source.stepSeconds ?? 30;
      const problems: string[] = [];
      const from = clipRange(range, stepSeconds, maxPoints, problems);

      const jobs: Job[] = [];
      for (const q of source.queries) {
        const groups = GROUPS.filter((g) => q[g] !== undefined);
        if (groups.length === 0) problems.push(`${q.metric}: no canary, baseline or all query configured`);
        for (const group of groups) jobs.push({ metric: q.metric, group, promql: q[group]! });
      }

      const query = async (job: Job): Promise<Outcome> => {
        const url = new URL(endpoint);
        url.searchParams.set('query', job.promql);
        url.searchParams.set('start', (from / 1000).toFixed(3));
        url.searchParams.set('end', (range.to / 1000).toFixed(3));
        url.searchParams.set('step', String(stepSeconds));
        let res: Response;
        try {
          res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        } catch (err) {
          return { answered: false, failure: noAnswer(err, timeoutMs) };
        }
        const where = `${job.metric} (${job.group})`;
        if (res.status >= 300 && res.status < 400) {
          await discard(res);
          const to = redirectTarget(res, url);
          return {
            answered: true,
            samples: [],
            problems: [`${where}: HTTP ${res.status} redirect to ${to}, not followed: set the final URL`],
          };
        }
        let body: { text: string; truncated: boolean };
        try {
          body = await readBounded(res, maxBytes);
        } catch (err) {
          // Headers arrived, the body did not (timed out or cut): the server was reached, this query failed.
          return { answered: true, samples: [], problems: [`${where}: the answer broke off: ${noAnswer(err, timeoutMs).detail}`] };
        }
        if (body.truncated) {
          return {
            answered: true,
            samples: [],
            problems: [`${where}: the answer is larger than ${maxBytes} bytes and was left out (narrow the query or the range)`],
          };
        }
        const read = readRangeAnswer(job, res.status, body.text, maxPoints);
        return { answered: true, samples: read.samples, problems: read.problems };
      };

      const outcomes = await runPool(jobs, concurrency, query, (done) => {
        // A server that answered nothing after a few tries is down: stop instead of waiting out every timeout.
        const failed = done.filter((o) => !o.answered).length;
        return failed >= Math.min(UNREACHABLE_AFTER, jobs.length) && !done.some((o) => o.answered);
      });

      const finished = outcomes.filter((o): o is Outcome => o !== undefined);
      if (finished.length > 0 && !finished.some((o) => o.answered)) {
        const first = (finished[0] as { failure: NoAnswer }).failure;
        throw new AppError('unavailable', `Prometheus at ${base.origin} cannot be reached: ${first.detail}`, {
          retryable: true,
          details: { tried: finished.length, queries: jobs.length, kind: first.kind },
        });
      }

      const samples: TelemetrySample[] = [];
      jobs.forEach((job, i) => {
        const o = outcomes[i];
        if (o === undefined) problems.push(`${job.metric} (${job.group}): not queried (the server stopped answering)`);
        else if (!o.answered) problems.push(`${job.metric} (${job.group}): no answer: ${o.failure.detail}`);
        else {
          samples.push(...o.samples);
          problems.push(...o.problems);
        }
      });
      return { samples, problems };
    },
  };
}

/** `from`, moved later when the range holds more steps than one query may ask for. */
function clipRange(range: { from: number; to: number }, stepSeconds: number, maxPoints: number, problems: string[]): number {
  const stepMs = stepSeconds * 1000;
  const points = Math.floor((range.to - range.from) / stepMs) + 1;
  if (points <= maxPoints) return range.from;
  const from = range.to - (maxPoints - 1) * stepMs;
  problems.push(
    `the range holds ${points} steps of ${stepSeconds} s, more than ${maxPoints} per query: ` +
      `asked for the newest ${maxPoints} only (from ${new Date(from).toISOString()})`,
  );
  return from;
}

function queryRangeUrl(base: URL): URL {
  const url = new URL(base);
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  // Keep a path prefix (Prometheus behind /prometheus/ on a shared host).
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query_range`;
  return url;
}

/** fetch refuses URLs with credentials: user:password@ in the configured URL becomes Basic auth. */
function requestHeaders(base: URL, extra: Record<string, string> | undefined): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', ...extra };
  const hasAuth = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
  if ((base.username || base.password) && !hasAuth) {
    const pair = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  }
  return headers;
}

/**
 * Runs `work` over `items`, `limit` at a time, in order of start; results keep the items' order.
 * Before starting each next item it asks `stop(finished)`; an item never started stays undefined.
 */
async function runPool<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
  stop: (done: R[]) => boolean,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  const done: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop(done)) {
      const i = next++;
      const r = await work(items[i]!);
      results[i] = r;
      done.push(r);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
