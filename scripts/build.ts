/**
 * Compiles src/ to dist/, the JavaScript bin/shipcheck.js runs (`npm run build`; npm ci and npm install
 * run it as `prepare`). Builds into a temporary directory and swaps it in, so a command started meanwhile
 * never loads half a build. Where there is nothing to build with (an install without dev dependencies, or
 * before the sources are copied in, as in a Docker layer), it says so and leaves dist/ alone.
 *
 *   node --import tsx scripts/build.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, STAMP } from '../bin/build-state.js';

function typescriptCompiler(): string | undefined {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    return undefined;
  }
}

export function build(): 'built' | 'skipped' {
  if (!fs.existsSync(path.join(ROOT, 'src')) || !fs.existsSync(path.join(ROOT, 'tsconfig.build.json'))) {
    console.error('shipcheck build: no sources here yet; nothing to build');
    return 'skipped';
  }
  const tsc = typescriptCompiler();
  if (!tsc) {
    console.error(
      'shipcheck build: TypeScript is not installed (dev dependencies omitted?), so no build was made; ' +
        'bin/shipcheck.js runs the sources, more slowly. Build where dev dependencies are installed: npm run build',
    );
    return 'skipped';
  }
  const dist = path.join(ROOT, 'dist');
  const next = path.join(ROOT, `dist.building-${process.pid}`);
  fs.rmSync(next, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', next], { stdio: 'inherit' });
    // A worker thread starts without the main thread's loader: from dist/ its entry loads the compiled worker.
    fs.writeFileSync(
      path.join(next, 'ingest', 'threads', 'worker.mjs'),
      "// Entry of an ingest worker thread in the compiled build (written by scripts/build.ts).\nawait import('./worker.js');\n",
    );
    fs.writeFileSync(path.join(next, '.built'), `${new Date().toISOString()}\n`);
    fs.rmSync(dist, { recursive: true, force: true });
    fs.renameSync(next, dist);
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
  }
  if (!fs.existsSync(STAMP)) throw new Error('the build finished without its stamp');
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) build();
