/**
 * The demo walk in a real browser against the real app: the demo
 * organisation (its history, trained model and policies) in PGlite, served
 * by the real HTTP server, on a fixed clock (Tuesday 2026-12-08 10:00 in
 * Berlin: working hours, no freeze). A risky payments release is held by
 * its policy; its author's approval is refused; a citation opens its
 * evidence; two approvals (one from an owner) allow it; the notes are edited
 * and approved; the promotion is recorded; the audit chain verifies, then,
 * once an entry is edited in the database, names it — on the page and in
 * the CLI. Every important state is screenshotted into test/.tmp/walk-*.png.
 * No page may raise a console error (a CSP violation is one).
 * Without /usr/bin/chromium the test is skipped locally and fails in CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutTelemetry } from '../../fixtures/rollout/telemetry.js';
import { browserTestsRun, launchChromium } from '../support/chromium.js';
import { startTestServer, type TestServer } from '../support/app.js';
import { runCli } from '../support/cli.js';
import { DEMO_TENANT, pgliteWithDemo } from '../support/demo-db.js';

const SHOTS = path.resolve('test/.tmp');

/** Tuesday 2026-12-08 09:00 UTC: 10:00 in Berlin, inside the payments policy's working hours and outside its freezes. */
const START = Date.UTC(2026, 11, 8, 9, 0, 0);
const STEP_MS = 1000;

/**
 * The README's walk release, as the README sends it: it moves settlement to a new ledger schema, with a migration,
 * the PSP token and its configuration; the demo model scores it high. Its time is fixed in the file (a Tuesday
 * morning), so the score does not depend on when the walk is run.
 */
const RISKY = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'fixtures/demo/walk/payments-2026.12.1.json'), 'utf8'));

describe.runIf(browserTestsRun)('the demo walk in a browser, against the real app', () => {
  let t: TestServer;
  let browser: Browser;
  let clock = START;
  const tokens: Record<string, string> = {};
  let releaseId: string;
  let releasePath: string;
  /** Console errors and warnings of every page opened, with the page's name. */
  const problems: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const database = await pgliteWithDemo();
    t = await startTestServer({ database, clock: () => clock, logLevel: 'warn' });
    for (const [name, scopes] of [
      ['ci', ['ingest', 'score', 'read', 'advise']],
      ['hana.sato', ['read', 'approve']],
      ['diego.santos', ['read', 'approve', 'advise']],
      ['priya.raman', ['read', 'approve', 'advise']],
    ] as const)
      tokens[name] = (await t.app.tokens.create({ tenant: DEMO_TENANT, name, scopes: [...scopes] })).token;
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A browser context logged in as `who` (a session made from their token through the login form). */
  async function as(who: string, width = 1280, height = 800): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height }, ...(width < 600 ? { isMobile: true, hasTouch: true } : {}) });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${who}: ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${who}: pageerror: ${e.message}`));
    await page.goto(`${t.url}/console/login`);
    await page.fill('#token', tokens[who]!);
    await Promise.all([page.waitForURL(`${t.url}/console`), page.click('button[type=submit]')]);
    await expect(page.locator('.who-name').textContent()).resolves.toContain(who);
    return { context, page };
  }

  /** How wide the page and each box that may scroll on its own are, against the room they have (measured in the page). */
  const widths = (page: Page, selector: string) =>
    page.evaluate<{ page: [number, number]; boxes: [number, number][] }>(
      `({ page: [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth],
          boxes: [...document.querySelectorAll(${JSON.stringify(selector)})].map((el) => [el.scrollWidth, el.clientWidth]) })`,
    );
  const expectFits = async (page: Page, selector: string, what: string) => {
    const w = await widths(page, selector);
    expect(w.page[0], `${what}: the page`).toBeLessThanOrEqual(w.page[1]);
    expect(w.boxes.length, `${what}: ${selector}`).toBeGreaterThan(0);
    for (const [scroll, client] of w.boxes) expect(scroll, `${what}: ${selector}`).toBeLessThanOrEqual(client);
  };

  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: `${SHOTS}/walk-${name}.png`, fullPage });
  const text = async (page: Page, selector: string) => (await page.locator(selector).first().textContent())?.replace(/\s+/g, ' ').trim();
  /** The browser logs a refused form's status as a console error: the one expected is taken out, anything else stays. */
  const expectRefusal = async (status: string) => {
    // The browser may report it a moment after the page has loaded.
    const logged = () => problems.findIndex((p) => p.includes(`status of ${status}`));
    await expect.poll(logged, { message: `a logged ${status}`, timeout: 2000 }).toBeGreaterThanOrEqual(0);
    problems.splice(logged(), 1);
  };

  it('ci registers a risky payments release, scores it, drafts its notes and watches a bad canary', async () => {
    const created = await t.call('POST', '/v1/releases', { token: tokens.ci, body: RISKY });
    expect(created.status).toBe(201);
    releaseId = created.body.id;
    releasePath = `/console/releases/${releaseId}`;

    const risk = await t.call('POST', `/v1/releases/${releaseId}/risk`, { token: tokens.ci });
    expect(risk.status).toBe(200);
    expect(risk.body.level).toBe('high');
    expect(risk.body.policy).toMatchObject({ state: 'needs_approval' });
    expect(risk.body.policy.missing).toContain('needs 2 more approvals, one of them from an owner of payments (priya.raman, marcus.chen)');

    const notes = await t.call('POST', `/v1/releases/${releaseId}/notes`, { token: tokens.ci, body: { llm: false } });
    expect(notes.status).toBe(201);
    expect(notes.body.draft.items.length).toBeGreaterThan(0);

    const start = await t.call('POST', `/v1/releases/${releaseId}/rollout`, {
      token: tokens.ci,
      body: { action: 'start', strategy: 'canary', canaryWeight: 0.1, startedAt: new Date(clock).toISOString(), minDurationSeconds: 60 },
    });
    expect(start.status).toBe(200);
    // A canary with about 6% errors against 0.5%: the advisor halts, then advises a rollback.
    let action = '';
    for (let i = 0; i < 40 && action !== 'rollback'; i++) {
      const from = clock;
      clock += 3000;
      const r = await t.call('POST', `/v1/releases/${releaseId}/telemetry`, {
        token: tokens.ci,
        body: rolloutTelemetry({ fromMs: from, toMs: clock, stepMs: STEP_MS, bad: true, seed: 'payments' }),
      });
      expect(r.status).toBe(200);
      action = r.body.advisory.action;
    }
    expect(action).toBe('rollback');
  });

  it('hana.sato sees it held for approval and is refused approving her own change', async () => {
    const { context, page } = await as('hana.sato');
    const row = page.locator('tr', { has: page.locator(`a[href="${releasePath}"]`) });
    await expect(row.locator('td[data-label=Risk]').textContent()).resolves.toMatch(/^high/);
    await expect(row.locator('td[data-label=Policy]').textContent()).resolves.toBe('needs approval');
    // The demo's history is deployed: its policy state is history, never a blank verdict.
    await expect(page.locator('td[data-label=Policy]').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringMatching(/^deployed \d{4}-\d{2}-\d{2}$/)]),
    );
    await expect(page.locator('td[data-label=Policy]:has-text("no verdict")').count()).resolves.toBe(0);
    // Every column, the policy's included, fits at 1280 px: neither the page nor the table scrolls sideways.
    await expectFits(page, '.table-wrap', 'releases at 1280');
    await shot(page, '01-releases');

    await Promise.all([page.waitForURL(`**${releasePath}`), row.locator(`a[href="${releasePath}"]`).click()]);
    await expect(text(page, 'h1')).resolves.toBe('payments 2026.12.1');
    await expect(text(page, '[aria-labelledby=policy-h] .headline')).resolves.toContain('needs approval');
    await expect(text(page, '[aria-labelledby=policy-h]')).resolves.toContain(
      'needs 2 more approvals, one of them from an owner of payments (priya.raman, marcus.chen)',
    );
    // The risk card gives the model's view and defers to the policy card beside it.
    const risk = await text(page, '[aria-labelledby=risk-h]');
    expect(risk).toContain("Model's recommendation");
    expect(risk).toContain('What this release needs is decided by its policy');
    expect(risk).not.toMatch(/recommends|Approval from/);
    await shot(page, '02-release-held');

    await page.fill('#approval-reason', 'Looks fine to me.');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=approve]')]);
    await expectRefusal('403');
    await expect(text(page, '.problem')).resolves.toMatch(/hana\.sato registered or authored .*forbids self-approval/);
    // What was typed is still there, and nothing was counted.
    await expect(page.inputValue('#approval-reason')).resolves.toBe('Looks fine to me.');
    await expect(text(page, '[aria-labelledby=policy-h]')).resolves.toContain('Approvals (0 of 2 required, one from an owner)');
    await shot(page, '03-self-approval-refused');
    await context.close();
  });

  it('diego.santos follows a citation to its evidence, approves, and acknowledges the advisory', async () => {
    const { context, page } = await as('diego.santos');
    await page.goto(`${t.url}${releasePath}`);
    // The evidence list shows first what the reasons and factors cite, and folds the rest.
    const citedLabels = new Set(await page.locator('#reasons a.cite, #factors a.cite').allTextContents());
    const shownFirst = await page.locator('#evidence > ol > li h3 > span.muted').allTextContents();
    expect(new Set(shownFirst)).toEqual(citedLabels);
    const cite = page.locator('#factors a.cite, #reasons a.cite').first();
    const href = (await cite.getAttribute('href'))!;
    const evidenceId = decodeURIComponent(href.split('/console/evidence/')[1]!.split('?')[0]!);
    const api = await t.call('GET', `/v1/evidence/${encodeURIComponent(evidenceId)}`, { token: tokens.ci });
    expect(api.status).toBe(200);
    await Promise.all([page.waitForURL('**/console/evidence/**'), cite.click()]);
    await expect(text(page, 'h1')).resolves.toBe(api.body.title.replace(/\s+/g, ' ').trim());
    await expect(page.locator('mark.cited').textContent()).resolves.toBe(api.body.text);
    if (api.body.document) await expect(text(page, '.doc-head strong')).resolves.toBe(api.body.document.title);
    await shot(page, '04-evidence');
    await Promise.all([page.waitForURL(`**${releasePath}#evidence`), page.click('a:has-text("back to the release")')]);

    await page.fill('#approval-reason', 'Read the migration and the capture retries; the canary is watched.');
    await Promise.all([page.waitForURL('**recorded=approve**'), page.click('button[value=approve]')]);
    await expect(text(page, '#decisions .banner-ok')).resolves.toMatch(
      /^Your approval was recorded\. Policy now: needs approval needs 1 more approval from an owner of payments/,
    );

    await expect(text(page, '#advisor .headline')).resolves.toContain('needs acknowledgement');
    await page.fill('#rollout-reason', 'Seen: the canary errors match the PSP timeouts; rolling the canary weight down.');
    await Promise.all([page.waitForURL('**recorded=acknowledge**'), page.click('button[value=acknowledge]')]);
    await expect(text(page, '#decisions .banner-ok')).resolves.toMatch(/^The advisory is acknowledged\./);
    await expect(text(page, '[aria-labelledby=policy-h]')).resolves.toContain(
      'needs 1 more approval from an owner of payments (priya.raman, marcus.chen)',
    );
    await expect(text(page, '#decisions tbody')).resolves.toMatch(/diego\.santos acknowledge/);
    await shot(page, '05-one-approval');
    await context.close();
  });

  it('priya.raman edits and approves the notes, approves the release and promotes it', async () => {
    const { context, page } = await as('priya.raman');
    await page.goto(`${t.url}${releasePath}`);
    const edited = 'Settlement now writes to the new ledger schema; the old tables stay readable until the backfill ends.';
    await page.click('summary:has-text("Edit these notes")');
    await page.fill('#item-0', edited);
    await Promise.all([page.waitForURL('**recorded=notes_saved**'), page.click('button:has-text("Save version 2")')]);
    await expect(text(page, '#notes .banner-ok')).resolves.toBe('The edited notes were saved as a new version.');
    await expect(text(page, '#notes')).resolves.toContain(edited);
    await page.fill('#notes-approve-reason', 'Wording checked with finance.');
    await Promise.all([page.waitForURL('**recorded=notes_approved**'), page.click('button:has-text("Approve notes v2")')]);
    await expect(text(page, '#notes .headline')).resolves.toMatch(/^approved by priya\.raman/);

    await page.fill('#approval-reason', 'Owner review: ledger migration is reversible, backfill runbook ready.');
    await Promise.all([page.waitForURL('**recorded=approve**'), page.click('button[value=approve]')]);
    await expect(text(page, '[aria-labelledby=policy-h] .headline')).resolves.toContain('allowed');
    await expect(text(page, '[aria-labelledby=policy-h]')).resolves.toContain('Approvals (2 of 2 required, one from an owner)');

    await page.fill('#rollout-reason', 'Both approvals in; the retry fix addresses the canary errors.');
    await Promise.all([page.waitForURL('**recorded=promote**'), page.click('button[value=promote]')]);
    await expect(text(page, '#decisions .banner-ok')).resolves.toMatch(/^Your promote decision was recorded\. Policy now: allowed/);
    const first = page.locator('#decisions tbody tr').first();
    await expect(first.locator('td[data-label=Who]').textContent()).resolves.toBe('priya.raman');
    await expect(first.locator('td[data-label=Action]').textContent()).resolves.toMatch(/^promote/);
    await shot(page, '06-promoted');
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, '07-allowed');

    // Promoted, the release is deployed: the list says so (the clock's day), not that it has no verdict.
    await page.goto(`${t.url}/console`);
    const listed = page.locator('tr', { has: page.locator(`a[href="${releasePath}"]`) });
    await expect(listed.locator('td[data-label=Policy]').textContent()).resolves.toBe('deployed 2026-12-08');
    await context.close();

    const phone = await as('priya.raman', 390, 844);
    await phone.page.goto(`${t.url}${releasePath}`);
    const { scroll, client } = await phone.page.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth })',
    );
    expect(scroll).toBeLessThanOrEqual(client);
    await shot(phone.page, '08-release-phone', true);
    await phone.context.close();
  });

  it('the audit log verifies, on the page and in the CLI; an edited entry is named by both', async () => {
    const { context, page } = await as('priya.raman');
    await page.goto(`${t.url}/console/audit`);
    const actions = await page.locator('td[data-label=Action]').allTextContents();
    const count = (a: string) => actions.filter((x) => x === a).length;
    expect(count('policy change')).toBe(2);
    expect(count('approve')).toBe(2);
    expect(count('acknowledge')).toBe(1);
    expect(count('approve notes')).toBe(1);
    expect(count('promote')).toBe(1);
    await expect(text(page, '[role=status]')).resolves.toMatch(/^Chain verified: \d+ entries/);
    await shot(page, '09-audit-verified');

    const verify = () => runCli(['audit', 'verify', '--server', t.url, '--token', tokens.ci!]);
    const ok = await verify();
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toMatch(/audit chain verified/);

    await t.app.database.db.execute(
      sql`update audit_log set reason = 'x' where seq = 3 and tenant_id = (select id from tenants where slug = ${DEMO_TENANT})`,
    );
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/BROKEN at entry #3 .*edited/);

    await page.reload();
    await expect(text(page, '.banner-bad')).resolves.toMatch(/^Chain broken at entry #3 \(edited\)/);
    // The edited entry is marked in the list, and the banner links to it.
    await expect(page.locator('tr.row-bad').getAttribute('id')).resolves.toBe('entry-3');
    await expect(page.locator('tr.row-bad td[data-label=Reason]').textContent()).resolves.toBe('x');
    await expect(page.locator('.banner-bad a').getAttribute('href')).resolves.toBe('/console/audit?after=2#entry-3');
    await shot(page, '10-audit-broken');
    await context.close();
  });

  it('shows DORA over the demo history and the demo policies', async () => {
    const { context, page } = await as('priya.raman');
    await page.goto(`${t.url}/console/dora?from=2025-11-01&to=2026-11-01`);
    await expect(text(page, 'h1')).resolves.toBe('DORA metrics');
    await expect(page.locator('.figure').count()).resolves.toBe(5);
    await shot(page, '11-dora');
    // A year of deploys stays readable: the long lists behind the figures are folded, the page stays a few screens long.
    await expect(page.locator('#fig-deploymentFrequency summary').textContent()).resolves.toMatch(/^Deploys \(\d{3}\)$/);
    const height = await page.evaluate<number>('document.scrollingElement.scrollHeight');
    expect(height).toBeLessThan(6000);
    await shot(page, '11-dora-full', true);
    await page.goto(`${t.url}/console/policy`);
    await expect(page.locator('h2').allTextContents()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('default'), expect.stringContaining('payments')]),
    );
    // The demo policies have long comment lines: they wrap inside their boxes.
    await expectFits(page, 'pre.yaml', 'policy at 1280');
    await shot(page, '12-policy');
    await context.close();
    expect(problems).toEqual([]);
  });
});
