/**
 * Release histories with outcomes → `HistoryRecord`s for the eval replay.
 * Formats: release-history JSONL (shared jit/ data, the demo's superset with
 * `changes[].files[]`), Commit Guru CSV exports, replication-package CSVs.
 */
export { parseCsvLine, CsvRecordReader, type CsvStep } from './csv.js';
export { csvLayout, ID_COLUMNS, OUTCOME_COLUMNS, SERVICE_COLUMNS, TIME_COLUMNS, type CsvLayout } from './csv-rows.js';
export { HISTORY_DEPENDENT_METRICS, METRIC_NAMES, parseWhen, type MetricName } from './fields.js';
export { fileLines, readHistoryFile } from './lines.js';
export {
  formatFromFileName,
  formatHistoryError,
  readHistory,
  type HistoryFormat,
  type HistoryReadError,
  type HistoryReadItem,
  type ReadHistoryOptions,
} from './read.js';
export { summariseHistory, type HistorySummary, type ServiceSummary } from './summary.js';
