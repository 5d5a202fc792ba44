#!/usr/bin/env node
// Runs the compiled build (dist/, made by `npm run build`; npm ci and npm install run it as `prepare`).
// Without a build, or when src/ changed since it was made, it runs the TypeScript sources through tsx
// instead, and says so: the same behaviour, but compiling at every call costs seconds.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildState, ROOT } from './build-state.js';

const state = buildState();
let entry = path.join(ROOT, 'dist', 'cli', 'main.js');
if (state !== 'fresh') {
  process.stderr.write(
    state === 'missing'
      ? 'shipcheck: no compiled build in dist/ (run `npm run build`); running the TypeScript sources, which is slower\n'
      : 'shipcheck: src/ changed since dist/ was built (run `npm run build`); running the TypeScript sources, which is slower\n',
  );
  const { register } = await import('tsx/esm/api');
  register();
  entry = path.join(ROOT, 'src', 'cli', 'main.ts');
}
// Output piped into a command that stops reading early (`shipcheck dora | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (err) => err.code === 'EPIPE' && process.exit(0));
const { main } = await import(pathToFileURL(entry).href);
const code = await main(process.argv.slice(2), process.env);
// Output to a pipe is written asynchronously: exiting before it drains would cut a long answer (a --json report).
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
process.exit(code);
