/**
 * A release policy from the YAML a person writes (or the JSON the API
 * receives) to a checked `PolicyDocument`. Every problem is reported at
 * once, each with its key path and, for YAML, its line: a policy is edited
 * by hand, and a typo must never silently loosen a rule (unknown keys are
 * refused, not ignored).
 */
import { Document, isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, visit } from 'yaml';
import type { z } from 'zod';
import { ValidationError } from '../../contracts/errors.js';
import { FreezeWindow, MAX_BUDGET_SHARE, PolicyDocument } from '../../contracts/governance.js';

export interface PolicyProblem {
  /** Key path, e.g. `approvals.hihg` or `freezes[1].to`; empty for the document itself. */
  path: string;
  /** 1-based line in the YAML, when known (null for JSON, or when the YAML has no such place). */
  line: number | null;
  message: string;
}

/** A policy that cannot be used: `message` names every problem; `details.problems` lists them. */
export class PolicyInvalidError extends ValidationError {
  readonly problems: PolicyProblem[];
  constructor(problems: PolicyProblem[]) {
    const shown = problems.map(describeProblem);
    const head = problems.length === 1 ? 'the policy is invalid' : `the policy is invalid (${problems.length} problems)`;
    super(`${head}: ${shown.join('; ')}`, { problems });
    this.problems = problems;
  }
}

function describeProblem(p: PolicyProblem): string {
  return [p.line === null ? null : `line ${p.line}`, p.path || null, p.message].filter((s) => s !== null).join(': ');
}

type Path = (string | number)[];
type Located = { path: Path; message: string };

export function formatPath(path: Path): string {
  return path.reduce<string>((out, k) => (typeof k === 'number' ? `${out}[${k}]` : out ? `${out}.${k}` : k), '');
}

/** Parses YAML text into a policy; throws PolicyInvalidError naming every problem with its line. */
export function parsePolicyYaml(text: string): PolicyDocument {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const lineAt = (offset: number) => lines.linePos(offset).line;
  if (!Array.isArray(docs) || docs.length === 0 || (docs.length === 1 && docs[0]!.contents === null && docs[0]!.errors.length === 0))
    throw new PolicyInvalidError([{ path: '', line: null, message: EMPTY }]);
  if (docs.length > 1)
    throw new PolicyInvalidError([
      {
        path: '',
        line: lineAt(docs[1]!.range[0]),
        message: `a second YAML document starts here (after "---"): a policy file holds one document (${docs.length} found)`,
      },
    ]);
  const doc = docs[0]!;
  const syntax = [...doc.errors];
  if (syntax.length > 0)
    throw new PolicyInvalidError(
      syntax.map((e) => ({ path: '', line: lineAt(e.pos[0]), message: `YAML syntax: ${firstLine(e.message)}` })),
    );
  const root = doc.contents;
  if (root === null) throw new PolicyInvalidError([{ path: '', line: null, message: EMPTY }]);
  if (!isMap(root)) throw new PolicyInvalidError([{ path: '', line: lineAt(root.range[0]), message: notAMapping(doc.toJS()) }]);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new PolicyInvalidError([{ path: '', line: null, message: `YAML: ${firstLine((err as Error).message)}` }]);
  }
  const problems = check(value);
  if (problems.ok) return problems.doc;
  const located = problems.found.map((p) => ({ path: formatPath(p.path), line: lineOf(root, p, lineAt), message: p.message }));
  // Top to bottom, as the author reads the file (sort is stable: same-line problems keep their order).
  throw new PolicyInvalidError(located.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER)));
}

/** The API's JSON form: the same checks as the YAML, without lines. */
export function parsePolicyDocument(json: unknown): PolicyDocument {
  if (json === null || json === undefined) throw new PolicyInvalidError([{ path: '', line: null, message: EMPTY }]);
  if (typeof json !== 'object' || Array.isArray(json)) throw new PolicyInvalidError([{ path: '', line: null, message: notAMapping(json) }]);
  const result = check(json);
  if (result.ok) return result.doc;
  throw new PolicyInvalidError(result.found.map((p) => ({ path: formatPath(p.path), line: null, message: p.message })));
}

const EMPTY = 'the policy is empty: write at least "service: <name>" (or "service: default")';

function notAMapping(value: unknown): string {
  const found = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value} (${JSON.stringify(value)?.slice(0, 40)})`;
  return `a policy is a mapping of keys (service, approvals, owners, …), found ${found}`;
}

const firstLine = (s: string) => s.split('\n')[0]!.trim();

/** Schema checks, then the rules a schema cannot say; every problem, not the first. */
function check(value: unknown): { ok: true; doc: PolicyDocument } | { ok: false; found: Located[] } {
  const budget = readBudget(value);
  const parsed = PolicyDocument.safeParse(budget.value);
  // Where the budget reader named a problem in its own words, the schema's (expected a number, …) would only repeat it.
  const own = new Set(budget.found.map((p) => formatPath(p.path)));
  const found = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) => explainIssue(i, [], budget.value)).filter((p) => !own.has(formatPath(p.path)));
  found.push(...budget.found, ...semanticProblems(budget.value as Record<string, unknown>));
  if (found.length === 0 && parsed.success) return { ok: true, doc: parsed.data };
  return { ok: false, found: dedupe(found) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `budget.riskiest` as the fraction the schema holds: `10%` reads as 0.1, a bare number is already a fraction.
 * A bare number above 1 is refused rather than guessed at: `riskiest: 10` could mean 10% or ten times everything.
 */
function readBudget(value: unknown): { value: unknown; found: Located[] } {
  if (!isRecord(value) || value.budget === undefined) return { value, found: [] };
  const budget = value.budget;
  if (typeof budget === 'string' || typeof budget === 'number')
    return {
      value,
      found: [{ path: ['budget'], message: `a budget is a mapping (riskiest: 10%, effect: hold); got ${describe(budget)}` }],
    };
  if (!isRecord(budget) || !('riskiest' in budget)) return { value, found: [] };
  const share = budgetShare(budget.riskiest);
  if (typeof share === 'string') return { value, found: [{ path: ['budget', 'riskiest'], message: share }] };
  return { value: { ...value, budget: { ...budget, riskiest: share } }, found: [] };
}

const SHARE_EXAMPLE = 'a share of releases such as 10% or 0.1';

/** The fraction a budget's `riskiest` says, or what is wrong with it in words. */
export function budgetShare(raw: unknown): number | string {
  let share: number;
  let written: string;
  if (typeof raw === 'string') {
    const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$/.exec(raw);
    if (!m) return `expected ${SHARE_EXAMPLE}; got ${describe(raw)}`;
    // toPrecision: 7.1% is the fraction 0.071, not 0.07099999999999999.
    share = Number((Number(m[1]) / 100).toPrecision(12));
    written = raw.trim();
  } else if (typeof raw === 'number' && Number.isFinite(raw)) {
    if (raw > 1 && raw <= 100)
      return `a bare number is a fraction of releases (0.1 is 10%); got ${raw}: write ${raw}% or ${Number((raw / 100).toPrecision(12))}`;
    share = raw;
    written = `${raw} (${percent(raw)})`;
  } else return `expected ${SHARE_EXAMPLE}; got ${describe(raw)}`;
  if (share <= 0) return `must be more than 0%; got ${written}`;
  if (share > MAX_BUDGET_SHARE)
    return `at most ${percent(MAX_BUDGET_SHARE)}: a budget gates the riskiest releases, not most of them (for more, make the approvals of the levels stricter); got ${written}`;
  return share;
}

/** A fraction as the percentage people write: 0.1 → `10%`, 0.125 → `12.5%`. */
export function percent(share: number): string {
  return `${Number((share * 100).toPrecision(12))}%`;
}

function dedupe(found: Located[]): Located[] {
  const seen = new Set<string>();
  return found.filter((p) => {
    const k = `${formatPath(p.path)}\0${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

const describe = (v: unknown) =>
  v === undefined
    ? 'nothing'
    : v === null
      ? 'null'
      : Array.isArray(v)
        ? 'a list'
        : typeof v === 'object'
          ? 'a mapping'
          : typeof v === 'number'
            ? `number ${v}` // JSON would write .inf as null
            : `${typeof v} ${JSON.stringify(v)}`;

/** One zod issue in words a policy author understands. */
function explainIssue(issue: z.core.$ZodIssue, prefix: Path, root: unknown): Located[] {
  const path = [...prefix, ...(issue.path as Path)];
  const got = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const expected = expectedKeys(path, root);
      return issue.keys.map((k) => ({
        path: [...path, k],
        message: `unknown key${expected ? ` (expected ${expected.join(', ')})` : ''}`,
      }));
    }
    case 'invalid_value':
      return [{ path, message: `expected one of ${issue.values.map(String).join(', ')}; got ${describe(got)}` }];
    case 'invalid_type':
      return [{ path, message: got === undefined ? 'missing (required)' : `expected ${nameOfType(issue.expected)}, got ${describe(got)}` }];
    case 'invalid_format':
      if (issue.format === 'datetime')
        return [{ path, message: `expected an instant with a Z or an offset (2026-12-20T00:00:00Z); got ${describe(got)}` }];
      return [{ path, message: `${issue.message}; got ${describe(got)}` }];
    case 'too_small':
      if (issue.origin === 'number')
        return [{ path, message: `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}; got ${describe(got)}` }];
      return [
        { path, message: issue.origin === 'array' ? `needs at least ${issue.minimum} item(s)` : `too short (at least ${issue.minimum})` },
      ];
    case 'too_big':
      if (issue.origin === 'number')
        return [{ path, message: `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}; got ${describe(got)}` }];
      return [{ path, message: issue.origin === 'array' ? `at most ${issue.maximum} items` : `too long (at most ${issue.maximum})` }];
    case 'invalid_union':
      return freezeProblems(path, got, root);
    default:
      return [{ path, message: issue.message }];
  }
}

function nameOfType(t: string): string {
  return t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : `a ${t}`;
}

const DATE_KEYS = ['from', 'to'];
const WEEKLY_KEYS = ['every', 'start', 'end'];

/** A freeze is one of two shapes: say which one the author meant, and what is wrong with it. */
function freezeProblems(path: Path, item: unknown, root: unknown): Located[] {
  if (item === null || typeof item !== 'object' || Array.isArray(item))
    return [{ path, message: `a freeze is a mapping (name, from, to) or (name, every, start, end); got ${describe(item)}` }];
  const keys = Object.keys(item);
  const dated = DATE_KEYS.some((k) => keys.includes(k));
  const weekly = WEEKLY_KEYS.some((k) => keys.includes(k));
  if (dated && weekly)
    return [
      { path, message: 'a freeze is either a date range (from, to) or weekly (every, start, end), not both: split it into two freezes' },
    ];
  if (!dated && !weekly) return [{ path, message: 'a freeze needs from and to (a date range) or every, start and end (weekly)' }];
  const branch = FreezeWindow.options[dated ? 0 : 1];
  const r = branch.safeParse(item);
  return r.success ? [] : r.error.issues.flatMap((i) => explainIssue(i, path, root));
}

/** The keys allowed where an unknown key was found. */
function expectedKeys(path: Path, root: unknown): string[] | undefined {
  const shape = PolicyDocument.shape;
  const objectKeys = (s: unknown): string[] | undefined => {
    let cur = s as { _zod: { def: { type: string; innerType?: unknown; shape?: Record<string, unknown> } } };
    while (cur._zod.def.innerType) cur = cur._zod.def.innerType as typeof cur;
    return cur._zod.def.shape ? Object.keys(cur._zod.def.shape) : undefined;
  };
  if (path.length === 0) return Object.keys(shape);
  const [top] = path;
  if (top === 'freezes' && path.length === 2) {
    const item = valueAt(root, path) as Record<string, unknown>;
    const dated = DATE_KEYS.some((k) => k in item);
    return objectKeys(FreezeWindow.options[dated ? 0 : 1]);
  }
  if (path.length === 1 && typeof top === 'string' && top in shape) return objectKeys(shape[top as keyof typeof shape]);
  return undefined;
}

/** Rules a schema cannot say: a real time zone, windows that are not empty, names that tell freezes apart. */
function semanticProblems(doc: Record<string, unknown>): Located[] {
  if (doc === null || typeof doc !== 'object') return [];
  const found: Located[] = [];
  if (typeof doc.timezone === 'string' && !isTimeZone(doc.timezone))
    found.push({ path: ['timezone'], message: `unknown IANA time zone "${doc.timezone}" (e.g. UTC, Europe/Berlin, America/New_York)` });
  const freezes = Array.isArray(doc.freezes) ? doc.freezes : [];
  const names = new Map<string, number>();
  freezes.forEach((f, i) => {
    const r = FreezeWindow.safeParse(f);
    if (!r.success) return;
    const w = r.data;
    if ('from' in w && Date.parse(w.to) <= Date.parse(w.from))
      found.push({ path: ['freezes', i, 'to'], message: `must be after from (${w.from}); got ${w.to}` });
    if ('every' in w && w.start === w.end)
      found.push({ path: ['freezes', i, 'end'], message: `equals start (${w.start}): the window would be empty` });
    const key = w.name.trim().toLowerCase();
    const first = names.get(key);
    if (first !== undefined)
      found.push({ path: ['freezes', i, 'name'], message: `"${w.name}" names freezes[${first}] too: each freeze needs its own name` });
    else names.set(key, i);
  });
  const off = PolicyDocument.shape.offHours.safeParse(doc.offHours);
  if (off.success && off.data && off.data.start === off.data.end)
    found.push({ path: ['offHours', 'end'], message: `equals start (${off.data.start}): working hours would be empty` });
  return found;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The line of a problem: its key for an unknown key, else its value, else the nearest place above it that exists. */
function lineOf(root: Node, p: Located, lineAt: (offset: number) => number): number | null {
  let node: unknown = root;
  let line: number | null = root.range ? lineAt(root.range[0]) : null;
  for (const k of p.path) {
    if (isMap(node)) {
      const pair = node.items.find((it) => String((it.key as { value?: unknown } | null)?.value ?? it.key) === String(k));
      if (!pair) return line;
      const key = pair.key as Node | null;
      if (key?.range) line = lineAt(key.range[0]);
      node = pair.value;
      continue;
    }
    if (isSeq(node) && typeof k === 'number') {
      node = node.items[k];
      const n = node as Node | undefined;
      if (n?.range) line = lineAt(n.range[0]);
      else return line;
      continue;
    }
    return line;
  }
  // A value on its own line below its key (a block list or mapping) is still the key's problem: keep the key's line.
  return line;
}

/** The order keys are written in, the order a reader expects. */
const KEY_ORDER = [
  'service',
  'owners',
  'approvals',
  'budget',
  'selfApproval',
  'timezone',
  'freezes',
  'offHours',
  'preWeekend',
  'override',
] as const;

/** A policy as readable YAML (for a policy sent as JSON, so its stored text reads like one written by hand). */
export function policyToYaml(doc: PolicyDocument): string {
  const ordered: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (doc[k] !== undefined) ordered[k] = doc[k];
  const yaml = new Document(ordered);
  visit(yaml, {
    // Clock times quoted: a YAML 1.1 reader would take 22:00 for the number 1320.
    Scalar(_, node) {
      if (typeof node.value === 'string' && /^\d\d:\d\d$/.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
    // A budget as people say it: `riskiest: 10%` (it parses back to 0.1).
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'riskiest' && isScalar(pair.value) && typeof pair.value.value === 'number')
        pair.value.value = percent(pair.value.value);
    },
    // Short lists of plain words (days, owners) on one line: `every: [sat, sun]`.
    Seq(_, node) {
      if (node.items.every((it) => isScalar(it))) node.flow = true;
    },
  });
  return yaml.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** The policy of a tenant that wrote none: high risk needs one approval, critical is held, no self-approval. */
export const DEFAULT_POLICY: PolicyDocument = deepFreeze(PolicyDocument.parse({ service: 'default' }));
