import { describe, expect, it } from 'vitest';
import type { ReleaseRow } from '../../src/console/deps.js';
import { browser, consoleApp, formFor } from './client.js';
import { ACME, ALICE, ASSESSMENT, CHANGE, CHUNK, CI, fakeDeps, INCIDENT, QUIET_RELEASE, RELEASE, seedAudit, WINDOW } from './fakes.js';

const RELEASE_PATH = `/console/releases/${RELEASE}`;
const DECIDE = `${RELEASE_PATH}/decisions`;

async function session(token = ALICE, f = fakeDeps()) {
  const b = browser(consoleApp(f.deps));
  expect((await b.login(token)).status).toBe(303);
  return { f, b };
}

/** The text of a page without its tags (what a reader sees), spaces collapsed. */
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('console: releases list', () => {
  it('lists the tenant’s releases with risk, advisor and policy, each linking to its page', async () => {
    const { b } = await session();
    const res = await b.get('/console');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`href="${RELEASE_PATH}"`);
    expect(res.text).toContain(`href="/console/releases/${QUIET_RELEASE}"`);
    expect(res.text).toContain('<span class="badge lvl-high">high · 72</span>');
    expect(res.text).toContain('<span class="badge act-halt">halt</span>');
    expect(res.text).toContain('<span class="badge pol-needs_approval">needs approval</span>');
    expect(res.text).toContain('not assessed');
    expect(res.text).toContain('aria-current="page">Releases');
    expect(visible(res.text)).toContain('alice @ acme');
  });

  it('says where each release stands without a blank verdict: its policy state, when it was deployed, or that it has no assessment', async () => {
    const f = fakeDeps();
    const row = (id: string, over: Partial<ReleaseRow>): ReleaseRow => ({
      id,
      service: 'payments',
      version: id,
      environment: 'production',
      createdAt: '2026-10-01T08:00:00.000Z',
      deployedAt: null,
      outcome: null,
      level: null,
      score: null,
      advisor: null,
      policy: null,
      ...over,
    });
    f.deps.governance.releaseRows = async () => [
      row('waiting', { level: 'medium', score: 31, policy: 'needs_approval' }),
      // Approved by two people and promoted: the service gives no state for a deployed release.
      row('promoted', { level: 'medium', score: 31, deployedAt: '2026-10-02T09:30:00.000Z', outcome: 'success' }),
      row('imported', { deployedAt: '2026-09-28T17:02:00.000Z', outcome: 'rolled_back' }),
      row('fresh', {}),
    ];
    const { b } = await session(ALICE, f);
    const html = (await b.get('/console')).text;
    const policyOf = (id: string) => {
      const tr = html.split('<tr>').find((t) => t.includes(`href="/console/releases/${id}"`))!;
      return visible(tr.match(/<td data-label="Policy">([\s\S]*?)<\/td>/)![1]!).trim();
    };
    expect(policyOf('waiting')).toBe('needs approval');
    expect(policyOf('promoted')).toBe('deployed 2026-10-02');
    expect(policyOf('imported')).toBe('deployed 2026-09-28');
    expect(policyOf('fresh')).toBe('no assessment');
    expect(html).not.toContain('no verdict');
    // The environment sits under the release's name; the times are UTC, as the headers say.
    expect(visible(html)).toContain('Created (UTC) Deployed (UTC)');
    expect(html).toMatch(/>payments promoted<\/a><div class="muted small">production<\/div>/);
    expect(html).toContain('<time datetime="2026-10-02T09:30:00.000Z" title="2026-10-02T09:30:00.000Z">2026-10-02 09:30</time>');
  });

  it('filters by service', async () => {
    const { f, b } = await session();
    const res = await b.get('/console?service=search');
    expect(res.text).toContain('search 0.9.1');
    expect(res.text).not.toContain('payments 2.14.0');
    expect(res.text).toContain('value="search"');
    expect((await b.get('/console?service=nothing')).text).toContain('No release of nothing yet.');
    expect(f.calls.filter((c) => c.method === 'releaseRows').length).toBe(2);
  });
});

describe('console: release page', () => {
  it('shows the risk, the policy verdict with its missing approvals, and what was not counted', async () => {
    const { b } = await session();
    const res = await b.get(RELEASE_PATH);
    expect(res.status).toBe(200);
    const text = visible(res.text);
    expect(text).toContain('payments 2.14.0');
    expect(res.text).toContain('<span class="score" aria-label="score">72</span>');
    // The model's recommendation and threshold are labelled as the model's; the policy card says what the release needs.
    const risk = visible(res.text.match(/<section class="card" aria-labelledby="risk-h">[\s\S]*?<\/section>/)![0]);
    expect(risk).toContain("Model's recommendation promote with approval");
    expect(risk).toContain("Model's default threshold approval from high and above");
    expect(risk).toContain('What this release needs is decided by its policy: see the policy');
    expect(risk).not.toMatch(/recommends|Approval from|needs one/);
    expect(res.text).toMatch(/<section class="card" aria-labelledby="risk-h">[\s\S]*?<a href="#policy-h">see the policy<\/a>/);
    expect(res.text).toContain('<span class="badge pol-needs_approval">needs approval</span>');
    expect(text).toContain('A high-risk release needs one approval before promotion.');
    expect(text).toContain('needs 1 more approval');
    expect(text).toContain('Approvals (0 of 1 required)');
    expect(text).toContain('zoe');
    expect(text).toContain('approved an earlier assessment');
  });

  it('lists factors with bars, and evidence and reasons that link to the evidence pages', async () => {
    const { b } = await session();
    const html = (await b.get(RELEASE_PATH)).text;
    const link = (id: string) => `href="/console/evidence/${encodeURIComponent(id)}?release=${RELEASE}"`;
    expect(html).toContain('Lines changed');
    expect(html).toMatch(/<svg class="bar"[^>]*aria-label="contribution 0.9"/);
    expect(html).toMatch(/<svg class="bar"[^>]*aria-label="contribution -0.3"/);
    for (const id of [`change:${CHANGE}`, `incident:${INCIDENT}`, CHUNK]) expect(html).toContain(link(id));
    // The second reason cites the incident [2] and the runbook [3].
    expect(html).toMatch(
      /The service had an incident 12 days ago\.<span class="cites"><a class="cite" [^>]*>\[2\]<\/a><a class="cite" [^>]*>\[3\]<\/a>/,
    );
    expect(html).toContain('the largest change of the release');
  });

  it('draws the advisor timeline: a row for the advice and one per metric, coloured by action and verdict', async () => {
    const { b } = await session();
    const html = (await b.get(RELEASE_PATH)).text;
    const svg = html.match(/<svg class="chart"[\s\S]*?<\/svg>/)![0];
    expect(svg).toContain('aria-label="Advisor timeline: 4 advisories, latest halt"');
    expect(svg).toContain('>errors</text>');
    expect(svg).toContain('>latency_p99_ms</text>');
    expect(svg.match(/<circle class="mk-/g)).toHaveLength(4);
    expect(svg).toContain('class="mk-halt"');
    expect(svg).toContain('class="mk-insufficient_data"');
    expect(svg.match(/<circle class="v-/g)).toHaveLength(8);
    expect(svg).toMatch(/<circle class="v-fail"[^>]*><title>errors at #4: fail; canary 0.024 vs baseline 0.01 \(effect \+140%/);
    expect(html).toContain('needs acknowledgement');
    expect(html).toContain(`/console/evidence/${encodeURIComponent(`window:${WINDOW}`)}`);
  });

  it('shows the notes with their citations, the editor and the approve form, and the decision forms', async () => {
    const { b } = await session();
    const html = (await b.get(RELEASE_PATH)).text;
    expect(html).toContain('Card payments retry once on a network error.');
    expect(html).toMatch(/title="change #482">#482<\/a>/);
    const edit = formFor(html, `${RELEASE_PATH}/notes`);
    expect(edit.fields.basedOn).toBe('1');
    expect(html).toContain(
      '<textarea id="item-0" name="text.0" rows="2" maxlength="2000">Card payments retry once on a network error.</textarea>',
    );
    expect(formFor(html, `${RELEASE_PATH}/notes/approve`).fields.version).toBe('1');
    expect(formFor(html, DECIDE, 'approval').fields.assessmentId).toBe(ASSESSMENT);
    expect(formFor(html, DECIDE, 'rollout').fields.advisoryId).toMatch(/^99999993-/);
    for (const action of ['approve', 'reject', 'acknowledge', 'promote', 'halt', 'rollback', 'override'])
      expect(html).toContain(`name="action" value="${action}"`);
    // Every form has its own one-time token.
    const tokens = [...html.matchAll(/name="_form" value="([^"]+)"/g)].map((m) => m[1]);
    expect(tokens.length).toBe(5);
    expect(new Set(tokens).size).toBe(5);
  });

  it('says what a release does not have yet', async () => {
    const { b } = await session();
    const text = visible((await b.get(`/console/releases/${QUIET_RELEASE}`)).text);
    expect(text).toContain('Not assessed yet');
    expect(text).toContain('Not watched');
    expect(text).toContain('No release notes yet');
    expect(text).toContain('No decision recorded yet.');
    expect(text).toContain('There is no assessment to answer yet.');
  });

  it('answers an unknown release 404 with its code', async () => {
    const { b } = await session();
    const res = await b.get('/console/releases/44444444-4444-4444-8444-444444444444');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<strong>not_found</strong> no release 44444444-4444-4444-8444-444444444444');
  });
});

describe('console: decisions', () => {
  const fresh = async (b: ReturnType<typeof browser>, hint: 'approval' | 'rollout', path = RELEASE_PATH) =>
    formFor((await b.get(path)).text, `${path}/decisions`, hint).fields;

  it('records an approval answering the latest assessment, then shows it and the allowed verdict', async () => {
    const { f, b } = await session();
    const res = await b.post(DECIDE, { ...(await fresh(b, 'approval')), action: 'approve', reason: 'reviewed the charge path' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${RELEASE_PATH}?recorded=approve#decisions`);
    expect(f.decisions).toMatchObject([
      { action: 'approve', actor: 'alice', reason: 'reviewed the charge path', assessmentId: ASSESSMENT },
    ]);
    const page = await b.get(`${RELEASE_PATH}?recorded=approve`);
    expect(page.text).toContain('Your approval was recorded.');
    expect(page.text).toContain('<span class="badge pol-allowed">allowed</span>');
    expect(visible(page.text)).toContain('approve reviewed the charge path assessment aaaaaaaa');
  });

  it('shows the refusal of a second approval (409) on the release page, keeping the words typed', async () => {
    const { f, b } = await session();
    await b.post(DECIDE, { ...(await fresh(b, 'approval')), action: 'approve', reason: 'first' });
    const res = await b.post(DECIDE, { ...(await fresh(b, 'approval')), action: 'approve', reason: 'second look' });
    expect(res.status).toBe(409);
    expect(res.text).toContain(
      `<div class="problem" role="alert"><strong>conflict</strong> alice already answered assessment ${ASSESSMENT} with approve</div>`,
    );
    expect(res.text).toContain('>second look</textarea>');
    expect(res.text).toContain('payments 2.14.0');
    expect(f.decisions).toHaveLength(1);
  });

  it('shows self-approval refused (403) and an approval without an assessment refused (409)', async () => {
    const ci = await session(CI);
    const self = await ci.b.post(DECIDE, { ...(await fresh(ci.b, 'approval')), action: 'approve', reason: 'mine' });
    expect(self.status).toBe(403);
    expect(self.text).toContain('<strong>forbidden</strong> ci registered this release');

    const { b } = await session();
    const quiet = `/console/releases/${QUIET_RELEASE}`;
    const none = await b.post(`${quiet}/decisions`, { ...(await fresh(b, 'approval', quiet)), action: 'approve', reason: 'ok' });
    expect(none.status).toBe(409);
    expect(none.text).toContain('has no assessment to approve yet');
  });

  it('requires a reason and a known action (400)', async () => {
    const { f, b } = await session();
    const blank = await b.post(DECIDE, { ...(await fresh(b, 'rollout')), action: 'halt', reason: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('a reason is required');
    const unknown = await b.post(DECIDE, { ...(await fresh(b, 'rollout')), action: 'delete', reason: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('validation_failed');
    expect(f.decisions).toHaveLength(0);
  });

  it('records rollout decisions answering the advisory shown, and marks one that goes against the advice', async () => {
    const { f, b } = await session();
    expect((await b.post(DECIDE, { ...(await fresh(b, 'rollout')), action: 'acknowledge', reason: 'on it' })).status).toBe(303);
    expect((await b.post(DECIDE, { ...(await fresh(b, 'rollout')), action: 'promote', reason: 'false alarm' })).status).toBe(303);
    expect(f.decisions.map((d) => [d.action, d.advised, d.overridesAdvice])).toEqual([
      ['acknowledge', 'halt', false],
      ['promote', 'halt', true],
    ]);
    const text = visible((await b.get(RELEASE_PATH)).text);
    expect(text).toContain('promote against the advice false alarm advisory (advised halt)');
  });
});

describe('console: release notes', () => {
  it('saves an edit as a new version: changed words, an emptied item left out, the summary', async () => {
    const { f, b } = await session();
    const form = formFor((await b.get(RELEASE_PATH)).text, `${RELEASE_PATH}/notes`);
    const res = await b.post(`${RELEASE_PATH}/notes`, {
      ...form.fields,
      'text.0': 'Card payments now retry once when the network drops.',
      'text.1': '',
      summary: 'One improvement.',
      reason: 'clearer',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${RELEASE_PATH}?recorded=notes_saved#notes`);
    const v2 = f.notesVersions[1]!;
    expect(v2.version).toBe(2);
    expect(v2.summary).toBe('One improvement.');
    expect(v2.draft.items.map((i) => [i.section, i.text, i.changeIds])).toEqual([
      ['features', 'Card payments now retry once when the network drops.', ['#482']],
    ]);
    const page = await b.get(`${RELEASE_PATH}?recorded=notes_saved`);
    expect(page.text).toContain('The edited notes were saved as a new version.');
    expect(formFor(page.text, `${RELEASE_PATH}/notes`).fields.basedOn).toBe('2');
  });

  it('refuses an edit based on an older version (409) and shows why', async () => {
    const { f, b } = await session();
    const stale = formFor((await b.get(RELEASE_PATH)).text, `${RELEASE_PATH}/notes`);
    const first = formFor((await b.get(RELEASE_PATH)).text, `${RELEASE_PATH}/notes`);
    expect((await b.post(`${RELEASE_PATH}/notes`, { ...first.fields, 'text.0': 'newer words' })).status).toBe(303);
    const res = await b.post(`${RELEASE_PATH}/notes`, { ...stale.fields, 'text.0': 'older words' });
    expect(res.status).toBe(409);
    expect(res.text).toContain('this edit is based on version 1, but version 2 is the latest');
    expect(f.notesVersions).toHaveLength(2);
  });

  it('approves the version shown; approving again is refused (409)', async () => {
    const { f, b } = await session();
    const form = () => b.get(RELEASE_PATH).then((r) => formFor(r.text, `${RELEASE_PATH}/notes/approve`));
    const res = await b.post(`${RELEASE_PATH}/notes/approve`, { ...(await form()).fields, reason: 'read it' });
    expect(res.status).toBe(303);
    expect(f.notesVersions[0]).toMatchObject({ status: 'approved', approvedBy: 'alice' });
    const page = await b.get(`${RELEASE_PATH}?recorded=notes_approved`);
    expect(page.text).toContain('The release notes are approved.');
    expect(page.text).toContain('<span class="badge pol-allowed">approved</span>');
    const again = await b.post(`${RELEASE_PATH}/notes/approve`, { ...(await form()).fields });
    expect(again.status).toBe(409);
    expect(again.text).toContain('was already approved by alice');
    const bad = await b.post(`${RELEASE_PATH}/notes/approve`, { ...(await form()).fields, version: 'one' });
    expect(bad.status).toBe(400);
  });
});

describe('console: evidence', () => {
  it('shows the cited text marked inside its document, with the way back to the release', async () => {
    const { b } = await session();
    const res = await b.get(`/console/evidence/${encodeURIComponent(CHUNK)}?release=${RELEASE}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<mark class="cited">1. Scale the canary to 0.\n2. Re-run the smoke test.</mark>');
    expect(res.text).toContain('Payments rollback runbook');
    expect(res.text).toContain('confluence');
    expect(res.text).toContain(`href="${RELEASE_PATH}#evidence"`);
    expect(res.text).toContain('GET /v1/documents/doc-2?body=true');
  });

  it('links back to the list when the release given is not an id, and answers an unknown id 404', async () => {
    const { b } = await session();
    const res = await b.get(`/console/evidence/incident:${INCIDENT}?release=${encodeURIComponent('"><a href=//evil')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<a href="/console">← releases</a>');
    expect(res.text).not.toContain('evil');
    const missing = await b.get('/console/evidence/not-an-id');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('no evidence not-an-id');
  });
});

describe('console: audit', () => {
  it('pages the log under a green banner when the chain verifies', async () => {
    const f = fakeDeps();
    seedAudit(f, 60);
    const { b } = await session(ALICE, f);
    const first = await b.get('/console/audit');
    expect(first.status).toBe(200);
    expect(first.text).toContain(`Chain verified: 60 entries, head <code>${f.audit.at(-1)!.hash.slice(0, 16)}…</code>`);
    expect(first.text).toContain('<td data-label="#" class="num">50</td>');
    expect(first.text).not.toContain('<td data-label="#" class="num">51</td>');
    expect(first.text).toContain('href="/console/audit?after=50"');
    expect(first.text).toContain(f.audit[0]!.hash.slice(0, 10));
    expect(first.text).toContain('GET /v1/audit?format=csv');
    const next = await b.get('/console/audit?after=50');
    expect(next.text).toContain('<td data-label="#" class="num">60</td>');
    expect(next.text).not.toContain('?after=60');
    expect((await b.get('/console/audit?after=-1')).status).toBe(400);
  });

  it('says where the chain is broken, in red', async () => {
    const f = fakeDeps();
    seedAudit(f, 20);
    f.breakAudit();
    const { b } = await session(ALICE, f);
    const res = await b.get('/console/audit');
    expect(res.text).toContain(
      '<div class="banner banner-bad" role="alert">Chain broken at <a href="/console/audit?after=16#entry-17">entry #17</a> (edited): its hash does not match its fields',
    );
    // The entry itself is marked in the list, and only that one.
    expect(res.text.match(/<tr id="entry-\d+" class="row-bad">/g)).toEqual(['<tr id="entry-17" class="row-bad">']);
    expect(res.text).toContain('<span class="flag flag-bad">edited</span>');
  });

  it('links a release decision to its release', async () => {
    const { b } = await session();
    const form = formFor((await b.get(RELEASE_PATH)).text, DECIDE, 'rollout');
    await b.post(DECIDE, { ...form.fields, action: 'halt', reason: 'errors' });
    const res = await b.get('/console/audit');
    expect(res.text).toContain(`<a class="nw" href="${RELEASE_PATH}">payments 2.14.0</a>`);
    expect(res.text).toContain('Chain verified: 1 entry');
  });
});

describe('console: DORA', () => {
  it('defaults to the last 90 days and shows five figures, the charts and the drill-down', async () => {
    const f = fakeDeps();
    let asked: { from: Date; to: Date; service?: string } | undefined;
    const dora = f.deps.governance.dora;
    f.deps.governance.dora = async (t, q) => ((asked = q), dora(t, q));
    const { b } = await session(ALICE, f);
    const res = await b.get('/console/dora');
    expect(res.status).toBe(200);
    expect(asked!.to.toISOString()).toBe('2026-12-08T00:00:00.000Z');
    expect(asked!.from.toISOString()).toBe('2026-09-08T00:00:00.000Z');
    expect(asked!.service).toBeUndefined();
    for (const key of ['deploymentFrequency', 'leadTime', 'changeFailureRate', 'recoveryTime', 'reworkRate']) {
      expect(res.text).toContain(`id="card-${key}"`);
      expect(res.text).toContain(`href="#fig-${key}"`);
      expect(res.text).toContain(`id="fig-${key}"`);
    }
    const text = visible(res.text);
    expect(text).toContain('0.41 deploys/day');
    expect(text).toContain('high (DORA 2024)');
    expect(text).toContain('fewer than 10 events');
    expect(res.text).toContain('aria-label="Deploys per week, failed deploys stacked"');
    expect(res.text).toContain('aria-label="Median lead time per week, hours"');
    expect(res.text.match(/class="bar-failed"/g)!.length).toBe(13);
    expect(res.text).toContain(`<a href="${RELEASE_PATH}">payments 2.14.0</a>`);
    expect(text).toContain('Checkout errors after payments 2.14.0');
  });

  it('reads the service and the days asked for, and refuses a malformed or reversed window (400)', async () => {
    const f = fakeDeps();
    let asked: { from: Date; to: Date; service?: string } | undefined;
    const dora = f.deps.governance.dora;
    f.deps.governance.dora = async (t, q) => ((asked = q), dora(t, q));
    const { b } = await session(ALICE, f);
    expect((await b.get('/console/dora?service=payments&from=2026-10-01&to=2026-10-31')).status).toBe(200);
    expect(asked).toEqual({ service: 'payments', from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') });
    expect((await b.get('/console/dora?from=2026-13-01')).status).toBe(400);
    expect((await b.get('/console/dora?from=2026-02-30')).status).toBe(400);
    const reversed = await b.get('/console/dora?from=2026-10-02&to=2026-10-01');
    expect(reversed.status).toBe(400);
    expect(reversed.text).toContain('&quot;from&quot; must be on or before &quot;to&quot;');
  });
});

describe('console: policy', () => {
  it('shows each policy with who changed it, when, why, and its YAML', async () => {
    const { b } = await session();
    const res = await b.get('/console/policy');
    expect(res.status).toBe(200);
    const text = visible(res.text);
    expect(text).toContain('default (every service without its own) v1');
    expect(text).toContain('payments v3');
    expect(text).toContain('year-end freeze');
    // One block per line, each with its newline (the YAML reads and copies as it was written) and its indent as a class.
    expect(res.text).toContain(
      '<pre class="yaml"><span class="line i0">service: payments\n</span><span class="line i0">owners: [alice]\n</span>',
    );
    expect(res.text).toContain('<span class="line i4">    from: 2026-12-20T00:00:00Z\n</span>');
    const yaml = res.text.match(/<pre class="yaml">([\s\S]*?)<\/pre>/g)!.map((pre) => pre.replace(/<[^>]+>/g, ''));
    expect(yaml).toContain(
      'service: payments\nowners: [alice]\napprovals:\n  medium: one\n  high: two_with_owner\nfreezes:\n  - name: year-end\n    from: 2026-12-20T00:00:00Z\n    to: 2027-01-04T00:00:00Z\n',
    );
    // Only the newest version comes with the list: a policy with earlier ones says where to read them.
    expect(text).toContain('Earlier versions v1–v2, with who changed each and why: GET /v1/policies/payments');
    expect(text.match(/Earlier versions/g)).toHaveLength(1);
    expect(res.text.indexOf('default (every')).toBeLessThan(res.text.indexOf('payments <span'));
  });

  it('reads the policies of the session’s tenant only', async () => {
    const { f, b } = await session();
    await b.get('/console/policy');
    expect(f.calls.filter((c) => c.method === 'policies')).toEqual([{ method: 'policies', tenantId: ACME.id }]);
  });
});
