import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';

/** Telemetry intake over HTTP: idempotent, refusing what it cannot store whole, tenant-scoped. */
for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`telemetry intake: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let token: string;
    let reader: string;
    let other: string;
    let releaseId: string;
    const now = Date.now();
    const sec = (ms: number) => Math.floor(ms / 1000);

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: { ...opened.env, SHIPCHECK_MAX_BODY_BYTES: String(4 * 1024 * 1024) } });
      token = await t.token('acme', ['ingest', 'read', 'advise', 'approve']);
      reader = await t.token('acme', ['read']);
      other = await t.token('globex', ['ingest', 'read', 'advise', 'approve']);
      const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: '9.1.0', strategy: 'canary' } });
      expect(r.status).toBe(201);
      releaseId = r.body.id;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const samples = (n: number, from: number, value = 100) =>
      Array.from({ length: n }, (_, i) => ({
        metric: 'latency_p99_ms',
        group: 'canary',
        ts: sec(now) - 3600 + from + i,
        value: value + i,
      }));

    it('stores a batch once: the same batch again counts as duplicates', async () => {
      const body = { samples: samples(50, 0) };
      const first = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token, body });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ stored: 50, duplicates: 0, advisory: null });
      const again = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token, body });
      expect(again.body).toMatchObject({ stored: 0, duplicates: 50 });
    });

    it('takes ts as unix seconds or ISO instants, naming the same sample either way', async () => {
      const ts = sec(now) - 1800;
      const a = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        body: { samples: [{ metric: 'cpu', group: 'baseline', ts, value: 0.5 }] },
      });
      expect(a.body.stored).toBe(1);
      const b = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        body: { samples: [{ metric: 'cpu', group: 'baseline', ts: new Date(ts * 1000).toISOString(), value: 0.5 }] },
      });
      expect(b.body).toMatchObject({ stored: 0, duplicates: 1 });
    });

    it('refuses a re-sent sample with another value (409) and stores nothing of that batch', async () => {
      const clash = [...samples(3, 1000), { ...samples(1, 0)[0]!, value: 999 }];
      const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token, body: { samples: clash } });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('conflict');
      expect(r.body.error.message).toMatch(/stored 100, sent 999/);
      // The three new samples of the refused batch were not stored: sending them alone stores them now.
      const after = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token, body: { samples: samples(3, 1000) } });
      expect(after.body).toMatchObject({ stored: 3, duplicates: 0 });
    });

    it('refuses one batch holding the same key twice with two values', async () => {
      const s = samples(1, 2000)[0]!;
      const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        body: { samples: [s, { ...s, value: s.value + 1 }] },
      });
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/samples\[0\] and samples\[1\]/);
    });

    it('refuses far-future samples (a clock or unit mistake) naming them, and NaN or Infinity as strings', async () => {
      const ms = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        body: { samples: [{ metric: 'x', group: 'canary', ts: now, value: 1 }] },
      });
      // Milliseconds read as seconds lie thousands of years ahead: out of the instant range, or refused as future.
      expect(ms.status).toBe(400);
      const future = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        body: { samples: [...samples(2, 3000), { metric: 'x', group: 'canary', ts: sec(now) + 3600, value: 1 }] },
      });
      expect(future.status).toBe(400);
      expect(future.body.error.message).toMatch(/samples\[2\]/);
      for (const value of ['NaN', 'Infinity', null]) {
        const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
          token,
          body: { samples: [{ metric: 'x', group: 'canary', ts: sec(now), value }] },
        });
        expect(r.status).toBe(400);
        expect(r.body.error.message).toMatch(/samples\.0\.value/);
      }
      const raw = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        raw: `{"samples":[{"metric":"x","group":"canary","ts":${sec(now)},"value":NaN}]}`,
        headers: { 'content-type': 'application/json' },
      });
      expect(raw.status).toBe(400);
      expect(raw.body.error.code).toBe('invalid_json');
    });

    it('takes at most 10,000 samples a request', async () => {
      const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token, body: { samples: samples(10_001, 5000) } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/samples/);
      const ok = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token, body: { samples: samples(10_000, -20_000) } });
      expect(ok.status).toBe(200);
      expect(ok.body.stored).toBe(10_000);
    });

    it('needs the advise scope, and another tenant does not see the release', async () => {
      const body = { samples: samples(1, 9000) };
      expect((await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token: reader, body })).status).toBe(403);
      const foreign = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, { token: other, body });
      expect(foreign.status).toBe(404);
      expect((await t.call('GET', `/v1/releases/${releaseId}/advice`, { token: other })).status).toBe(404);
      expect((await t.call('GET', `/v1/releases/${releaseId}/decisions`, { token: other })).status).toBe(404);
    });

    it('concurrent batches of one watched release each get a look of their own, in sequence, with no 500', async () => {
      const r = await t.call('POST', '/v1/releases', { token, body: { service: 'checkout', version: '9.1.1', strategy: 'canary' } });
      await t.call('POST', `/v1/releases/${r.body.id}/rollout`, { token, body: { action: 'start', canaryWeight: 0.1 } });
      const batches = [0, 1, 2, 3, 4, 5].map((i) => ({ samples: samples(20, -30_000 + i * 20) }));
      const answers = await Promise.all(batches.map((body) => t.call('POST', `/v1/releases/${r.body.id}/telemetry`, { token, body })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const history = (await t.call('GET', `/v1/releases/${r.body.id}/advice?history=true`, { token })).body.history;
      expect(history.map((a: { sequence: number }) => a.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('redacts secrets in log lines before storing them', async () => {
      const secret = 'AKIAIOSFODNN7EXAMPLE';
      const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token,
        body: { logs: [{ group: 'canary', line: `connecting with aws_access_key_id=${secret} failed` }] },
      });
      expect(r.status).toBe(200);
      expect(r.body.logLines).toBe(1);
      const dump = await t.app.database.db.execute(`select line from telemetry_logs` as never);
      expect(JSON.stringify(dump)).not.toContain(secret);
    });
  });
}
