/**
 * Typed errors of the campaign. Each names what went wrong in the campaign's words; the HTTP status
 * they map to is decided in exactly one place (`shared/http/error-response.ts`).
 */

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `fee.amountFen`; empty for the body itself. */
  path: string;
  message: string;
}

abstract class CampaignError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request does not match its schema; `issues` lists every failing field. */
export class ValidationError extends CampaignError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    message: string,
    readonly issues: FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No token, or a token that is not valid. */
export class UnauthenticatedError extends CampaignError {
  readonly code = 'UNAUTHENTICATED';
}

/** The caller's role may not use this operation at all. */
export class ForbiddenRoleError extends CampaignError {
  readonly code = 'FORBIDDEN';
}

/** Absent, or not the caller's to see: the two are indistinguishable on purpose. */
export class NotFoundError extends CampaignError {
  readonly code = 'NOT_FOUND';
}

/** The object moved on: already completed, held by someone else, or its version changed. */
export class ConflictError extends CampaignError {
  readonly code = 'CONFLICT';
}

export class PayloadTooLargeError extends CampaignError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends CampaignError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** An Idempotency-Key was reused with a different request body. */
export class IdempotencyKeyReusedError extends CampaignError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

/** A dependency throttled us; the client may retry. */
export class ThrottledError extends CampaignError {
  readonly code = 'THROTTLED';
}

/** A dependency (DynamoDB, the workflow engine, KMS) is unavailable; nothing was written, retry later. */
export class DependencyUnavailableError extends CampaignError {
  readonly code = 'DEPENDENCY_UNAVAILABLE';
}

export type CampaignErrorType = CampaignError;
export const isCampaignError = (error: unknown): error is CampaignError => error instanceof CampaignError;
