import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/app.js';
import { SETUPS } from '../support/setups.js';

/** Release notes over HTTP: draft, edit, approve; every version kept; every citation opens; tenants apart. */
for (const setup of SETUPS) {
  describe.runIf(await setup.available())(`release notes API: ${setup.name}`, () => {
    let t: TestServer;
    let drop: () => Promise<void>;
    let writer: string;
    let manager: string;
    let reader: string;
    let other: string;
    let releaseId: string;

    const changes = [
      {
        id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        title: 'feat(export): add CSV export of orders (#12)',
        files: [{ path: 'src/export.ts', additions: 80, deletions: 0 }],
      },
      {
        id: 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        title: 'fix(cart): no crash when the cart is empty (#13)',
        files: [{ path: 'src/cart.ts', additions: 3, deletions: 1 }],
      },
      {
        id: 'c1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        title: 'test: cover the empty cart (#14)',
        files: [{ path: 'test/cart.test.ts', additions: 20, deletions: 0 }],
      },
      {
        id: 'd1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        title: 'ci: cache node_modules (#15)',
        files: [{ path: '.github/workflows/ci.yml', additions: 4, deletions: 0 }],
      },
      // Registered under an id of its own (no PR number, no commit hash): cited by that id.
      { id: 'shop-pr-77', title: 'fix(totals): round the tax per line', files: [{ path: 'src/totals.ts', additions: 5, deletions: 2 }] },
    ];

    beforeAll(async () => {
      const opened = await setup.open();
      drop = opened.drop;
      t = await startTestServer({ database: opened.database, env: opened.env });
      writer = await t.token('acme', ['ingest', 'read', 'score']);
      manager = await t.app.tokens
        .create({ tenant: 'acme', name: 'release-manager-ana', scopes: ['read', 'approve'] })
        .then((x) => x.token);
      reader = await t.token('acme', ['read']);
      other = await t.token('globex', ['ingest', 'read', 'score', 'approve']);
      const r = await t.call('POST', '/v1/releases', {
        token: writer,
        body: { service: 'shop', version: '2.0.0', flags: ['csv_export'], changes },
      });
      expect(r.status).toBe(201);
      releaseId = r.body.id;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    const path = () => `/v1/releases/${releaseId}/notes`;

    it('drafts notes in which every change is cited or omitted with a reason, and every citation opens', async () => {
      const r = await t.call('POST', path(), { token: writer });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ version: 1, status: 'draft', editDistance: 0, release: '2.0.0', service: 'shop' });
      const { items, omitted, operational } = r.body.draft;
      const cited = items.flatMap((i: { changeIds: string[] }) => i.changeIds);
      const left = omitted.map((o: { changeId: string }) => o.changeId);
      expect(new Set([...cited, ...left])).toEqual(new Set(['#12', '#13', '#14', '#15', 'shop-pr-77']));
      expect(cited).toEqual(expect.arrayContaining(['#12', '#13', 'shop-pr-77']));
      expect(omitted.every((o: { reason: string }) => o.reason.length > 0)).toBe(true);
      for (const item of items) {
        expect(item.evidence.length).toBeGreaterThan(0);
        for (const id of item.evidence) expect((await t.call('GET', `/v1/evidence/${id}`, { token: reader })).status).toBe(200);
      }
      expect(operational.flags).toEqual([expect.objectContaining({ name: 'csv_export' })]);
      const md = await t.call('GET', `${path()}?format=md`, { token: reader });
      expect(md.status).toBe(200);
      expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
      expect(md.body).toContain('CSV export');
    });

    it('an edit is based on the version its author saw: a stale one is a 409 and nothing is stored', async () => {
      const current = (await t.call('GET', path(), { token: reader })).body;
      const items = current.draft.items;
      const stale = await t.call('PUT', path(), { token: manager, body: { basedOn: current.version - 1 || 99, items } });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('conflict');
      expect((await t.call('GET', path(), { token: reader })).body.version).toBe(current.version);
    });

    it('refuses an edit whose item cites a change outside the release, naming it; the evidence ids are the server’s', async () => {
      const current = (await t.call('GET', path(), { token: reader })).body;
      const forged = [
        { section: 'features', text: 'Adds teleportation', changeIds: ['#999'], evidence: ['change:00000000-0000-0000-0000-000000000000'] },
      ];
      const r = await t.call('PUT', path(), { token: manager, body: { basedOn: current.version, items: forged } });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/#999/);
      const ok = await t.call('PUT', path(), {
        token: manager,
        body: {
          basedOn: current.version,
          items: [
            {
              section: 'features',
              text: 'Export orders as CSV',
              changeIds: ['#12'],
              evidence: ['change:00000000-0000-0000-0000-000000000000'],
            },
          ],
        },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.draft.items[0].evidence).not.toContain('change:00000000-0000-0000-0000-000000000000');
      expect(ok.body.draft.items[0].evidence[0]).toMatch(/^change:/);
    });

    it('records the edit as a new version with its distance from the draft; the removed changes stay accounted for', async () => {
      const v = (await t.call('GET', path(), { token: reader })).body;
      expect(v.version).toBe(2);
      expect(v.versions.map((x: { kind: string }) => x.kind)).toEqual(['draft', 'edit']);
      expect(v.versions[1].actor).toBe('release-manager-ana');
      expect(v.editDistance).toBeGreaterThan(0);
      expect(v.draft.items[0].origin).toBe('person');
      const left = v.draft.omitted.map((o: { changeId: string }) => o.changeId);
      expect(left).toEqual(expect.arrayContaining(['#13', '#14', '#15', 'shop-pr-77']));
      expect(v.draft.omitted.find((o: { changeId: string }) => o.changeId === '#13').reason).toBe('edited_out');
      // The first version is still there, unchanged.
      const first = (await t.call('GET', `${path()}?version=1`, { token: reader })).body;
      expect(first.version).toBe(1);
      expect(first.editDistance).toBe(0);
    });

    it('approval needs the approve scope, is a decision with the token name, and happens once', async () => {
      expect((await t.call('POST', `${path()}/approve`, { token: writer })).status).toBe(403);
      const stale = await t.call('POST', `${path()}/approve`, { token: manager, body: { version: 1 } });
      expect(stale.status).toBe(409);
      const ok = await t.call('POST', `${path()}/approve`, { token: manager, body: { reason: 'reads well' } });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'approved', approvedBy: 'release-manager-ana', version: 2 });
      const again = await t.call('POST', `${path()}/approve`, { token: manager });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already approved by release-manager-ana/);
      const decisions = (await t.call('GET', `/v1/releases/${releaseId}/decisions`, { token: reader })).body.decisions;
      expect(decisions).toEqual([
        expect.objectContaining({ action: 'approve_notes', actor: 'release-manager-ana', reason: 'reads well', notesVersion: 2 }),
      ]);
    });

    it('a new draft over approved notes is refused unless asked for, and is then a new version needing approval', async () => {
      const refused = await t.call('POST', path(), { token: writer, body: { llm: false } });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/approved by release-manager-ana.*replace/);
      const typo = await t.call('POST', `${path()}/approve`, { token: manager, body: { versoin: 2 } });
      expect(typo.status).toBe(400);
      const r = await t.call('POST', path(), { token: writer, body: { llm: false, replace: true } });
      expect(r.status).toBe(201);
      expect(r.body).toMatchObject({ version: 3, status: 'draft', approvedBy: null });
    });

    it('an edit cannot vouch for where a line came from: origin and why are the server’s', async () => {
      const v = (await t.call('GET', path(), { token: reader })).body;
      const [first, ...rest] = v.draft.items;
      // Same words, other change: a person's line, whatever the client says; an untouched line keeps its origin.
      const forged = { ...first, changeIds: ['#13'], origin: 'llm', why: 'removes export `foo`' };
      const r = await t.call('PUT', path(), { token: manager, body: { basedOn: v.version, items: [forged, ...rest] } });
      expect(r.status).toBe(200);
      expect(r.body.draft.items[0]).toMatchObject({ origin: 'person', changeIds: ['#13'] });
      expect(r.body.draft.items[0].why).toBeUndefined();
      expect(r.body.draft.items.slice(1).map((i: { origin: string }) => i.origin)).toEqual(rest.map(() => 'rules'));
      // A person's line shows what it cites even when its words name no change.
      const plain = await t.call('PUT', path(), {
        token: manager,
        body: { basedOn: r.body.version, items: [{ section: 'features', text: 'Orders export as CSV', changeIds: ['#12'] }] },
      });
      expect(plain.body.markdown).toContain('- Orders export as CSV (#12)');
    });

    it('bad input is a 400 with a code, and nothing is stored', async () => {
      const raw = await t.call('POST', path(), { token: writer, raw: '{"llm": tru', headers: { 'content-type': 'application/json' } });
      expect(raw.status).toBe(400);
      expect(raw.body.error.code).toBe('invalid_json');
      const wrong = await t.call('POST', path(), { token: writer, body: { llm: 'yes' } });
      expect(wrong.status).toBe(400);
      const empty = await t.call('PUT', path(), {
        token: manager,
        body: { basedOn: 5, items: [{ section: 'features', text: 'x', changeIds: [] }] },
      });
      expect(empty.status).toBe(400);
      expect((await t.call('GET', path(), { token: reader })).body.version).toBe(5);
      const bad = await t.call('GET', `${path()}?format=pdf`, { token: reader });
      expect(bad.status).toBe(400);
      expect((await t.call('GET', `${path()}?version=42`, { token: reader })).status).toBe(404);
    });

    it('another tenant sees no notes and cannot draft or approve them', async () => {
      expect((await t.call('GET', path(), { token: other })).status).toBe(404);
      expect((await t.call('POST', path(), { token: other })).status).toBe(404);
      expect((await t.call('POST', `${path()}/approve`, { token: other })).status).toBe(404);
      expect((await t.call('PUT', path(), { token: other, body: { basedOn: 5, items: [] } })).status).toBe(404);
    });

    it('a release without changes gets an empty draft that says so', async () => {
      const r = await t.call('POST', '/v1/releases', { token: writer, body: { service: 'shop', version: '2.0.1' } });
      const d = await t.call('POST', `/v1/releases/${r.body.id}/notes`, { token: writer });
      expect(d.status).toBe(201);
      expect(d.body.draft.items).toEqual([]);
      expect(d.body.draft.warnings.join(' ')).toMatch(/no changes/);
    });
  });
}
