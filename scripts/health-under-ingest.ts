/**
 * How long GET /healthz takes while the embedded server (PGlite, in-process
 * jobs) ingests one large POST /v1/documents: a probe every --interval ms from
 * the moment the POST is sent until every document is indexed. The target is
 * every probe under 1 s. Seeded documents (bench/corpus.ts), bounded in count
 * (one request of at most 1,000) and in time (--timeout-s).
 *
 *   npm run health-under-ingest -- [--docs 1000] [--seed 7] [--interval 100] [--timeout-s 300]
 *
 * Exits 1 when a probe took 1 s or more, or failed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { docAt } from '../bench/corpus.js';
import { freePort, type Shipcheck, sleep, startShipcheck, stopGracefully } from './lib/processes.js';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
    interval: { type: 'string', default: '100' },
    'timeout-s': { type: 'string', default: '300' },
  },
});
const DOCS = Number(values.docs);
const SEED = Number(values.seed);
const INTERVAL_MS = Number(values.interval);
const DEADLINE = Date.now() + Number(values['timeout-s']) * 1000;
if (!(DOCS >= 1 && DOCS <= 1000) || !(INTERVAL_MS >= 10)) {
  console.error('--docs: 1 to 1000 (one request); --interval: at least 10 ms');
  process.exit(2);
}
const TARGET_MS = 1000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipcheck-health-'));
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
let server: Shipcheck | undefined;
try {
  server = await startShipcheck(
    ['serve', '--port', String(port)],
    { SHIPCHECK_DATA_DIR: path.join(dir, 'db'), SHIPCHECK_DEMO: '0', SHIPCHECK_LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' },
    { ready: /listening on/, logFile: path.join(dir, 'serve.log') },
  );
  const token = fs.readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
  const auth = { authorization: `Bearer ${token}` };
  const documents = Array.from({ length: DOCS }, (_, i) => docAt(SEED, i));
  const body = JSON.stringify({ documents });

  const probes: { ms: number; ok: boolean; phase: 'post' | 'jobs' }[] = [];
  let phase: 'post' | 'jobs' = 'post';
  let probing = true;
  const prober = (async () => {
    while (probing && Date.now() < DEADLINE) {
      const started = performance.now();
      const at = phase;
      const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(60_000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      probes.push({ ms: performance.now() - started, ok, phase: at });
      await sleep(INTERVAL_MS);
    }
  })();

  const t0 = performance.now();
  const post = await fetch(`${url}/v1/documents`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
  const postMs = performance.now() - t0;
  if (post.status !== 202) throw new Error(`POST /v1/documents answered ${post.status}: ${await post.text()}`);
  phase = 'jobs';
  // Until no document is queued any more: the indexing jobs run in the server's own process.
  for (;;) {
    if (Date.now() > DEADLINE) throw new Error('documents still queued at the deadline');
    const r = (await (await fetch(`${url}/v1/documents?status=queued&limit=1`, { headers: auth })).json()) as { documents: unknown[] };
    if (r.documents.length === 0) break;
    await sleep(250);
  }
  const indexedMs = performance.now() - t0;
  probing = false;
  await prober;

  const ms = probes.map((p) => p.ms).sort((a, b) => a - b);
  const pct = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? Number.NaN;
  const worst = (ph: 'post' | 'jobs') => Math.max(0, ...probes.filter((p) => p.phase === ph).map((p) => p.ms));
  const failed = probes.filter((p) => !p.ok).length;
  const slow = probes.filter((p) => p.ms >= TARGET_MS).length;
  console.log(
    `health under ingest: ${DOCS} documents (${(body.length / 1e6).toFixed(1)} MB) in one POST, embedded (PGlite, in-process jobs)`,
  );
  console.log(`  POST answered 202 in ${(postMs / 1000).toFixed(1)} s; all indexed after ${(indexedMs / 1000).toFixed(1)} s`);
  console.log(
    `  /healthz: ${probes.length} probes, p50 ${pct(0.5).toFixed(0)} ms, p95 ${pct(0.95).toFixed(0)} ms, max ${ms.at(-1)?.toFixed(0)} ms` +
      ` (max during the POST ${worst('post').toFixed(0)} ms, during the jobs ${worst('jobs').toFixed(0)} ms); ` +
      `${slow} at or over ${TARGET_MS} ms, ${failed} failed`,
  );
  process.exitCode = slow > 0 || failed > 0 ? 1 : 0;
} finally {
  if (server) await stopGracefully(server);
  fs.rmSync(dir, { recursive: true, force: true });
}
