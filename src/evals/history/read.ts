import type { HistoryRecord } from '../../contracts/evals.js';
import { CsvRecordReader } from './csv.js';
import { csvLayout, parseCsvRow, SERVICE_COLUMNS, type CsvLayout } from './csv-rows.js';
import { parseJsonlRow } from './jsonl.js';
import type { RowDraft, RowResult } from './row.js';

export type HistoryFormat = 'jsonl' | 'csv';

export interface ReadHistoryOptions {
  /** 'auto' (default): by file extension (.csv; .jsonl/.ndjson/.json), else by the first non-blank line (`{` → JSONL). */
  format?: HistoryFormat | 'auto';
  /** Wins over every row's own service. */
  service?: string;
  /** Only used to pick the format. */
  fileName?: string;
  /** A CSV record whose quoted field stays open longer than this many lines is given up (default 1000). */
  maxRecordLines?: number;
}

/** `line` is the 1-based line where the bad record starts; 0 for problems of the whole file ("empty file", "no rows"). */
export interface HistoryReadError {
  line: number;
  message: string;
}

export type HistoryReadItem = { record: HistoryRecord; error?: undefined } | { record?: undefined; error: HistoryReadError };

/** "line 12: metric la is not a number: 'abc'" (no prefix for whole-file problems). */
export function formatHistoryError(e: HistoryReadError): string {
  return e.line > 0 ? `line ${e.line}: ${e.message}` : e.message;
}

export function formatFromFileName(fileName: string | undefined): HistoryFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
  if (ext === 'csv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  return undefined;
}

/**
 * Release history, streamed: one item per record or per rejected row, in file
 * order, holding one line (one CSV record) at a time plus the set of ids seen.
 * A row is imported whole or not at all; its error carries its line and every
 * reason found (up to five). After a header error nothing more is read.
 *
 * `lines` yields one line per item, without the line break (as readline gives
 * them; see `fileLines`); an item holding several lines is split.
 */
export async function* readHistory(
  lines: AsyncIterable<string> | Iterable<string>,
  opts: ReadHistoryOptions = {},
): AsyncGenerator<HistoryReadItem> {
  const serviceOverride = opts.service?.trim() || undefined;
  let format: HistoryFormat | undefined = opts.format && opts.format !== 'auto' ? opts.format : formatFromFileName(opts.fileName);
  const firstLine = new Map<string, number>();
  const csv = new CsvRecordReader(opts.maxRecordLines);
  let layout: CsvLayout | undefined;
  let lineNo = 0;
  let nonBlank = false;
  let rows = 0;

  const finish = (result: RowResult, line: number): HistoryReadItem => {
    rows++;
    if (!result.draft) return { error: { line, message: result.problems.join('; ') } };
    return toRecord(result.draft, line);
  };
  const toRecord = (draft: RowDraft, line: number): HistoryReadItem => {
    const service = serviceOverride ?? draft.service;
    if (!service) return { error: { line, message: 'no service: pass --service' } };
    const first = firstLine.get(draft.id);
    if (first !== undefined) return { error: { line, message: `duplicate id ${draft.id} (first at line ${first})` } };
    firstLine.set(draft.id, line);
    return {
      record: {
        id: draft.id,
        service,
        at: draft.at,
        outcome: draft.outcome,
        metrics: draft.metrics,
        ...(draft.outcomeAt ? { outcomeAt: draft.outcomeAt } : {}),
      },
    };
  };

  for await (const chunk of lines) {
    for (let line of chunk.includes('\n') ? chunk.split('\n') : [chunk]) {
      lineNo++;
      if (lineNo === 1) line = line.replace(/^\uFEFF/, '');
      if (!nonBlank) {
        if (line.trim() === '') continue;
        nonBlank = true;
        format ??= line.trimStart().startsWith('{') ? 'jsonl' : 'csv';
      }
      if (format === 'jsonl') {
        if (line.trim() === '') continue;
        yield finish(parseJsonlRow(line), lineNo);
        continue;
      }
      const step = csv.push(line, lineNo);
      if (step.kind === 'error') {
        if (!layout) {
          yield { error: { line: step.line, message: `header: ${step.message}` } };
          return;
        }
        rows++;
        yield { error: { line: step.line, message: step.message } };
      } else if (step.kind === 'record') {
        if (!layout) {
          const l = csvLayout(step.fields);
          if ('error' in l) {
            yield { error: { line: step.line, message: l.error } };
            return;
          }
          if (!l.service && !serviceOverride) {
            yield { error: { line: step.line, message: `no service: pass --service (or add a ${SERVICE_COLUMNS.join(' / ')} column)` } };
            return;
          }
          layout = l;
        } else yield finish(parseCsvRow(step.fields, layout), step.line);
      }
    }
  }
  const tail = csv.end(lineNo);
  if (tail?.kind === 'error') {
    rows++;
    yield { error: { line: tail.line, message: tail.message } };
  }
  if (!nonBlank) yield { error: { line: 0, message: 'empty file' } };
  else if (rows === 0) yield { error: { line: 0, message: 'no rows' } };
}
