import { AppError } from '../contracts/errors.js';

/** A sample re-sent with another value than the one stored (or twice in one batch with two values): nothing of the batch is stored. */
export class TelemetryConflictError extends AppError {
  constructor(message: string, details: unknown) {
    super('conflict', message, { details });
  }
}

/** A decision or rollout request that the release's state does not allow (e.g. stopping a watch never started). */
export class RolloutStateError extends AppError {
  constructor(message: string) {
    super('conflict', message);
  }
}
