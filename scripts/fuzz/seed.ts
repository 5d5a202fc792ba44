/**
 * The records fuzzed requests point at, created through the API before the
 * run: documents, releases with changes and diffs, outcomes and one
 * assessment in tenant A, and a few records in tenant B for cross-tenant
 * probes. Their content comes from the seed; their ids from the server.
 */
import { Rng } from '../../bench/rng.js';
import type { Credentials } from './requests.js';
import type { Pools } from './values.js';

export const WORDS = [
  'deploy',
  'rollback',
  'checkout',
  'latency',
  'timeout',
  'database',
  'migration',
  'cache',
  'canary',
  'error',
  'rate',
  'spike',
  'queue',
  'worker',
  'retry',
  'config',
  'feature',
  'flag',
  'payments',
  'incident',
  'runbook',
  'restart',
  'memory',
  'leak',
  'pool',
  'connection',
  'refused',
  'upstream',
  '502',
  'p99',
];

const SERVICES = ['checkout', 'payments', 'search-api', 'web.frontend'];
const KINDS = ['deploy_log', 'incident', 'runbook', 'diff', 'change', 'ticket'] as const;

async function call<T>(url: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`seeding: ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

function text(rng: Rng, words: number): string {
  const lines: string[] = [];
  for (let i = 0; i < words; i += 12) lines.push(Array.from({ length: 12 }, () => rng.pick(WORDS)).join(' '));
  return lines.join('\n');
}

async function seedDocuments(url: string, token: string, rng: Rng, n: number, tag: string): Promise<string[]> {
  const documents = Array.from({ length: n }, (_, i) => ({
    kind: KINDS[i % KINDS.length],
    service: SERVICES[i % SERVICES.length],
    title: `${tag} ${i}: ${text(rng, 4)}`,
    body: `${tag} ${i}\n${text(rng, rng.int(20, 300))}`,
    occurredAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString(),
    externalId: `${tag}-${i}`,
  }));
  const { results } = await call<{ results: { documentId?: string; status: string; error?: string }[] }>(
    url,
    token,
    'POST',
    '/v1/documents?wait=true',
    { documents },
  );
  const ids = results.map((r) => r.documentId).filter((id): id is string => Boolean(id));
  if (ids.length !== n) throw new Error(`seeding: ${n - ids.length} documents were not stored: ${JSON.stringify(results).slice(0, 300)}`);
  return ids;
}

async function seedReleases(url: string, token: string, rng: Rng, n: number, tag: string) {
  const releases: string[] = [];
  const changes: string[] = [];
  const externalIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const created = await call<{ id: string }>(url, token, 'POST', '/v1/releases', {
      service: SERVICES[i % SERVICES.length],
      version: `${tag}.${i}.0`,
      createdAt: new Date(Date.UTC(2025, 1, 1) + i * 86_400_000).toISOString(),
      strategy: 'canary',
      changes: Array.from({ length: rng.int(1, 3) }, (_, j) => ({
        id: `${tag}-${i}-${j}-${rng.hex(8)}`,
        title: text(rng, 5),
        body: text(rng, 30),
        author: rng.pick(['ana', 'bo', 'cy']),
        labels: [rng.pick(['fix', 'feature', 'chore'])],
        files: [{ path: `src/${rng.pick(WORDS)}.ts`, additions: rng.int(1, 200), deletions: rng.int(0, 50) }],
        diff: `--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1 +1 @@\n-${rng.pick(WORDS)}\n+${rng.pick(WORDS)}`,
      })),
    });
    releases.push(created.id);
    const detail = await call<{ changeList: { id: string; externalId: string }[] }>(url, token, 'GET', `/v1/releases/${created.id}`);
    for (const c of detail.changeList) {
      changes.push(c.id);
      externalIds.push(c.externalId);
    }
    if (i % 2 === 1) {
      await call(url, token, 'POST', `/v1/releases/${created.id}/outcome`, { outcome: i % 4 === 1 ? 'failure' : 'success' });
    }
  }
  return { releases, changes, externalIds };
}

/** Creates the seed records and answers the pools of ids fuzzed requests draw from. */
export async function seedData(url: string, creds: Credentials, seed: number): Promise<Pools> {
  const rng = new Rng(seed, 'seed');
  const documents = await seedDocuments(url, creds.admin, rng, 16, 'seed');
  const disposable = await seedDocuments(url, creds.admin, rng, 12, 'disposable');
  const a = await seedReleases(url, creds.admin, rng, 6, 'seed');
  await call(url, creds.admin, 'POST', `/v1/releases/${a.releases[0]}/risk`);
  const hits = await call<{ results: { chunkId: string }[] }>(url, creds.admin, 'GET', '/v1/search?q=deploy%20rollback&k=20');
  if (hits.results.length === 0) throw new Error('seeding: a search over the seeded documents found no chunk');
  const foreignDocuments = await seedDocuments(url, creds.foreign, rng, 3, 'foreign');
  const b = await seedReleases(url, creds.foreign, rng, 2, 'foreign');
  return {
    services: SERVICES,
    documents,
    disposable,
    releases: a.releases,
    chunks: hits.results.map((h) => h.chunkId),
    changes: a.changes,
    changeExternalIds: a.externalIds,
    foreign: { documents: foreignDocuments, releases: b.releases },
    words: WORDS,
  };
}
