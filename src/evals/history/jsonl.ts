import type { Outcome } from '../../contracts/evals.js';
import type { ChangedFile } from '../../contracts/risk.js';
import { deriveMetrics, type ReleaseChange } from '../../risk/features/change-metrics.js';
import { METRIC_NAMES, parseNumberText, parseOutcomeWord, parseWhen, show } from './fields.js';
import { problemsResult, type RowResult } from './row.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * One line of the release-history JSONL format:
 * `{id, service, deployedAt, outcome, metrics: {...}, outcomeAt?}` (published just-in-time data,
 * or `shipcheck import history --from-git --jsonl`),
 * or the demo's superset, whose extra fields are ignored. A row without
 * `metrics` must carry `changes: [{files: [{path, additions, deletions}], title?, labels?}]`,
 * from which the release-local metrics are derived (see derive.ts). When
 * `metrics` is present it is taken as is and `changes` is not consulted.
 * Only the 14 known metrics are kept; null means unknown (absent).
 */
export function parseJsonlRow(line: string): RowResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { problems: [`invalid JSON: ${(err as Error).message.slice(0, 120)}`] };
  }
  if (!isObject(value)) return { problems: ['not a JSON object'] };
  const problems: string[] = [];

  const id = textField(value, 'id', problems);
  if (id === undefined && !problems.length) problems.push('missing id');
  const service = textField(value, 'service', problems);

  let at: Date | undefined;
  if (value.deployedAt === undefined || value.deployedAt === null || value.deployedAt === '') problems.push('missing date (deployedAt)');
  else {
    at = parseWhen(value.deployedAt);
    if (!at) problems.push(`bad date in deployedAt: ${show(value.deployedAt)}`);
  }

  let outcome: Outcome | undefined;
  if (value.outcome === undefined || value.outcome === null || value.outcome === '') problems.push('missing outcome');
  else {
    outcome = typeof value.outcome === 'string' ? parseOutcomeWord(value.outcome) : undefined;
    if (!outcome) problems.push(`unknown outcome ${show(value.outcome)} (expected success, failure or rolled_back)`);
  }

  let outcomeAt: Date | undefined;
  if (value.outcomeAt !== undefined && value.outcomeAt !== null && value.outcomeAt !== '') {
    outcomeAt = parseWhen(value.outcomeAt);
    if (!outcomeAt) problems.push(`bad date in outcomeAt: ${show(value.outcomeAt)}`);
    else if (at && outcomeAt < at)
      problems.push(`outcomeAt ${show(value.outcomeAt)} is before deployedAt: an outcome cannot be known before the release`);
  }

  let metrics: Record<string, number> = {};
  if (value.metrics !== undefined && value.metrics !== null) {
    if (!isObject(value.metrics)) problems.push(`metrics is not an object: ${show(value.metrics)}`);
    else metrics = givenMetrics(value.metrics, problems);
  } else if (value.changes !== undefined && value.changes !== null) {
    const changes = readChanges(value.changes, problems);
    if (changes) metrics = { ...deriveMetrics(changes) };
  } else problems.push('neither metrics nor changes');

  if (problems.length || id === undefined || !at || !outcome) return problemsResult(problems);
  return { draft: { id, ...(service !== undefined ? { service } : {}), at, outcome, metrics, ...(outcomeAt ? { outcomeAt } : {}) } };
}

function textField(row: Json, key: string, problems: string[]): string | undefined {
  const v = row[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') {
    problems.push(`${key} is not a string: ${show(v)}`);
    return undefined;
  }
  const t = v.trim();
  return t === '' ? undefined : t;
}

function givenMetrics(given: Json, problems: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of METRIC_NAMES) {
    const v = given[name];
    if (v === undefined || v === null) continue;
    let n: number | undefined;
    if (typeof v === 'number') n = Number.isFinite(v) ? v : undefined;
    else if (typeof v === 'string') n = parseNumberText(v);
    else if (typeof v === 'boolean' && name === 'fix') n = v ? 1 : 0;
    if (n === undefined) problems.push(`metric ${name} is not a number: ${show(v)}`);
    else out[name] = n;
  }
  return out;
}

function readChanges(raw: unknown, problems: string[]): ReleaseChange[] | undefined {
  if (!Array.isArray(raw)) {
    problems.push(`changes is not an array: ${show(raw)}`);
    return undefined;
  }
  const before = problems.length;
  const changes: ReleaseChange[] = [];
  raw.forEach((c: unknown, i) => {
    if (!isObject(c)) return void problems.push(`changes[${i}] is not an object`);
    if (!Array.isArray(c.files)) return void problems.push(`changes[${i}].files is not an array`);
    const files: ChangedFile[] = [];
    c.files.forEach((f: unknown, j) => {
      const where = `changes[${i}].files[${j}]`;
      if (!isObject(f)) return void problems.push(`${where} is not an object`);
      if (typeof f.path !== 'string' || f.path.trim() === '') return void problems.push(`${where}.path is missing`);
      const additions = lineCount(f.additions, `${where}.additions`, problems);
      const deletions = lineCount(f.deletions, `${where}.deletions`, problems);
      if (additions !== undefined && deletions !== undefined) files.push({ path: f.path.trim(), additions, deletions });
    });
    const labels = Array.isArray(c.labels) ? c.labels.filter((l): l is string => typeof l === 'string') : undefined;
    changes.push({ files, ...(typeof c.title === 'string' ? { title: c.title } : {}), ...(labels ? { labels } : {}) });
  });
  return problems.length === before ? changes : undefined;
}

function lineCount(v: unknown, where: string, problems: string[]): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  problems.push(`${where} is not a line count: ${show(v)}`);
  return undefined;
}
