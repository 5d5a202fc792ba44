import { AppError } from '../contracts/errors.js';

/**
 * SQLSTATE classes that mean "this row's values cannot be stored", whoever
 * sends them again: 22 data exception (an invalid byte sequence, a time out of
 * range) and 54 program limit exceeded (a value too large for an index). Any
 * other failure (a lost connection, a deadlock) says nothing about the row.
 */
const ROW_REFUSED = /^(22|54)/;

/** The SQLSTATE of a driver error; drizzle wraps the driver's error, whose code sits on a cause. */
function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/**
 * A 400 validation_failed when the database refused the row itself, naming
 * only the SQLSTATE (the driver's message may quote the value); undefined for
 * any other failure, which the caller rethrows.
 */
export function refusedRow(err: unknown, what: string): AppError | undefined {
  const state = sqlState(err);
  if (!state || !ROW_REFUSED.test(state)) return undefined;
  return new AppError('validation_failed', `the database refused ${what} (SQLSTATE ${state}): a value it cannot store`, {
    cause: err,
    details: { sqlstate: state },
  });
}
