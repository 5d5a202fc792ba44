/**
 * The planted-secrets figures: how many of fixtures/secrets/planted-set.json
 * end up stored (the database read directly, every column of every table),
 * answered by the API, logged, or sent to a model, after planting each in
 * every field through the real HTTP server; and the redactor's throughput.
 *
 *   node --import tsx scripts/secrets-audit.ts [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--throughput-mb 16] [--throughput-only]
 *
 * Embedded PGlite always; PostgreSQL too when --postgres names a server (a
 * throwaway database is created there and dropped). The model is a local fake
 * OpenAI-compatible server (no network). Deterministic input; bounded: 109
 * secrets, about a minute per engine, and `--throughput-mb` MB of text.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { docAt } from '../bench/corpus.js';
import { prepareDocument } from '../src/ingest/prepare.js';
import { redact } from '../src/ingest/redact/index.js';
import { openDatabase, type Database } from '../src/store/database.js';
import { startTestServer } from '../test/support/app.js';
import { startFakeOpenAI } from '../test/support/fake-openai.js';
import { dumpDatabase, findLeaks, loadPlantedSet, plantAll } from '../test/support/planted-secrets.js';

const { values } = parseArgs({
  options: { postgres: { type: 'string' }, 'throughput-mb': { type: 'string', default: '16' }, 'throughput-only': { type: 'boolean' } },
});
const items = loadPlantedSet();

async function audit(engine: string, database: Database): Promise<void> {
  const fake = await startFakeOpenAI();
  fake.pushChat(...Array.from({ length: 2 * items.length + 20 }, () => ({ content: JSON.stringify({ reasons: [] }) })));
  const t = await startTestServer({
    database,
    env: { OPENAI_BASE_URL: fake.baseURL, SHIPCHECK_EMBEDDER: 'openai', SHIPCHECK_MAX_BODY_BYTES: String(20 * 1024 * 1024) },
  });
  try {
    const token = await t.token('vault-co', ['ingest', 'read', 'score']);
    const tenantId = (await t.app.store.tenants.bySlug('vault-co'))!.id;
    const result = await plantAll(t.app, t, token, tenantId, items);
    const stored = findLeaks(items, await dumpDatabase(database));
    const answered = findLeaks(items, result.answers);
    const logged = findLeaks(
      items,
      t.logLines.map((text) => ({ where: 'log', text })),
    );
    const sent = findLeaks(
      items,
      fake.requests.map((r) => ({ where: r.path, text: JSON.stringify(r.body) })),
    );
    const any = new Set([...stored.keys(), ...answered.keys(), ...logged.keys(), ...sent.keys()]);
    const n = items.length;
    console.log(`\n${engine}: ${n} planted secrets of ${new Set(items.map((s) => s.kind)).size} kinds`);
    console.log(`  stored raw (database read directly): ${stored.size} / ${n}`);
    console.log(`  returned by the API:                 ${answered.size} / ${n}`);
    console.log(`  logged:                              ${logged.size} / ${n}`);
    console.log(`  sent to a model (chat, embeddings):  ${sent.size} / ${n}`);
    console.log(`  any of these:                        ${any.size} / ${n}`);
    for (const [what, leaks] of [
      ['logged', logged],
      ['sent to a model', sent],
      ['returned', answered],
    ] as const) {
      if (leaks.size > 0 && leaks.size <= 10) console.log(`  ${what}: ${[...leaks.keys()].join(', ')}`);
    }
    const columns = new Map<string, number>();
    for (const at of stored.values()) for (const where of at) columns.set(where, (columns.get(where) ?? 0) + 1);
    if (columns.size > 0) {
      console.log('  stored raw, secrets per column:');
      for (const [where, count] of [...columns].sort((a, b) => b[1] - a[1])) console.log(`    ${where}: ${count}`);
    }
    if (result.problems.length > 0) {
      console.log(`  problems (${result.problems.length}):`);
      for (const p of result.problems.slice(0, 20)) console.log(`    ${p}`);
    }
  } finally {
    await t.close();
    await fake.close();
  }
}

async function withPostgres(adminUrl: string, run: (database: Database) => Promise<void>): Promise<void> {
  const name = `shipcheck_secrets_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
  try {
    await database.migrate();
    await run(database);
  } finally {
    await database.close().catch(() => {});
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  }
}

/**
 * redact() alone, and prepareDocument() (validate, redact, normalise, redact
 * again, hash: the whole per-document cost of redaction in ingest), over the
 * benchmark corpus (release artifacts, about 2 KB each); median of 3 rounds.
 */
function throughput(mb: number): void {
  const docs: ReturnType<typeof docAt>[] = [];
  let bytes = 0;
  for (let i = 0; bytes < mb * 1e6; i++) {
    docs.push(docAt(7, i));
    bytes += Buffer.byteLength(docs[i]!.body);
  }
  const median = (run: () => void) => {
    run(); // warm-up
    const ms: number[] = [];
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      run();
      ms.push(performance.now() - start);
    }
    return ms.sort((a, b) => a - b)[1]!;
  };
  const redactMs = median(() => {
    for (const d of docs) redact(d.body);
  });
  const prepareMs = median(() => {
    for (const d of docs) prepareDocument(d);
  });
  const mbps = (ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);
  console.log(`\nthroughput over ${(bytes / 1e6).toFixed(1)} MB of benchmark documents (${docs.length}), one thread, median of 3:`);
  console.log(`  redact():          ${mbps(redactMs)} MB/s`);
  console.log(`  prepareDocument(): ${mbps(prepareMs)} MB/s, ${Math.round(docs.length / (prepareMs / 1000))} docs/s`);
}

// The app closes the database it was given.
if (!values['throughput-only']) {
  const pglite = await openDatabase({ kind: 'pglite' });
  await pglite.migrate();
  await audit('PGlite', pglite);
  if (values.postgres) await withPostgres(values.postgres, (database) => audit('PostgreSQL', database));
}
throughput(Number(values['throughput-mb']));
