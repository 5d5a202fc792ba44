import { AppError, NotFoundError } from '../contracts/errors.js';

export class ReleaseNotFoundError extends NotFoundError {
  constructor(releaseId: string) {
    super(`no release ${releaseId}`);
  }
}

/**
 * A stored model artifact or assessment that no longer parses (edited by
 * hand, written by a newer version, damaged). Not retryable: an operator
 * acts (the message says how).
 */
export class StoredRecordUnreadableError extends AppError {
  constructor(what: string, remedy: string, cause: unknown) {
    super('stored_record_unreadable', `${what} cannot be read; ${remedy}, or restore it from a backup`, { retryable: false, cause });
  }
}
