import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of the architecture, checked on every import in src/:
 *
 * - contracts/ imports nothing of ours (only zod).
 * - A capability (ingest, retrieval, risk, advisor, notes, governance) imports
 *   contracts/, the queue port (jobs/port.ts, jobs/errors.ts) and its own
 *   folder: never the store, an adapter, evals/ or a sibling capability.
 * - evals/ may import capabilities; no capability imports evals/.
 * - The adapters implement ports: store/ imports contracts/ and the ports.ts
 *   of capabilities (and the outbox port of jobs/); jobs/ imports contracts/;
 *   llm/ imports contracts/ and capabilities' ports.ts; so does connectors/ (outbound HTTP:
 *   Prometheus, webhooks).
 * - http/, console/ and cli/ sit on top: they use capabilities and contracts, never the store.
 * - app.ts (and config.ts, log.ts) wire everything: they may import anything.
 */
const SRC = path.resolve('src');
const CAPABILITIES = ['ingest', 'retrieval', 'risk', 'advisor', 'notes', 'governance'];
const QUEUE_PORT = ['jobs/port.ts', 'jobs/errors.ts'];
const isPorts = (target: string) => CAPABILITIES.some((c) => target === `${c}/ports.ts`);

type Rule = (target: string, targetPart: string) => boolean;
const RULES: Record<string, Rule> = {
  contracts: (_t, p) => p === 'contracts',
  ...Object.fromEntries(CAPABILITIES.map((c) => [c, ((t, p) => p === c || p === 'contracts' || QUEUE_PORT.includes(t)) as Rule])),
  evals: (_t, p) => p === 'evals' || p === 'contracts' || CAPABILITIES.includes(p),
  store: (t, p) => p === 'store' || p === 'contracts' || isPorts(t) || t === 'jobs/outbox.ts',
  jobs: (_t, p) => p === 'jobs' || p === 'contracts',
  llm: (t, p) => p === 'llm' || p === 'contracts' || isPorts(t),
  connectors: (t, p) => p === 'connectors' || p === 'contracts' || isPorts(t),
  http: (t, p) => !['store', 'jobs', 'llm', 'connectors', 'cli', 'bootstrap'].includes(p) || QUEUE_PORT.includes(t),
  console: (t, p) => !['store', 'jobs', 'llm', 'connectors', 'cli', 'bootstrap'].includes(p) || QUEUE_PORT.includes(t),
  cli: (_t, p) => !['store', 'jobs', 'llm', 'connectors'].includes(p),
  bootstrap: (t, p) => ['bootstrap', 'contracts', 'app.ts'].includes(p) || isPorts(t),
};

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"`]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Every relative import in src/, as (file, target), both relative to src/ with .ts endings. */
function imports(): { file: string; target: string }[] {
  return files(SRC).flatMap((abs) => {
    const text = fs.readFileSync(abs, 'utf8');
    return [...text.matchAll(IMPORT)].map((m) => {
      const spec = (m[1] ?? m[2])!.replace(/\.js$/, '.ts');
      return { file: path.relative(SRC, abs), target: path.relative(SRC, path.resolve(path.dirname(abs), spec)) };
    });
  });
}

const part = (rel: string) => (rel.includes(path.sep) ? rel.split(path.sep)[0]! : rel);

describe('architecture: dependencies point down', () => {
  const all = imports();

  it('reads the imports (the check is not vacuous)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all.some((i) => i.file === 'risk/assess.ts' && i.target === 'risk/ports.ts')).toBe(true);
    expect(all.some((i) => i.file.startsWith('store/') && i.target === 'risk/ports.ts')).toBe(true);
  });

  it('every folder in src/ has a rule, except the wiring files', () => {
    const parts = new Set(all.map((i) => part(i.file)));
    const unruled = [...parts].filter((p) => !(p in RULES) && !['app.ts', 'config.ts', 'log.ts'].includes(p));
    expect(unruled).toEqual([]);
  });

  it('no import breaks a rule', () => {
    const broken = all
      .filter((i) => {
        const rule = RULES[part(i.file)];
        return rule !== undefined && !rule(i.target, part(i.target));
      })
      .map((i) => `${i.file} -> ${i.target}`);
    expect(broken).toEqual([]);
  });

  it('no capability names the store’s types or its factory', () => {
    const offending = files(SRC)
      .filter((f) => CAPABILITIES.includes(part(path.relative(SRC, f))))
      .filter((f) => /ReturnType<typeof createStore>|\bStore\['|from '.*store\//.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(offending).toEqual([]);
  });
});
