/**
 * The local runtime started in-process for one test file, on the run's DynamoDB Local with a table of
 * its own, plus HTTP clients that sign in with development tokens and hold every answer of the API to
 * the OpenAPI document: `apiAs`, typed from the document (paths, parameters, bodies and answers), and
 * `request`, which sends anything at all (malformed bodies, unknown paths and methods, raw headers).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import createClient, { type Client } from 'openapi-fetch';
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from '#infra/local/runtime';
import type { paths } from '#shared/http/api-types';
import { checkAnswer } from '#test/support/openapi-contract';
import { type TestTable, useTestTable } from '#test/support/table';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely, by the fields they assert on
export interface TestResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

export interface TestRuntime extends TestTable {
  runtime: LocalRuntime;
  url: string;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<TestResponse<T>>;
  /** The API as the document types it, signed in with `token` (none: anonymous). */
  apiAs(token?: string): Client<paths>;
  token(claims: Record<string, string>): Promise<string>;
  /**
   * Stops the runtime's engine and server, as a crash would lose them; the table stays. `whileStopped`
   * runs before the next start (to change what the runtime keeps in its data folder).
   */
  restart(overrides?: Partial<LocalRuntimeOptions>, whileStopped?: () => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

export const startTestRuntime = async (options: Partial<LocalRuntimeOptions> = {}): Promise<TestRuntime> => {
  const table = await useTestTable();
  const dataDir = await mkdtemp(join(tmpdir(), 'campaign-runtime-'));
  const start = (port: number, overrides: Partial<LocalRuntimeOptions> = {}) =>
    startLocalRuntime({
      port,
      dataDir,
      dynamoEndpoint: table.endpoint,
      tableName: table.tableName,
      // Tests mint any identity; test/http/identity-provider.test.ts signs in through the provider.
      devTokens: true,
      ...options,
      ...overrides,
    });
  let runtime = await start(0);

  /** fetch, holding every answer to the OpenAPI document; the answer's body stays unread. */
  const contractFetch = async (request: Request): Promise<Response> => {
    const response = await fetch(request);
    checkAnswer({
      method: request.method,
      url: request.url,
      status: response.status,
      contentType: response.headers.get('content-type'),
      text: await response.clone().text(),
    });
    return response;
  };

  const request = async <T>(
    method: string,
    path: string,
    opts: RequestOptions = {},
  ): Promise<TestResponse<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await contractFetch(new Request(`${runtime.url}${path}`, { method, headers, body }));
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (CSV, HTML): the text is the body.
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  };

  const harness: TestRuntime = {
    ...table,
    get runtime() {
      return runtime;
    },
    get url() {
      return runtime.url;
    },
    apiAs: (token) =>
      createClient<paths>({
        baseUrl: runtime.url,
        fetch: contractFetch,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }),
    request,
    token: async (claims) => {
      const response = await request<{ token: string }>('POST', '/local/token', { body: claims });
      if (response.status !== 200) throw new Error(`token: ${response.text}`);
      return response.body.token;
    },
    // Handler modules stay loaded (their SFN client points at this port), so the restart keeps the port.
    restart: async (overrides, whileStopped) => {
      const { port } = runtime;
      await runtime.stop();
      await whileStopped?.();
      runtime = await start(port, overrides);
    },
    stop: () => runtime.stop(),
  };
  return harness;
};

/** The body of a successful answer, for arranging a test; any other answer fails it with what the API said. */
export const successOf = async <Data>(
  pending: Promise<{ data?: Data; error?: unknown; response: Response }>,
): Promise<Data> => {
  const { data, error, response } = await pending;
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}: ${JSON.stringify(error)}`);
  return data as Data;
};
