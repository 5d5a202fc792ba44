import type { Outcome } from '../../contracts/evals.js';
import { isMetricName, isMissingText, parseFlag, parseNumberText, parseOutcomeWord, parseWhen, show, type MetricName } from './fields.js';
import { problemsResult, type RowResult } from './row.js';

/**
 * Column names, matched case-insensitively after trimming, first listed wins
 * when a file has several. Commit Guru exports: commit_hash,
 * author_date_unix_timestamp, contains_bug, repository_id, and `entrophy`
 * (sic). Research replication packages: _id or commit_id, date, bug, project.
 * id / deployedAt / outcome / service also accepted (a CSV of our own JSONL
 * format). Unknown columns are ignored.
 */
export const ID_COLUMNS = ['commit_hash', 'commit_id', '_id', 'id'] as const;
export const TIME_COLUMNS = ['author_date_unix_timestamp', 'date', 'deployedat', 'deployed_at'] as const;
/** Flag columns (True/False, 1/0: 1 = the change induced a defect) and one word column (success/failure/rolled_back). */
export const OUTCOME_COLUMNS = ['contains_bug', 'bug', 'buggy', 'outcome'] as const;
export const SERVICE_COLUMNS = ['service', 'project', 'repository_id'] as const;
const METRIC_ALIASES: Record<string, MetricName> = { entrophy: 'entropy' };

export interface CsvLayout {
  width: number;
  id: { index: number; name: string };
  time: { index: number; name: string };
  outcome: { index: number; name: string; kind: 'flag' | 'word' };
  service?: { index: number; name: string };
  metrics: { metric: MetricName; index: number; name: string }[];
}

export function csvLayout(header: readonly string[]): CsvLayout | { error: string } {
  const names = header.map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  );
  const find = (candidates: readonly string[]) => {
    for (const name of candidates) {
      const index = names.indexOf(name);
      if (index >= 0) return { index, name };
    }
    return undefined;
  };
  const id = find(ID_COLUMNS);
  const time = find(TIME_COLUMNS);
  const outcome = find(OUTCOME_COLUMNS);
  const missing: string[] = [];
  if (!id) missing.push(`no id column (accepted: ${ID_COLUMNS.join(', ')})`);
  if (!time) missing.push(`no time column (accepted: ${TIME_COLUMNS.join(', ')})`);
  if (!outcome) missing.push(`no outcome column (accepted: ${OUTCOME_COLUMNS.join(', ')})`);
  if (!id || !time || !outcome) return { error: `header: ${missing.join('; ')} (column names are matched case-insensitively)` };

  // A metric named both ways (entropy and entrophy): the proper name wins.
  const metrics = new Map<MetricName, { metric: MetricName; index: number; name: string }>();
  names.forEach((name, index) => {
    const metric = isMetricName(name) ? name : METRIC_ALIASES[name];
    if (!metric) return;
    const seen = metrics.get(metric);
    if (!seen || (seen.name !== metric && name === metric)) metrics.set(metric, { metric, index, name });
  });
  const service = find(SERVICE_COLUMNS);
  return {
    width: names.length,
    id,
    time,
    outcome: { ...outcome, kind: outcome.name === 'outcome' ? 'word' : 'flag' },
    ...(service ? { service } : {}),
    metrics: [...metrics.values()],
  };
}

/** One data row by the header's layout; every bad cell is a reason, and a row with any is rejected whole. */
export function parseCsvRow(fields: readonly string[], layout: CsvLayout): RowResult {
  if (fields.length !== layout.width) return { problems: [`has ${fields.length} fields, the header has ${layout.width}`] };
  const cell = (i: number) => (fields[i] ?? '').trim();
  const problems: string[] = [];

  const id = cell(layout.id.index);
  if (id === '') problems.push(`missing id (${layout.id.name})`);

  const rawTime = cell(layout.time.index);
  const at = rawTime === '' ? undefined : parseWhen(rawTime);
  if (rawTime === '') problems.push(`missing date (${layout.time.name})`);
  else if (!at) problems.push(`bad date in ${layout.time.name}: ${show(rawTime)}`);

  const rawOutcome = cell(layout.outcome.index);
  let outcome: Outcome | undefined;
  if (rawOutcome === '') problems.push(`missing outcome (${layout.outcome.name})`);
  else if (layout.outcome.kind === 'word') {
    outcome = parseOutcomeWord(rawOutcome);
    if (!outcome) problems.push(`unknown outcome ${show(rawOutcome)} in ${layout.outcome.name} (expected success, failure or rolled_back)`);
  } else {
    const flag = parseFlag(rawOutcome);
    if (flag !== undefined) outcome = flag === 1 ? 'failure' : 'success';
    else problems.push(`unknown outcome ${show(rawOutcome)} in ${layout.outcome.name} (expected True/False or 1/0)`);
  }

  const metrics: Record<string, number> = {};
  for (const m of layout.metrics) {
    const raw = cell(m.index);
    if (isMissingText(raw)) continue;
    const n = m.metric === 'fix' ? parseFlag(raw) : parseNumberText(raw);
    if (n === undefined) problems.push(`metric ${m.metric} is not ${m.metric === 'fix' ? 'True/False/1/0' : 'a number'}: ${show(raw)}`);
    else metrics[m.metric] = n;
  }

  const service = layout.service ? cell(layout.service.index) : '';
  if (problems.length || !at || !outcome) return problemsResult(problems);
  return { draft: { id, ...(service !== '' ? { service } : {}), at, outcome, metrics } };
}
