/**
 * The advisor's re-evaluation per telemetry batch, over HTTP: an embedded
 * server (PGlite, in-process jobs, LLM off), one watched canary with the
 * default metrics, and batches of 10 s of telemetry (1 s samples of 4
 * metrics × 2 groups, with their log lines) POSTed one after another. Each
 * POST stores the batch, reads the release's samples and logs, judges,
 * finds log templates and writes the advisory. The figures split the run
 * into the first and last quarter: the cost grows with the series judged.
 *
 *   node --import tsx bench/advisor-http.ts [--batches 200]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { rolloutTelemetry } from '../fixtures/rollout/telemetry.js';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { startServer } from '../src/http/serve.js';
import { createLogger } from '../src/log.js';
import { summarize, type Summary } from './stats.js';

export interface AdvisorHttpRun {
  batches: number;
  samplesPerBatch: number;
  /** Every POST /v1/releases/:id/telemetry, ms. */
  all: Summary;
  first: Summary;
  last: Summary;
  /** Samples stored when the last quarter ran (per series: samples / 8). */
  samplesAtEnd: number;
}

export async function benchAdvisorHttp(opts: { batches?: number; progress?: (m: string) => void } = {}): Promise<AdvisorHttpRun> {
  const batches = opts.batches ?? 200;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-bench-advisor-'));
  const config = parseConfig({ SHIPCHECK_DEMO: '0', SHIPCHECK_LLM: 'off', SHIPCHECK_DATA_DIR: dir, SHIPCHECK_LOG_LEVEL: 'error' });
  let clock = Date.UTC(2026, 0, 1);
  const app = await createApp(config, { startWorker: true, logger: createLogger('error'), clock: () => clock });
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  try {
    const { token } = await app.tokens.create({ tenant: 'bench', name: 'bench', scopes: ['ingest', 'advise', 'read'] });
    const call = async (method: string, p: string, body: unknown) => {
      const res = await fetch(server.url + p, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { id: string };
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const release = await call('POST', '/v1/releases', { service: 'checkout', version: '1.0.0' });
    await call('POST', `/v1/releases/${release.id}/rollout`, {
      action: 'start',
      canaryWeight: 0.1,
      startedAt: new Date(clock).toISOString(),
    });
    const times: number[] = [];
    let samplesPerBatch = 0;
    for (let i = 0; i < batches; i++) {
      const from = clock;
      clock += 10_000;
      const body = rolloutTelemetry({ fromMs: from, toMs: clock, stepMs: 1000, bad: false, seed: 'bench' });
      samplesPerBatch = body.samples.length;
      const t0 = performance.now();
      await call('POST', `/v1/releases/${release.id}/telemetry`, body);
      times.push(performance.now() - t0);
      if (i % 50 === 49) opts.progress?.(`advisor over HTTP: ${i + 1}/${batches} batches`);
    }
    const q = Math.max(1, Math.floor(batches / 4));
    return {
      batches,
      samplesPerBatch,
      all: summarize(times),
      first: summarize(times.slice(0, q)),
      last: summarize(times.slice(-q)),
      samplesAtEnd: batches * samplesPerBatch,
    };
  } finally {
    await server.close();
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { batches: { type: 'string', default: '200' } } });
  const r = await benchAdvisorHttp({ batches: Number(values.batches), progress: (m) => console.error(m) });
  const f = (s: Summary) => `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;
  console.log(`re-evaluation per telemetry batch over HTTP (${r.batches} batches of ${r.samplesPerBatch} samples, embedded):`);
  console.log(`  all            ${f(r.all)}`);
  console.log(`  first quarter  ${f(r.first)}`);
  console.log(`  last quarter   ${f(r.last)}  (with up to ${r.samplesAtEnd} samples stored)`);
  console.log(`  last/first p95 ${(r.last.p95 / r.first.p95).toFixed(2)}×`);
}
