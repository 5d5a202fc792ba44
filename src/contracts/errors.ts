import { z } from 'zod';

/**
 * Every error code shipcheck answers with, and the HTTP status each one
 * means: the one table from code to status (HTTP, CLI and jobs all read it).
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** The same service and version was registered before with other content. */
  release_conflict: 409,
  /** A change id was stored before with other content. */
  change_conflict: 409,
  /** An approval of a release that has no risk assessment yet (score it first). */
  no_assessment: 409,
  /** The release's policy forbids its registrant or authors to approve it. */
  self_approval: 403,
  /** The release's policy does not allow this yet (approvals missing, a freeze, a hold). */
  policy_unmet: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** The request line and headers are larger than the HTTP server reads (16 KB): answered before any route. */
  headers_too_large: 431,
  /** Too little history for what was asked (e.g. training a model). */
  insufficient_history: 422,
  /** A stored record (model artifact, assessment) cannot be read: an operator must act. */
  stored_record_unreadable: 500,
  /** The service's own configuration is invalid (an environment variable): an operator must act. */
  invalid_config: 500,
  internal: 500,
  /** A dependency (database, queue, embedder, LLM) is down or timed out: retry later. */
  unavailable: 503,
} as const;

export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorEnvelope = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/**
 * The one error base. Every error shipcheck raises on purpose extends it:
 * its `message` is safe to show to the caller, `code` and `status` say what
 * kind of failure it is, and `retryable` tells a caller (or the job queue)
 * whether the same request can succeed later. Anything thrown that is not
 * an AppError is a bug: it is logged and answered with a generic 500.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, opts: { retryable?: boolean; details?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.retryable = opts.retryable ?? this.status === 503;
    this.details = opts.details;
  }
}

/** Input that does not satisfy a rule the schema cannot express (400 validation_failed). */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('validation_failed', message, { details });
  }
}

/** A record that does not exist in the caller's tenant (another tenant's record is simply not found). */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super('not_found', message);
  }
}
