import type { MetricGroup, TelemetrySample } from '../contracts/advisor.js';

/**
 * Reads one `query_range` answer into samples. Anything that is not a clean
 * single-series matrix of finite numbers is reported, never thrown and never
 * guessed at: the judge must not mistake a broken answer for data (or for
 * the absence of a problem).
 */

export interface QueryRef {
  metric: string;
  group: MetricGroup;
}

export interface ReadAnswer {
  samples: TelemetrySample[];
  problems: string[];
}

/** How many series labels a "several series" problem names before "…". */
const NAMED_SERIES = 3;
const MAX_PROBLEM_CHARS = 300;

const label = (q: QueryRef) => `${q.metric} (${q.group})`;
const clip = (s: string, n = MAX_PROBLEM_CHARS) => (s.length > n ? `${s.slice(0, n)}…` : s);
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The answer's HTTP status and body text (already bounded by the caller) → samples and problems. */
export function readRangeAnswer(q: QueryRef, status: number, text: string, maxPoints: number): ReadAnswer {
  const problem = (what: string): ReadAnswer => ({ samples: [], problems: [clip(`${label(q)}: ${oneLine(what)}`)] });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const head = text.trim() === '' ? 'an empty body' : `"${clip(oneLine(text), 80)}"`;
    return problem(`HTTP ${status} with an answer that is not JSON (${head})`);
  }
  if (!isObject(body)) return problem(`HTTP ${status} with JSON that is not an object`);

  // Prometheus answers its own errors (bad PromQL 400, timeouts 503, …) as {status:"error"} with a 4xx/5xx.
  if (body.status === 'error') {
    const type = typeof body.errorType === 'string' ? body.errorType : 'error';
    const message = typeof body.error === 'string' ? body.error : 'no message';
    return problem(`Prometheus error (HTTP ${status}, ${type}): ${message}`);
  }
  if (status < 200 || status >= 300) return problem(`HTTP ${status} from Prometheus`);
  if (body.status !== 'success') return problem(`status is ${JSON.stringify(body.status) ?? 'missing'}, not "success"`);

  const data = body.data;
  if (!isObject(data)) return problem('the answer has no data object');
  if (data.resultType !== 'matrix') {
    return problem(`resultType is ${JSON.stringify(data.resultType) ?? 'missing'}, not "matrix" (query_range answers matrices)`);
  }
  if (!Array.isArray(data.result)) return problem('data.result is not a list');

  const warnings = Array.isArray(body.warnings) ? body.warnings.filter((w) => typeof w === 'string') : [];
  const notes = warnings.slice(0, 3).map((w) => clip(`${label(q)}: Prometheus warning: ${oneLine(w)}`));

  if (data.result.length === 0) {
    return { samples: [], problems: [...notes, `${label(q)}: no data in the range (the query matched no series)`] };
  }
  if (data.result.length > 1) {
    // Summing is right for request counts and wrong for latencies or ratios; picking one series is wrong for
    // all of them. The query knows which aggregation it means, so it has to say it.
    const named = data.result.slice(0, NAMED_SERIES).map((s) => seriesName(s));
    const more = data.result.length > NAMED_SERIES ? ', …' : '';
    return problem(
      `returned ${data.result.length} series (${named.join(', ')}${more}); one series per group is needed: ` +
        'aggregate it in the query, e.g. sum(...) or max(...). None of them was used',
    );
  }

  const series = data.result[0];
  if (!isObject(series) || !Array.isArray(series.values)) {
    return problem(
      Array.isArray((series as { value?: unknown })?.value) ? 'a series has one value, not a list of values' : 'a series has no values',
    );
  }
  const read = readPoints(q, series.values, maxPoints);
  return { samples: read.samples, problems: [...notes, ...read.problems] };
}

function readPoints(q: QueryRef, values: unknown[], maxPoints: number): ReadAnswer {
  const samples: TelemetrySample[] = [];
  const nonFinite = { NaN: 0, '+Inf': 0, '-Inf': 0 };
  let malformed = 0;
  for (const point of values) {
    if (!Array.isArray(point) || point.length !== 2 || typeof point[0] !== 'number' || !Number.isFinite(point[0])) {
      malformed++;
      continue;
    }
    const raw: unknown = point[1];
    if (raw === 'NaN' || raw === '+Inf' || raw === '-Inf') {
      nonFinite[raw]++;
      continue;
    }
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
    if (!Number.isFinite(value)) {
      malformed++;
      continue;
    }
    samples.push({ metric: q.metric, group: q.group, ts: Math.round(point[0] * 1000), value });
  }

  const problems: string[] = [];
  const dropped = Object.entries(nonFinite).filter(([, n]) => n > 0);
  if (dropped.length > 0) {
    const total = dropped.reduce((s, [, n]) => s + n, 0);
    problems.push(
      `${label(q)}: dropped ${total} value(s) that are not finite numbers (${dropped.map(([k, n]) => `${k} ×${n}`).join(', ')})`,
    );
  }
  if (malformed > 0) problems.push(`${label(q)}: dropped ${malformed} malformed point(s) (not [unix seconds, "number"])`);
  if (samples.length > maxPoints) {
    // The caller asks for at most maxPoints steps; a server that sends more is cut to the newest, which the live judge needs.
    problems.push(
      `${label(q)}: ${samples.length} points exceed the limit of ${maxPoints} per query; the oldest ${samples.length - maxPoints} were left out`,
    );
    return { samples: samples.slice(samples.length - maxPoints), problems };
  }
  if (samples.length === 0 && values.length > 0) problems.push(`${label(q)}: no usable value in the range`);
  return { samples, problems };
}

function seriesName(series: unknown): string {
  const metric = isObject(series) && isObject(series.metric) ? series.metric : {};
  const labels = Object.entries(metric)
    .map(([k, v]) => `${k}="${String(v)}"`)
    .join(',');
  return clip(`{${labels}}`, 80);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
