// Whether the compiled build in dist/ can be run: plain JavaScript, because it decides whether anything
// compiled exists yet. Shared by bin/shipcheck.js, the build script and the test setup.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Written last by the build: its time is when dist/ was complete. */
export const STAMP = path.join(ROOT, 'dist', '.built');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];

function newest(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs; // a file deleted or renamed changes its directory
  for (const entry of fs.readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)));
  return latest;
}

/**
 * 'fresh' when dist/ was built after every source last changed; 'missing' when there is no build;
 * 'stale' when a source changed since (an edit, a git checkout or pull). A few milliseconds of stat calls.
 */
export function buildState() {
  const built = fs.statSync(STAMP, { throwIfNoEntry: false });
  if (!built) return 'missing';
  const sources = Math.max(...INPUTS.map((p) => newest(path.join(ROOT, p))));
  return sources > built.mtimeMs ? 'stale' : 'fresh';
}
