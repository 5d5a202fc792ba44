import { describe, expect, it } from 'vitest';
import { breakingFindings, diffFindings, evidenceClass, exportedNames, parsePatch } from '../../src/notes/breaking-diff.js';

/** A unified diff of one file, as git writes it. */
function fileDiff(path: string, opts: { added?: string[]; removed?: string[]; status?: 'new' | 'deleted'; from?: string }) {
  const head = [`diff --git a/${opts.from ?? path} b/${path}`];
  if (opts.status === 'new') head.push('new file mode 100644');
  if (opts.status === 'deleted') head.push('deleted file mode 100644');
  if (opts.from) head.push(`rename from ${opts.from}`, `rename to ${path}`);
  head.push(opts.status === 'new' ? '--- /dev/null' : `--- a/${opts.from ?? path}`);
  head.push(opts.status === 'deleted' ? '+++ /dev/null' : `+++ b/${path}`);
  const lines = [...(opts.removed ?? []).map((l) => `-${l}`), ...(opts.added ?? []).map((l) => `+${l}`)];
  return `${[...head, '@@ -1,3 +1,3 @@', ' context', ...lines].join('\n')}\n`;
}
const change = (patch: string, files: { path: string; additions: number; deletions: number }[] = []) => ({ files, patch });

describe('parsePatch', () => {
  it('reads paths, status and lines, unquoting C-quoted names and ignoring context', () => {
    const patch = [
      fileDiff('src/new.ts', { status: 'new', added: ['export const a = 1;'] }),
      fileDiff('src/b.ts', { from: 'src/a.ts', removed: ['x'], added: ['y'] }),
      'diff --git "a/tab\\tname.ts" "b/tab\\tname.ts"\n--- "a/tab\\tname.ts"\n+++ "b/tab\\tname.ts"\n@@ -1 +1 @@\n-+++ not a header\n',
    ].join('');
    expect(parsePatch(patch)).toEqual([
      { path: 'src/new.ts', oldPath: null, status: 'added', added: ['export const a = 1;'], removed: [] },
      { path: 'src/b.ts', oldPath: 'src/a.ts', status: 'renamed', added: ['y'], removed: ['x'] },
      { path: 'tab\tname.ts', oldPath: null, status: 'modified', added: [], removed: ['+++ not a header'] },
    ]);
  });
});

describe('exportedNames', () => {
  it.each([
    ['export function foo(a) {', ['foo']],
    ['export async function* gen() {', ['gen']],
    ['export default function foo() {', ['default']],
    ['export declare abstract class Store {', ['Store']],
    ['export const enum Mode {', ['Mode']],
    ['export interface Options {', ['Options']],
    ['export type Id = string;', ['Id']],
    ['export { a, b as c, type D } from "./x";', ['a', 'c', 'D']],
    ["export * from './y';", ["* from './y'"]],
    ["export * as ns from './y';", ['ns']],
    ['module.exports = { parse, format: fmt };', ['parse', 'format']],
    ['exports.run = run;', ['run']],
    ["__all__ = ['load', 'dump']", ['load', 'dump']],
    ['const notExported = 1;', []],
    ['// export function commented() {}', []],
  ])('%s', (line, names) => {
    expect(exportedNames(line)).toEqual(names);
  });
});

describe('evidenceClass', () => {
  it.each([
    ['migrations/002_add_col.sql', 'migration'],
    ['db/migrate/20240101120000_create_users.rb', 'migration'],
    ['app/alembic/versions/abc123_add.py', 'migration'],
    ['prisma/migrations/20240101_init/migration.sql', 'migration'],
    ['sql/V2__add_users.sql', 'migration'],
    ['prisma/migrations/migration_lock.toml', null],
    ['app/migrations/__init__.py', null],
    ['test/migrations/001_x.sql', null],
    ['config/settings.schema.json', 'config'],
    ['src/config.ts', 'config'],
    ['.env.example', 'config'],
    ['charts/api/values.yaml', 'config'],
    ['src/index.ts', 'source'],
    ['packages/core/types.d.ts', 'source'],
    ['src/utils/strings.ts', null],
    ['src/index.test.ts', null],
    ['vite.config.ts', null],
    ['README.md', null],
  ])('%s → %s', (path, cls) => {
    expect(evidenceClass(path)).toBe(cls);
  });
});

describe('diffFindings: migrations', () => {
  it('finds a new migration in the patch, not an edited one', () => {
    const patch =
      fileDiff('migrations/003_x.sql', { status: 'new', added: ['create table t();'] }) +
      fileDiff('migrations/001_x.sql', { added: ['-- fix'] });
    expect(diffFindings(change(patch))).toEqual([
      { kind: 'migration', path: 'migrations/003_x.sql', detail: 'new migration', breaking: false },
    ]);
  });

  it('takes a migration that only gained lines as new when there is no patch', () => {
    const files = [
      { path: 'db/migrate/20240101_add.rb', additions: 12, deletions: 0 },
      { path: 'db/migrate/20230101_old.rb', additions: 1, deletions: 1 },
    ];
    expect(diffFindings({ files }).map((f) => [f.kind, f.path])).toEqual([['migration', 'db/migrate/20240101_add.rb']]);
  });
});

describe('diffFindings: exports', () => {
  it('reports an export removed and not re-added anywhere in the change', () => {
    const patch = fileDiff('src/api.ts', {
      removed: ['export function legacy() {', 'export const kept = 1;'],
      added: ['export const kept = 2;'],
    });
    expect(breakingFindings(change(patch))).toEqual([
      { kind: 'removed_export', path: 'src/api.ts', detail: 'removes export `legacy`', breaking: true },
    ]);
  });

  it('reports one removed and one added export in the same file as a rename', () => {
    const patch = fileDiff('src/index.ts', { removed: ['export function greet(name) {'], added: ['export function hello(name) {'] });
    expect(breakingFindings(change(patch))).toEqual([
      { kind: 'renamed_export', path: 'src/index.ts', detail: 'renames export `greet` to `hello`', breaking: true },
    ]);
  });

  it('does not report an export moved to another file of the change', () => {
    const patch =
      fileDiff('src/a.ts', { removed: ['export function moved() {'] }) +
      fileDiff('src/b.ts', { status: 'new', added: ['export function moved() {'] });
    expect(breakingFindings(change(patch))).toEqual([]);
  });

  it('reports every export of a deleted module, and none of a test file', () => {
    const patch =
      fileDiff('src/old/index.ts', { status: 'deleted', removed: ['export const a = 1;', 'export class B {'] }) +
      fileDiff('src/old/index.test.ts', { status: 'deleted', removed: ['export const fixture = 1;'] });
    expect(breakingFindings(change(patch)).map((f) => f.detail)).toEqual(['removes export `a`', 'removes export `B`']);
  });

  it('reads CommonJS and Python __all__ exports', () => {
    const patch =
      fileDiff('lib/index.js', { removed: ['module.exports = { parse, format };'], added: ['module.exports = { parse };'] }) +
      fileDiff('pkg/__init__.py', { removed: ["__all__ = ['load', 'dump']"], added: ["__all__ = ['load']"] });
    expect(breakingFindings(change(patch)).map((f) => `${f.path}: ${f.detail}`)).toEqual([
      'lib/index.js: removes export `format`',
      'pkg/__init__.py: removes export `dump`',
    ]);
  });
});

describe('diffFindings: configuration', () => {
  it('reads env vars removed from .env.example as breaking and added ones as operational', () => {
    const renamed = fileDiff('.env.example', { removed: ['PORT=8080'], added: ['HTTP_PORT=8080'] });
    expect(diffFindings(change(renamed))).toEqual([
      { kind: 'config', path: '.env.example', detail: 'removes env PORT; adds env HTTP_PORT', breaking: true },
    ]);
    const added = fileDiff('.env.example', { added: ['REDIS_URL=redis://localhost'] });
    expect(diffFindings(change(added))).toEqual([{ kind: 'config', path: '.env.example', detail: 'adds env REDIS_URL', breaking: false }]);
  });

  it('reads keys of a zod config module, and ignores a config module change that touches no schema', () => {
    const schema = fileDiff('src/config.ts', {
      removed: ['  LOG_FORMAT: z.enum(["json", "text"]),', '  port: z.coerce.number(),'],
      added: ['  port: z.coerce.number().default(3000),'],
    });
    expect(breakingFindings(change(schema))).toEqual([
      { kind: 'config', path: 'src/config.ts', detail: 'removes key LOG_FORMAT', breaking: true },
    ]);
    const unrelated = fileDiff('src/config.ts', { removed: ['// old comment'], added: ['// new comment'] });
    expect(diffFindings(change(unrelated))).toEqual([]);
  });

  it('reads keys of JSON schemas and helm values, and a deleted schema is breaking', () => {
    const patch =
      fileDiff('schemas/settings.schema.json', {
        removed: ['    "timeout": { "type": "number" },'],
        added: ['    "retries": { "type": "number" },'],
      }) +
      fileDiff('charts/api/values.yaml', { added: ['  replicas: 3'] }) +
      fileDiff('config/old.schema.yaml', { status: 'deleted', removed: ['type: object'] });
    expect(diffFindings(change(patch))).toEqual([
      { kind: 'config', path: 'schemas/settings.schema.json', detail: 'removes key timeout; adds key retries', breaking: true },
      { kind: 'config', path: 'charts/api/values.yaml', detail: 'adds key replicas', breaking: false },
      { kind: 'config', path: 'config/old.schema.yaml', detail: 'deleted', breaking: true },
    ]);
  });

  it('lists a configuration file known only by its line counts as changed, not breaking', () => {
    expect(diffFindings({ files: [{ path: 'config/app.schema.json', additions: 3, deletions: 1 }] })).toEqual([
      { kind: 'config', path: 'config/app.schema.json', detail: 'changed (+3 -1 lines)', breaking: false },
    ]);
  });
});
