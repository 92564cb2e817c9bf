/** One JSON request to the local runtime as the load and soak scripts send it: a token, a body, an idempotency key. */
export interface JsonRequestInit {
  token?: string | undefined;
  body?: unknown;
  key?: string | undefined;
}

export const sendJsonRequest = (base: string, method: string, path: string, init: JsonRequestInit) =>
  fetch(`${base}${path}`, {
    method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(30_000),
  });
