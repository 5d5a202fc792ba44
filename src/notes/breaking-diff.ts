/**
 * What a change's diff says operators and users must know: new database
 * migrations, exports removed or renamed, configuration schemas changed.
 * Pure: it reads the change's files and patch (a unified diff, full or the
 * condensed one the git reader keeps) and never the repository.
 */
import type { NoteChange } from './types.js';

export type FindingKind = 'migration' | 'removed_export' | 'renamed_export' | 'config';

export interface DiffFinding {
  kind: FindingKind;
  path: string;
  /** For people: "new migration", "removes export `foo`", "removes env DATABASE_URL; adds env DB_URL". */
  detail: string;
  /**
   * Whether it breaks users of the code or the deployment: a removed or renamed export, a configuration
   * key removed. A new migration or a key added is operational, not breaking.
   */
  breaking: boolean;
}

/**
 * Which lines of a file are evidence: all of a configuration file's, the export lines of a public-surface
 * source file, none of a migration's (its being new is the evidence).
 */
export type EvidenceClass = 'migration' | 'config' | 'source';

/** Tests, fixtures, examples and tooling: their exports and "migrations" are no one's API. */
const NOT_SHIPPED =
  /(^|\/)(tests?|__tests__|__mocks__|spec|specs|e2e|fixtures?|examples?|docs?|bench(marks?)?|scripts|\.github)\/|\.(test|spec|bench|stories)\.[cm]?[jt]sx?$|(^|\/)[^/]*\.config\.[cm]?[jt]s$/;

const MIGRATION_DIR = /(^|\/)(migrations?|db\/migrate|alembic\/versions|prisma\/migrations|drizzle)\//;
/** `001_add_users.sql`, `20240101120000_x.sql`, Flyway's `V2__add_users.sql`. */
const MIGRATION_SQL = /(^|\/)(\d{3,}[_-][^/]*|V\d+(_\d+)*__[^/]*)\.sql$/i;
/** Bookkeeping files that live beside migrations but are not one. */
const MIGRATION_NOISE = /(^|\/)(__init__\.py|migration_lock\.toml|README[^/]*|[^/]*\.md|[^/]*\.snap|_journal\.json)$|(^|\/)meta\//i;

const SOURCE = /\.(d\.ts|[cm]?[jt]sx?|py)$/;
/**
 * Files whose exports are a package's public surface: entry points, type declarations, a Python package's
 * `__init__.py`. An export removed from any other module is usually an internal refactor (the entry point
 * that re-exported it shows the removal when it is public), and calling it breaking would be loud and wrong.
 */
const PUBLIC_SURFACE = /(^|\/)((index|main|mod|api|public[-_]api|exports)\.[cm]?[jt]sx?|[^/]+\.d\.[cm]?ts|__init__\.py)$/;

const SCHEMA_FILE = /(^|\/)[^/]*schema[^/]*\.(json|ya?ml)$/i;
const CONFIG_SOURCE = /(^|\/)(config|env|settings|configuration)\.[cm]?[jt]s$/;
const ENV_EXAMPLE = /(^|\/)\.?env(\.[\w-]+)?\.(example|sample|template|dist)$/;
const HELM_VALUES = /(^|\/)(charts?|helm)\/(.*\/)?values[^/]*\.ya?ml$/;

export function isMigrationPath(path: string): boolean {
  if (NOT_SHIPPED.test(path) || MIGRATION_NOISE.test(path)) return false;
  return MIGRATION_DIR.test(path) || MIGRATION_SQL.test(path);
}

/** The evidence class of a path, or null when its diff says nothing operators or API users must know. */
export function evidenceClass(path: string): EvidenceClass | null {
  if (NOT_SHIPPED.test(path)) return null;
  if (isMigrationPath(path)) return 'migration';
  if (MIGRATION_DIR.test(path)) return null; // bookkeeping beside the migrations
  if (SCHEMA_FILE.test(path) || CONFIG_SOURCE.test(path) || ENV_EXAMPLE.test(path) || HELM_VALUES.test(path)) return 'config';
  if (SOURCE.test(path) && PUBLIC_SURFACE.test(path)) return 'source';
  return null;
}

/** A source line the export rules read (the reader keeps only these of a source file). */
export const EXPORT_LINE = /^\s*(export\b|module\.exports\b|exports\.[\w$]+\s*=|__all__\s*[+]?=)/;

/** One file of a unified diff: its path, whether it is new or deleted, and its added and removed lines. */
export interface PatchFile {
  path: string;
  oldPath: string | null;
  status: 'added' | 'deleted' | 'renamed' | 'modified';
  added: string[];
  removed: string[];
}

/** Unquotes git's C-style quoted paths (`"tab\tname"`) and strips the `a/` / `b/` prefix. */
function diffPath(raw: string): string | null {
  let p = raw.trim();
  if (p === '/dev/null') return null;
  if (p.startsWith('"') && p.endsWith('"')) p = unquote(p.slice(1, -1));
  return p.replace(/^[ab]\//, '');
}

export function unquote(s: string): string {
  const escapes: Record<string, string> = { t: '\t', n: '\n', '"': '"', '\\': '\\', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
  const utf8 = new TextEncoder();
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\') {
      bytes.push(...utf8.encode(ch));
      continue;
    }
    const next = s[i + 1] ?? '';
    const octal = /^[0-7]{3}/.exec(s.slice(i + 1));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 3;
    } else {
      bytes.push(...utf8.encode(escapes[next] ?? next));
      i += 1;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/**
 * Splits a unified diff into files. Tolerant: hunk line counts are not
 * trusted (the git reader keeps only evidence lines), so a file's content is
 * every `+`/`-` line after its first `@@` until the next `diff --git`.
 */
export function parsePatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let cur: (PatchFile & { inHunk: boolean }) | null = null;
  const finish = () => {
    if (cur) files.push({ path: cur.path, oldPath: cur.oldPath, status: cur.status, added: cur.added, removed: cur.removed });
  };
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) {
      finish();
      const same = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
      const guess = same && same[1] === same[2] ? same[1]! : (same?.[2] ?? '');
      cur = { path: guess, oldPath: null, status: 'modified', added: [], removed: [], inHunk: false };
      continue;
    }
    if (!cur) continue;
    if (!cur.inHunk) {
      if (line.startsWith('@@')) cur.inHunk = true;
      else if (line.startsWith('new file mode')) cur.status = 'added';
      else if (line.startsWith('deleted file mode')) cur.status = 'deleted';
      else if (line.startsWith('rename from ')) {
        cur.oldPath = diffPath(line.slice('rename from '.length));
        cur.status = 'renamed';
      } else if (line.startsWith('rename to ')) cur.path = diffPath(line.slice('rename to '.length)) ?? cur.path;
      else if (line.startsWith('--- ')) {
        const p = diffPath(line.slice(4));
        if (p && cur.status === 'deleted') cur.path = p;
      } else if (line.startsWith('+++ ')) {
        const p = diffPath(line.slice(4));
        if (p) cur.path = p;
      }
      continue;
    }
    if (line.startsWith('@@')) continue;
    if (line.startsWith('+')) cur.added.push(line.slice(1));
    else if (line.startsWith('-')) cur.removed.push(line.slice(1));
  }
  finish();
  return files;
}

// --- exports -------------------------------------------------------------------------------------

const DECLARATION =
  /^\s*export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\s*\*?|class|const\s+enum|const|let|var|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/;

/** The names a line exports (`default` for a default export, `* from 'x'` for a re-export of everything). */
export function exportedNames(line: string): string[] {
  const text = line.replace(/\/\/.*$/, '').trim();
  if (/^export\s+default\b/.test(text)) return ['default'];
  const decl = DECLARATION.exec(text);
  if (decl) return [decl[1]!];
  const star = /^export\s+\*\s+(?:as\s+([\w$]+)\s+)?from\s+(['"][^'"]+['"])/.exec(text);
  if (star) return [star[1] ?? `* from ${star[2]}`];
  const list = /^export\s+(?:type\s+)?\{([^}]*)\}/.exec(text);
  if (list) return namesOfList(list[1]!, true);
  const cjsList = /^module\.exports\s*=\s*\{([^}]*)\}/.exec(text);
  if (cjsList) return namesOfList(cjsList[1]!, false);
  if (/^module\.exports\s*=/.test(text)) return ['default'];
  const cjsOne = /^(?:module\.)?exports\.([\w$]+)\s*=/.exec(text);
  if (cjsOne) return [cjsOne[1]!];
  const all = /^__all__\s*\+?=\s*[[(]([^\])]*)[\])]/.exec(text);
  if (all) return [...all[1]!.matchAll(/['"]([\w.]+)['"]/g)].map((m) => m[1]!);
  return [];
}

/** `a, b as c, type D` → exported names (`c` for `b as c`); `{ a: b }` in CommonJS exports `a`. */
function namesOfList(inner: string, esm: boolean): string[] {
  return inner
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter(Boolean)
    .map((part) => (esm ? (part.split(/\s+as\s+/).at(-1) ?? part) : (part.split(':')[0] ?? part)).trim())
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
}

function exportFindings(files: PatchFile[]): DiffFinding[] {
  const perFile = files
    .filter((f) => evidenceClass(f.path) === 'source')
    .map((f) => ({
      path: f.path,
      removed: new Set(f.removed.flatMap(exportedNames)),
      added: new Set(f.added.flatMap(exportedNames)),
    }));
  // A name exported again anywhere in the change moved or changed shape: it was not removed.
  const addedAnywhere = new Set(perFile.flatMap((f) => [...f.added]));
  const removedAnywhere = new Set(perFile.flatMap((f) => [...f.removed]));
  const out: DiffFinding[] = [];
  for (const f of perFile) {
    const gone = [...f.removed].filter((n) => !addedAnywhere.has(n));
    const fresh = [...f.added].filter((n) => !removedAnywhere.has(n));
    if (gone.length === 1 && fresh.length === 1) {
      out.push({ kind: 'renamed_export', path: f.path, detail: `renames export \`${gone[0]}\` to \`${fresh[0]}\``, breaking: true });
      continue;
    }
    for (const name of gone) out.push({ kind: 'removed_export', path: f.path, detail: `removes export \`${name}\``, breaking: true });
  }
  return out;
}

// --- configuration -------------------------------------------------------------------------------

/** Names a configuration line defines: env vars, zod/Joi object keys, JSON or YAML keys. */
function configKeys(path: string, line: string): string[] {
  if (ENV_EXAMPLE.test(path)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    return m ? [m[1]!] : [];
  }
  if (CONFIG_SOURCE.test(path)) {
    const names = [...line.matchAll(/process\.env(?:\.([A-Za-z_]\w*)|\[\s*['"]([A-Za-z_]\w*)['"]\s*\])/g)].map((m) => m[1] ?? m[2]!);
    const key = /^\s*['"]?([A-Za-z_$][\w$]*)['"]?\s*:\s*(?:z\.|Joi\.|str\(|num\(|bool\(|url\(|port\(|host\(|email\(|json\()/.exec(line);
    if (key) names.push(key[1]!);
    return names;
  }
  const m = /^\s*(?:-\s+)?['"]?([\w.-]+)['"]?\s*:/.exec(line);
  return m ? [m[1]!] : [];
}

function configFinding(f: PatchFile): DiffFinding | null {
  if (evidenceClass(f.path) !== 'config') return null;
  if (f.status === 'deleted') return { kind: 'config', path: f.path, detail: 'deleted', breaking: true };
  if (CONFIG_SOURCE.test(f.path) && ![...f.added, ...f.removed].some((l) => /\bz\.|process\.env|\bJoi\.|createEnv|envalid/.test(l)))
    return null; // a config module whose change touches no schema or environment variable
  const removed = new Set(f.removed.flatMap((l) => configKeys(f.path, l)));
  const added = new Set(f.added.flatMap((l) => configKeys(f.path, l)));
  const gone = [...removed].filter((k) => !added.has(k));
  const fresh = [...added].filter((k) => !removed.has(k));
  const noun = ENV_EXAMPLE.test(f.path) ? 'env' : 'key';
  const parts: string[] = [];
  if (f.status === 'added') parts.push('new');
  if (gone.length > 0) parts.push(`removes ${noun} ${gone.join(', ')}`);
  if (fresh.length > 0) parts.push(`adds ${noun} ${fresh.join(', ')}`);
  if (parts.length === 0) {
    if (f.added.length === 0 && f.removed.length === 0 && f.status !== 'renamed') return null;
    parts.push(f.status === 'renamed' ? `renamed from ${f.oldPath}` : `changed (+${f.added.length} -${f.removed.length} lines)`);
  }
  return { kind: 'config', path: f.path, detail: parts.join('; '), breaking: gone.length > 0 || f.status === 'renamed' };
}

// --- the change ----------------------------------------------------------------------------------

/** Every finding of a change: migrations, export removals and renames, configuration changes. */
export function diffFindings(change: Pick<NoteChange, 'files' | 'patch'>): DiffFinding[] {
  const patchFiles = change.patch ? parsePatch(change.patch) : [];
  const inPatch = new Set(patchFiles.map((f) => f.path));
  const out: DiffFinding[] = [];
  for (const f of patchFiles) {
    if (f.status === 'added' && isMigrationPath(f.path))
      out.push({ kind: 'migration', path: f.path, detail: 'new migration', breaking: false });
  }
  // Without the patch (a dataset, a truncated diff) a migration file that only gained lines is taken as new.
  for (const f of change.files) {
    if (!inPatch.has(f.path) && isMigrationPath(f.path) && f.deletions === 0 && f.additions > 0)
      out.push({ kind: 'migration', path: f.path, detail: 'new migration (from line counts)', breaking: false });
  }
  out.push(...exportFindings(patchFiles));
  for (const f of patchFiles) {
    const c = configFinding(f);
    if (c) out.push(c);
  }
  for (const f of change.files) {
    if (!inPatch.has(f.path) && evidenceClass(f.path) === 'config')
      out.push({ kind: 'config', path: f.path, detail: `changed (+${f.additions} -${f.deletions} lines)`, breaking: false });
  }
  return out;
}

/**
 * The findings that make a change breaking whatever its subject says: an
 * export removed or renamed, a configuration key removed or a schema deleted.
 */
export function breakingFindings(change: Pick<NoteChange, 'files' | 'patch'>): DiffFinding[] {
  return diffFindings(change).filter((f) => f.breaking);
}
