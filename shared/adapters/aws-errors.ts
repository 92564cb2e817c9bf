/**
 * Turns transient AWS SDK failures (throttling, timeouts, 5xx, refused connections) into
 * DependencyUnavailableError so the client hears "retry later" (503) instead of a 500.
 */
import { DependencyUnavailableError } from '#shared/domain/errors';

const transientNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  // A single write met an item inside an ongoing transaction: it succeeds when tried again.
  'TransactionConflictException',
]);

const transientCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

export const isTransientAwsError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const { $metadata, code } = error as Error & { $metadata?: { httpStatusCode?: number }; code?: string };
  return (
    transientNames.has(error.name) ||
    (code !== undefined && transientCodes.has(code)) ||
    ($metadata?.httpStatusCode ?? 0) >= 500
  );
};

/** Runs one call to a dependency, translating its transient failures. */
export const callDependency = async <T>(dependency: string, call: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (isTransientAwsError(error)) {
      throw new DependencyUnavailableError(
        `${dependency} is unavailable right now; please retry (repeating the request is safe)`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
};
