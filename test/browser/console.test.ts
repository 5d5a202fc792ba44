/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core):
 * log in, read a release, follow a citation, decide, edit the notes, and
 * visit every page at desktop and phone widths. The page must raise no
 * console error (a CSP violation is one) and never scroll sideways.
 * Without /usr/bin/chromium the test is skipped locally and fails in CI.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../src/console/security.js';
import { browserTestsRun, launchChromium } from '../support/chromium.js';
import { consoleApp } from '../console/client.js';
import { ALICE, CHANGE, fakeDeps, RELEASE } from '../console/fakes.js';

const SHOTS = path.resolve('test/.tmp');

describe.runIf(browserTestsRun)('console in a browser', () => {
  let browser: Browser;
  let server: ReturnType<typeof serve>;
  let base: string;
  const fakes = fakeDeps();

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const app = consoleApp(fakes.deps);
    // A page that breaks the console's CSP: proves a violation reaches the console listener the tests rely on.
    app.get('/csp-probe', (c) => {
      c.header('Content-Security-Policy', CSP);
      return c.html('<!doctype html><title>probe</title><p style="color: red">inline style</p>');
    });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A page that collects every console error and warning (a CSP violation is reported there). */
  async function open(width: number, height: number) {
    const context = await browser.newContext({ viewport: { width, height }, ...(width < 600 ? { isMobile: true, hasTouch: true } : {}) });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    return { context, page, problems };
  }

  async function logIn(page: Page) {
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await page.fill('#token', ALICE);
    await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
  }

  // Evaluated in the page (as text: the tests are type-checked without the DOM's types).
  const noSidewaysScroll = (page: Page) =>
    page.evaluate<{ scroll: number; client: number }>(
      '({ scroll: document.scrollingElement.scrollWidth, client: document.scrollingElement.clientWidth })',
    );

  it('reports a CSP violation as a console error (what the other tests listen for)', async () => {
    const { context, page, problems } = await open(1280, 800);
    await page.goto(`${base}/csp-probe`);
    await page.waitForTimeout(200);
    expect(problems.join('\n')).toMatch(/Content Security Policy/);
    await context.close();
  });

  it('logs in, follows a citation, decides and edits the notes at 1280 px, with no console error', async () => {
    const { context, page, problems } = await open(1280, 800);
    await logIn(page);
    await page.screenshot({ path: `${SHOTS}/console-releases-1280.png`, fullPage: true });
    // Every column of the releases list fits: the table does not scroll inside its box either.
    const table = await page.evaluate<[number, number]>(
      '(({ scrollWidth, clientWidth }) => [scrollWidth, clientWidth])(document.querySelector(".table-wrap"))',
    );
    expect(table[0]).toBeLessThanOrEqual(table[1]);

    await Promise.all([page.waitForURL(`**/console/releases/${RELEASE}`), page.click('a:has-text("payments 2.14.0")')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('payments 2.14.0');
    await page.screenshot({ path: `${SHOTS}/console-release-1280.png`, fullPage: true });

    // A reason's citation opens the evidence page, the cited text marked.
    await Promise.all([page.waitForURL('**/console/evidence/**'), page.locator('#reasons a.cite').first().click()]);
    await expect(page.locator('mark.cited').textContent()).resolves.toContain('Rotate the deploy key');
    await page.screenshot({ path: `${SHOTS}/console-evidence-1280.png`, fullPage: true });
    await Promise.all([page.waitForURL(`**/console/releases/${RELEASE}#evidence`), page.click('a:has-text("back to the release")')]);

    await page.fill('#approval-reason', 'Reviewed the charge path with the payments team.');
    await Promise.all([page.waitForURL('**recorded=approve**'), page.click('button[value=approve]')]);
    await expect(page.locator('.banner-ok').textContent()).resolves.toMatch(/^Your approval was recorded\. Policy now: allowed/);
    expect(fakes.decisions.map((d) => [d.action, d.actor])).toEqual([['approve', 'alice']]);

    await page.click('summary:has-text("Edit these notes")');
    await page.fill('#item-0', 'Card payments now retry once when the network drops.');
    await Promise.all([page.waitForURL('**recorded=notes_saved**'), page.click('button:has-text("Save version 2")')]);
    await expect(page.locator('#notes').textContent()).resolves.toContain('Card payments now retry once when the network drops.');
    expect(fakes.notesVersions.at(-1)!.version).toBe(2);

    // A refused decision shows the API's answer on the page.
    await page.fill('#approval-reason', 'Second look.');
    await Promise.all([page.waitForLoadState('load'), page.click('button[value=approve]')]);
    await expect(page.locator('.problem').textContent()).resolves.toContain('conflict');
    // The browser logs the refusal's status; it is the one expected here.
    expect(problems.splice(0)).toEqual(['error: Failed to load resource: the server responded with a status of 409 (Conflict)']);
    await page.screenshot({ path: `${SHOTS}/console-release-refused-1280.png`, fullPage: false });

    for (const p of ['audit', 'dora', 'policy']) {
      await page.goto(`${base}/console/${p}`);
      await page.screenshot({ path: `${SHOTS}/console-${p}-1280.png`, fullPage: true });
      const { scroll, client } = await noSidewaysScroll(page);
      expect(scroll, p).toBeLessThanOrEqual(client);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('reads on a phone (390 px): no page scrolls sideways, tap targets are at least 40 px', async () => {
    const { context, page, problems } = await open(390, 844);
    await logIn(page);
    for (const [name, url] of [
      ['releases', '/console'],
      ['release', `/console/releases/${RELEASE}`],
      ['evidence', `/console/evidence/change:${CHANGE}?release=${RELEASE}`],
      ['audit', '/console/audit'],
      ['dora', '/console/dora'],
      ['policy', '/console/policy'],
    ] as const) {
      await page.goto(`${base}${url}`);
      const { scroll, client } = await noSidewaysScroll(page);
      expect(scroll, name).toBeLessThanOrEqual(client);
      await page.screenshot({ path: `${SHOTS}/console-${name}-390.png`, fullPage: true });
      const small = await page.evaluate<{ el: string; h: number }[]>(
        `[...document.querySelectorAll('button, .btn, nav a, a.cite, summary, input:not([type=hidden]), textarea')]
          .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
          .filter((x) => x.h > 0 && x.h < 40)`,
      );
      expect(small, name).toEqual([]);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
