/** The API client: same origin (`/api/*`), the session's bearer token, errors as typed values. */
import type { FieldIssue } from '#shared/domain/errors';
import { clearSession, currentSession } from './session.ts';

/** A field the API refused: a code and parameters the portal renders, and the English message. */
export type { FieldIssue };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** Raised (as a window event) when the API refuses the session's token. */
export const sessionEndedEvent = 'campaign:session-ended';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const session = currentSession();
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const url = query.size > 0 ? `${path}?${query}` : path;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK', error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: FieldIssue[] } })?.error;
    if (response.status === 401 && session) {
      clearSession();
      window.dispatchEvent(new Event(sessionEndedEvent));
    }
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      Array.isArray(error?.details) ? error.details : [],
    );
  }
  return body as T;
}

/** A fresh Idempotency-Key: kept by a form until its request succeeds, so a repeat is harmless. */
export const idempotencyKey = (): string => crypto.randomUUID();
