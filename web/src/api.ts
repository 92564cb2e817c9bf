/**
 * The API client: same origin (`/api/*`), typed from the OpenAPI document (paths, parameters, bodies
 * and answers are checked by the compiler), the session's bearer token, errors as typed values.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { FieldIssue } from '#shared/domain/errors';
import type { components, paths } from '#shared/http/api-types';
import { lang } from './i18n/language.ts';
import { clearSession, currentSession } from './session.ts';

/** A field the API refused: a code and parameters the portal renders, and the English message. */
export type { FieldIssue };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
    /** What a conflict (409) is about, when the API names it for clients to act on (`evidence_case_limit`). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** Raised (as a window event) when the API refuses the session's token. */
export const sessionEndedEvent = 'campaign:session-ended';

/** Signs each request with the session's token; a signed request answered 401 ends the session. */
const sessionToken: Middleware = {
  onRequest({ request }) {
    const session = currentSession();
    if (session) request.headers.set('authorization', `Bearer ${session.token}`);
    // Texts the API writes (notifications) come in the portal's language.
    request.headers.set('accept-language', lang());
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('authorization')) {
      clearSession();
      window.dispatchEvent(new Event(sessionEndedEvent));
    }
    return response;
  },
  onError({ error }) {
    return new ApiError(0, 'NETWORK', error instanceof Error ? error.message : String(error));
  },
};

export const api = createClient<paths>({
  headers: { accept: 'application/json' },
  // Filters left empty mean "any": they are left out, not sent empty.
  querySerializer: (query) =>
    new URLSearchParams(
      Object.entries(query).flatMap(([key, value]) =>
        value === undefined || value === '' ? [] : [[key, String(value)]],
      ),
    ).toString(),
});
api.use(sessionToken);

/**
 * The body of a successful answer; any other answer as an `ApiError` with the API's code, message and
 * field issues (or the HTTP status when the answer is not the API's error shape).
 */
export const bodyOf = async <Data>(
  pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> => {
  const { data, error, response } = await pending;
  if (response.ok) return data as Data;
  const refusal =
    typeof error === 'object' && error !== null && 'error' in error
      ? (error as Partial<components['schemas']['Error']>).error
      : undefined;
  const reason = refusal && 'reason' in refusal ? refusal.reason : undefined;
  throw new ApiError(
    response.status,
    refusal?.code ?? `HTTP_${response.status}`,
    refusal?.message ?? response.statusText,
    Array.isArray(refusal?.details) ? refusal.details : [],
    typeof reason === 'string' ? reason : undefined,
  );
};

/** A fresh Idempotency-Key: kept by a form until its request succeeds, so a repeat is harmless. */
export const idempotencyKey = (): string => crypto.randomUUID();
