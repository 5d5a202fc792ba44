/**
 * The risk endpoint (issue 4) on a database the search section has loaded:
 * the demo organisation is loaded into the same tenant through the normal
 * pipeline (releases, outcomes, incidents, artifacts; a model is trained),
 * then `POST /v1/releases/:id/risk` is timed over a real HTTP socket with the
 * LLM off, beside the bare retrieval query and the parts of an assessment.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createApp } from '../src/app.js';
import { loadDemo } from '../src/bootstrap/demo.js';
import { parseConfig } from '../src/config.js';
import { startServer } from '../src/http/serve.js';
import { createLogger } from '../src/log.js';
import { releaseText } from '../src/risk/context.js';
import { evidenceQuery } from '../src/risk/evidence.js';
import { vectorSearch } from '../src/store/chunks.js';
import { queryRows } from '../src/store/database.js';
import type { BenchDb } from './engines.js';
import { gc, summarize, type Summary } from './stats.js';

const WARMUP = 5;

export interface RiskRun {
  engine: string;
  /** Chunks in the tenant while timing (bench corpus + demo artifacts + change documents). */
  chunks: number;
  releases: number;
  assessed: number;
  demoLoadMs: number;
  model: { n: number; auc: number | null } | null;
  /** POST /v1/releases/:id/risk over HTTP, LLM off. */
  endpoint: Summary;
  /** risk.assess in-process: the endpoint without HTTP and authentication. */
  inProcess: Summary;
  /** vectorSearch(index, k=10) of the release's change text over the tenant: the bare retrieval query. */
  bare: Summary;
  /** The parts, timed alone: features as of the release (history reads + similar-release vector query), the evidence's hybrid search. */
  features: Summary;
  evidenceSearch: Summary;
  /** Share of assessments with the prior model (should be 0: the demo trains one). */
  degradedShare: number;
}

export async function runRisk(b: BenchDb, tenantSlug: string, opts: { n: number; progress: (msg: string) => void }): Promise<RiskRun> {
  const config = parseConfig({ SHIPCHECK_DEMO: '0', SHIPCHECK_LLM: 'off', SHIPCHECK_LOG_LEVEL: 'error' });
  const app = await createApp(config, {
    startWorker: false,
    database: b.database,
    queueName: `bench-${randomBytes(4).toString('hex')}`,
    logger: createLogger('error', () => {}),
  });
  const server = await startServer(app, { port: 0, host: '127.0.0.1' });
  try {
    opts.progress(`${b.engine}: loading the demo organisation into the bench tenant (and training)`);
    const t = performance.now();
    const demo = await loadDemo(app, tenantSlug);
    const demoLoadMs = performance.now() - t;
    const tenant = await app.tokens.ensureTenant(tenantSlug);
    await b.exec('analyze');
    const { token } = await app.tokens.create({ tenant: tenantSlug, name: 'bench', scopes: ['read', 'score'] });

    // The newest half of the history (the most to read), evenly spaced.
    const all = (await app.releases.list(tenant.id, { limit: 1000 })).sort((x, y) => (x.createdAt < y.createdAt ? -1 : 1));
    const newest = all.slice(Math.floor(all.length / 2));
    const picked = Array.from(
      { length: Math.min(opts.n, newest.length) },
      (_, i) => newest[Math.floor((i * newest.length) / Math.min(opts.n, newest.length))]!,
    );
    const chunks = await chunkTotal(b, tenant.id);

    opts.progress(`${b.engine} ${chunks} chunks: ${picked.length} risk assessments over HTTP`);
    let degraded = 0;
    const endpoint = await timed(
      picked,
      async (r) => {
        const res = await fetch(`${server.url}/v1/releases/${r.id}/risk`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
        const body = (await res.json()) as { degraded?: string[] };
        if (res.status !== 200) throw new Error(`risk endpoint answered ${res.status}: ${JSON.stringify(body)}`);
        return body;
      },
      (body) => {
        if (body.degraded?.includes('prior_model')) degraded++;
      },
    );

    const texts = new Map<string, string>();
    const changesOf = (id: string) => app.store.risk.history.changesOf(tenant.id, [id]);
    for (const r of picked) texts.set(r.id, releaseText(r, await changesOf(r.id)));
    const vectors = new Map<string, number[]>();
    const embedded = await app.embedder.embed(picked.map((r) => texts.get(r.id)!));
    picked.forEach((r, i) => vectors.set(r.id, embedded[i]!));

    opts.progress(`${b.engine} ${chunks} chunks: the bare query and the parts`);
    const inProcess = await timed(picked, (r) => app.risk.assess(tenant.id, r.id));
    const bare = await timed(picked, (r) => vectorSearch(b.db, { tenantId: tenant.id }, vectors.get(r.id)!, 10, 'index'));
    const features = await timed(picked, (r) => app.risk.features(tenant.id, r.id));
    const evidenceSearch = await timed(picked, async (r) =>
      app.retrieval.search(tenant.id, evidenceQuery({ ...r, createdAt: new Date(r.createdAt) }, await changesOf(r.id))),
    );
    return {
      engine: b.engine,
      chunks,
      releases: all.length,
      assessed: picked.length,
      demoLoadMs,
      model: demo.model ? { n: demo.model.n, auc: demo.model.auc } : null,
      endpoint,
      inProcess,
      bare,
      features,
      evidenceSearch,
      degradedShare: degraded / endpoint.n,
    };
  } finally {
    await server.close();
    // Not app.close(): the database belongs to the bench, which closes it.
    await app.queue.close();
  }
}

/** Each item once untimed for the first WARMUP, then every item timed. */
async function timed<I, T>(items: readonly I[], fn: (item: I) => Promise<T>, onResult: (r: T) => void = () => {}): Promise<Summary> {
  for (const item of items.slice(0, WARMUP)) await fn(item);
  gc();
  const times: number[] = [];
  for (const item of items) {
    const t = performance.now();
    const r = await fn(item);
    times.push(performance.now() - t);
    onResult(r);
  }
  return summarize(times);
}

async function chunkTotal(b: BenchDb, tenantId: string): Promise<number> {
  const [r] = await queryRows<{ n: number }>(b.db, sql`select count(*)::int as n from chunks where tenant_id = ${tenantId}`);
  return r?.n ?? 0;
}
