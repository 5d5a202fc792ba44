import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: Playwright's own browser download cannot work here (no network at run time). */
export const CHROMIUM = '/usr/bin/chromium';

/** Browser tests run where Chromium is; in CI (`CI=true`) they never skip: a missing browser fails them. */
export const browserTestsRun = fs.existsSync(CHROMIUM) || process.env.CI === 'true';

/**
 * Chromium, headless, as root in a sandboxless container, with its background networking off (the closed
 * network would refuse each of its connections).
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: CI installs Debian's chromium before the tests (see .ci/run)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
