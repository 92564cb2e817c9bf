/**
 * The one place where errors become HTTP responses. Unexpected errors are logged (without request
 * bodies, which may carry complainant contact details) and answered with a bare 500.
 */
import {
  ConflictError,
  DependencyUnavailableError,
  ForbiddenRoleError,
  IdempotencyKeyReusedError,
  isCampaignError,
  NotFoundError,
  PayloadTooLargeError,
  ThrottledError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#shared/domain/errors';
import { logger } from '#shared/observability/logger';

const statusByError = new Map<abstract new (...args: never[]) => Error, number>([
  [ValidationError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenRoleError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [IdempotencyKeyReusedError, 422],
  [ThrottledError, 429],
  [DependencyUnavailableError, 503],
]);

export interface ErrorPayload {
  status: number;
  headers: Record<string, string>;
  body: { error: { code: string; message: string; reason?: string; details?: unknown } };
}

export const errorPayload = (error: unknown): ErrorPayload => {
  if (isCampaignError(error)) {
    for (const [type, status] of statusByError) {
      if (error instanceof type) {
        const details = error instanceof ValidationError ? error.issues : undefined;
        const reason = error instanceof ConflictError ? error.reason : undefined;
        const retryable = status === 429 || status === 503;
        return {
          status,
          headers: retryable ? { 'retry-after': '1' } : {},
          body: {
            error: {
              code: error.code,
              message: error.message,
              ...(reason ? { reason } : {}),
              ...(details ? { details } : {}),
            },
          },
        };
      }
    }
  }
  logger.error('Unexpected failure', {
    error:
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : String(error),
  });
  return {
    status: 500,
    headers: {},
    body: {
      error: {
        code: 'INTERNAL',
        message: 'The request could not be completed; retrying with the same Idempotency-Key is safe.',
      },
    },
  };
};
