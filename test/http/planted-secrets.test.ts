import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePlantedSet, renderPlantedSet } from '../../fixtures/secrets/generate-planted-set.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';
import { dumpDatabase, findLeaks, loadPlantedSet, plantAll, type AuditResult } from '../support/planted-secrets.js';
import { SETUPS } from '../support/setups.js';

/**
 * Issue target: 0 of the planted set stored, returned, logged or sent to a
 * model, in any field. Every secret of fixtures/secrets/planted-set.json goes
 * into every field of releases, changes, documents (each kind), history and
 * incidents through the real HTTP API and intake; then the database is read
 * directly (every column of every table), and every answer, log line and
 * request to the (fake, local) OpenAI-compatible server is searched.
 */
const items = loadPlantedSet();
/** Which secrets leaked where, as a plain object so a failure prints it. */
const report = (leaks: Map<string, Set<string>>) => Object.fromEntries([...leaks].map(([id, at]) => [id, [...at].sort()]));

describe('the planted set', () => {
  it('is what its seeded generator writes', () => {
    const committed = readFileSync(new URL('../../fixtures/secrets/planted-set.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderPlantedSet(generatePlantedSet()));
  });

  it('has at least 100 secrets of at least 15 kinds, each with a distinctive core', () => {
    expect(items.length).toBeGreaterThanOrEqual(100);
    expect(new Set(items.map((s) => s.kind)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(items.map((s) => s.id)).size).toBe(items.length);
    for (const s of items) {
      expect(s.cores.length, s.id).toBeGreaterThan(0);
      for (const core of s.cores) expect(core.length, s.id).toBeGreaterThanOrEqual(8);
    }
  });
});

for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`planted secrets: ${setup.name}`, () => {
    let t: TestServer;
    let fake: FakeOpenAI;
    let drop: () => Promise<void>;
    let result: AuditResult;
    let dump: { where: string; text: string }[];
    const embedsRemotely = setup === SETUPS[0];

    beforeAll(async () => {
      fake = await startFakeOpenAI();
      // A valid (empty) answer for every assessment: what matters here is what was sent.
      fake.pushChat(...Array.from({ length: 2 * items.length + 20 }, () => ({ content: JSON.stringify({ reasons: [] }) })));
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({
        database: opened.database,
        env: {
          ...opened.env,
          OPENAI_BASE_URL: fake.baseURL,
          // Embedding inputs are chunk texts (in the dump) and search queries, whatever the engine: one setup sends
          // them to the fake model, the other keeps the quicker hashing embedder.
          SHIPCHECK_EMBEDDER: embedsRemotely ? 'openai' : 'hashing',
          SHIPCHECK_MAX_BODY_BYTES: String(20 * 1024 * 1024),
        },
      });
      const token = await t.token('vault-co', ['ingest', 'read', 'score']);
      const tenantId = (await t.app.store.tenants.bySlug('vault-co'))!.id;
      result = await plantAll(t.app, t, token, tenantId, items);
      dump = await dumpDatabase(opened.database);
    }, 900_000);
    afterAll(async () => {
      await t?.close();
      await fake?.close();
      await drop?.();
    });

    it('answers every request without a 5xx, links every outcome to its incident, and a re-post is 200 created:false', () => {
      expect(result.problems).toEqual([]);
    });

    it('stores none of them, in any column of any table', () => {
      // Not vacuous: the rows are there, with the secrets replaced by placeholders.
      const tables = new Set(dump.map((d) => d.where.split('.')[0]));
      for (const table of ['documents', 'chunks', 'releases', 'changes', 'incidents', 'assessments']) expect(tables).toContain(table);
      expect(dump.filter((d) => d.text.includes('[REDACTED:')).length).toBeGreaterThan(items.length * 10);
      expect(report(findLeaks(items, dump))).toEqual({});
    });

    it('answers none of them (releases, documents, evidence, search, risk assessments)', () => {
      const routes = new Set(result.answers.map((a) => a.where));
      for (const route of [
        'GET /v1/releases/{id}',
        'GET /v1/documents/{id}',
        'GET /v1/evidence/{id}',
        'GET /v1/search',
        'POST /v1/releases/{id}/risk',
      ]) {
        expect(routes).toContain(route);
      }
      expect(report(findLeaks(items, result.answers))).toEqual({});
    });

    it('logs none of them', () => {
      expect(t.logLines.length).toBeGreaterThan(0);
      expect(
        report(
          findLeaks(
            items,
            t.logLines.map((text) => ({ where: 'log', text })),
          ),
        ),
      ).toEqual({});
    });

    it('sends none of them to a model (chat prompts and embedding inputs)', () => {
      const sent = fake.requests.map((r) => ({ where: r.path, text: JSON.stringify(r.body) }));
      // One prompt per stored release: all but those a NUL in their fields had refused (at most a few).
      expect(result.releasesStored).toBeGreaterThanOrEqual(items.length - 3);
      expect(sent.filter((r) => r.where === '/v1/chat/completions').length).toBeGreaterThanOrEqual(result.releasesStored);
      if (embedsRemotely) expect(sent.filter((r) => r.where === '/v1/embeddings').length).toBeGreaterThan(0);
      expect(report(findLeaks(items, sent))).toEqual({});
    });
  });
}
