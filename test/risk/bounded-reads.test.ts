import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/contracts/embedder.js';
import { HashingEmbedder } from '../../src/ingest/embed/hashing.js';
import { createRetrieval } from '../../src/retrieval/search.js';
import type { RiskStore } from '../../src/risk/ports.js';
import { createRiskService } from '../../src/risk/service.js';
import { createStore, type Database } from '../../src/store/index.js';
import { DEMO_TENANT, pgliteWithDemo } from '../support/demo-db.js';

/** Wraps every method of every port in `calls`, counting by "port.method". */
function counted<T extends object>(name: string, port: T, calls: Map<string, number>): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.set(`${name}.${String(key)}`, (calls.get(`${name}.${String(key)}`) ?? 0) + 1);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

let database: Database;
beforeAll(async () => {
  database = await pgliteWithDemo();
}, 240_000);
afterAll(async () => database?.close());

describe('one assessment reads what one release needs', () => {
  it('embeds once, searches once, and never reads the tenant’s whole history', async () => {
    const store = createStore(database);
    const tenant = (await store.tenants.bySlug(DEMO_TENANT))!;
    const calls = new Map<string, number>();
    const inner = new HashingEmbedder({ dimension: 384 });
    const embedder: Embedder = {
      id: inner.id,
      dimension: inner.dimension,
      embed: (texts) => counted('embedder', inner, calls).embed(texts),
    };
    const risk: RiskStore = {
      history: counted('history', store.risk.history, calls),
      training: counted('training', store.risk.training, calls),
      chunks: counted('chunks', store.risk.chunks, calls),
      models: counted('models', store.risk.models, calls),
      assessments: counted('assessments', store.risk.assessments, calls),
      outcomes: counted('outcomes', store.risk.outcomes, calls),
    };
    const retrieval = createRetrieval({
      chunks: counted('retrieval', store.chunks, calls),
      services: counted('services', store.services, calls),
      embedder,
    });
    const service = createRiskService({ store: risk, embedder, evidenceSearch: retrieval, policy: {}, llmTimeoutMs: 1000 });
    const [latest] = await store.releases.list(tenant.id, { limit: 1, service: 'checkout' });
    await service.assess(tenant.id, latest!.id);
    calls.clear();
    await service.assess(tenant.id, latest!.id);

    expect(calls.get('embedder.embed')).toBe(1);
    expect(calls.get('chunks.nearest')).toBe(1);
    // The evidence search reused the similarity search: retrieval ran no vector query of its own.
    expect(calls.get('retrieval.vectorSearch')).toBeUndefined();
    expect(calls.get('retrieval.textSearch')).toBeGreaterThanOrEqual(1);
    // Nor looked the service up by name: the release carries its id.
    expect(calls.get('services.find')).toBeUndefined();
    // No snapshot (the whole history) outside training; outcomes come as one windowed aggregate.
    expect(calls.get('training.snapshot')).toBeUndefined();
    expect(calls.get('history.outcomeWindow')).toBe(1);
    // Every read is one of these, each bounded to the release (ids, paths, authors, a window), at most twice.
    const expected = [
      'history.release',
      'history.changesOf', // its own changes, and those of the releases shown as evidence
      'history.earlierChanges',
      'history.incidents',
      'history.documentReleases',
      'history.outcomeWindow',
      'history.releases',
      'history.incidentsCausedBy',
      'models.latest',
      'models.scoredOutcomes', // the outcomes since training for the base-rate layer: one model, a time window, a limit
      'embedder.embed',
      'chunks.nearest',
      'retrieval.queryLexemes',
      'retrieval.lexemeShares',
      'retrieval.textSearch',
      'assessments.save',
    ];
    expect([...calls.keys()].filter((k) => !expected.includes(k))).toEqual([]);
    expect(Math.max(...calls.values())).toBeLessThanOrEqual(2);

    // Training embeds the releases in batches, not one call per release.
    calls.clear();
    const summary = await service.train(tenant.id);
    expect(summary.releases).toBeGreaterThan(200);
    expect(calls.get('embedder.embed')).toBe(Math.ceil(summary.releases / 128));
    expect(calls.get('training.snapshot')).toBe(1);
  });
});
