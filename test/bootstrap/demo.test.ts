import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { DEMO_DIR, loadDemo, type DemoSummary } from '../../src/bootstrap/demo.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { queryRows } from '../../src/store/database.js';
import { pgliteForTests } from '../support/db.js';

const planted: string[] = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'secrets.json'), 'utf8')).values;

describe('the demo organisation through the real pipeline', () => {
  let app: App;
  let first: DemoSummary;
  const logLines: string[] = [];
  beforeAll(async () => {
    app = await createApp(parseConfig({ SHIPCHECK_DEMO: '0' }), {
      startWorker: false,
      database: await pgliteForTests(),
      logger: createLogger('debug', (l) => logLines.push(l)),
    });
    first = await loadDemo(app, 'demo');
  }, 120_000);
  afterAll(async () => app?.close());

  it('indexes every demo document, release and incident', async () => {
    expect(first.indexed).toBe(first.documents);
    expect(first.redactions).toBeGreaterThanOrEqual(planted.length);
    const tenant = (await app.store.tenants.bySlug('demo'))!;
    expect(await app.store.counts(tenant.id)).toMatchObject({ releases: first.releases, incidents: first.incidents });
  });

  it('stores no planted secret in any document, chunk, search result or log line', async () => {
    expect(planted.length).toBeGreaterThan(5);
    const tenant = (await app.store.tenants.bySlug('demo'))!;
    for (const secret of planted) {
      const rows = await queryRows<{ n: number }>(
        app.database.db,
        sql`select (select count(*) from documents where strpos(body, ${secret}) > 0 or strpos(title, ${secret}) > 0)
              + (select count(*) from chunks where strpos(text, ${secret}) > 0) as n`,
      );
      expect(Number(rows[0]!.n), secret).toBe(0);
      const hits = await app.retrieval.search(tenant.id, { q: secret, k: 20 });
      expect(JSON.stringify(hits)).not.toContain(secret);
    }
    expect(logLines.join('\n')).not.toMatch(new RegExp(planted.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')));
  });

  it('builds the vector index after the bulk load, and it agrees with an exact scan', async () => {
    const idx = await queryRows<{ indexname: string }>(
      app.database.db,
      sql`select indexname from pg_indexes where tablename = 'chunks' and indexname = 'chunks_embedding_hnsw'`,
    );
    expect(idx).toHaveLength(1);
    const tenant = (await app.store.tenants.bySlug('demo'))!;
    const [q] = await app.embedder.embed(['payments upstream ECONNRESET rollback']);
    const exact = await app.store.chunks.vectorSearch({ tenantId: tenant.id }, q!, 10, 'exact');
    const viaIndex = await app.store.chunks.vectorSearch({ tenantId: tenant.id }, q!, 10, 'index');
    const overlap = viaIndex.filter((h) => exact.some((e) => e.chunkId === h.chunkId)).length;
    expect(overlap).toBeGreaterThanOrEqual(9);
  });

  it('adds nothing when loaded again', async () => {
    const again = await loadDemo(app, 'demo');
    expect(again.indexed).toBe(0);
    const tenant = (await app.store.tenants.bySlug('demo'))!;
    expect((await app.store.documents.stats(tenant.id)).documents).toBe(first.documents);
  }, 120_000);
});
