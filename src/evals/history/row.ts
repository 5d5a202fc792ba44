import type { Outcome } from '../../contracts/evals.js';

/** One row read and checked, before the file-level checks (service, duplicate id). */
export interface RowDraft {
  id: string;
  service?: string;
  at: Date;
  outcome: Outcome;
  metrics: Record<string, number>;
  /** When the outcome became known, when the row says (JSONL `outcomeAt`). */
  outcomeAt?: Date;
}

export type RowResult = { draft: RowDraft; problems?: undefined } | { draft?: undefined; problems: string[] };

/** At most this many reasons per row; a row with 14 bad cells says so without a wall of text. */
const MAX_PROBLEMS = 5;

export function problemsResult(problems: string[]): RowResult {
  if (problems.length <= MAX_PROBLEMS) return { problems };
  return { problems: [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`] };
}
