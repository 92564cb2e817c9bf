/**
 * The served OpenAPI document is a contract tools other than ours accept: Redocly's recommended rules
 * and Spectral's `spectral:oas` find no error in it, and every component and response schema compiles
 * as JSON Schema 2020-12 (Ajv, strict). What it declares is held to the real answers by the response
 * check of the HTTP test helpers.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAnswer,
  type JsonSchema,
  type OpenApiDocument,
  type ResponseObject,
  schemaCompiler,
} from '#test/support/openapi-contract';
import { startTestRuntime, type TestResponse, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let served: TestResponse<OpenApiDocument>;
let workDir = '';
let documentPath = '';

/** Runs a linter's CLI and returns what it printed; linters exit non-zero when they find errors. */
const runCli = (bin: string, args: string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      join('node_modules', '.bin', bin),
      args,
      {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
      (error, stdout, stderr) => {
        if (stdout.trim().startsWith('{') || stdout.trim().startsWith('[')) resolve(stdout);
        else reject(new Error(`${bin} printed no report: ${error?.message ?? ''}\n${stderr}`));
      },
    );
  });

interface SpectralResult {
  code: string;
  message: string;
  path: string[];
  /** 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
}

interface RedoclyReport {
  totals: { errors: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

const operationsOf = (document: OpenApiDocument) =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

beforeAll(async () => {
  harness = await startTestRuntime();
  served = await harness.request<OpenApiDocument>('GET', '/api/openapi.json');
  workDir = await mkdtemp(join(tmpdir(), 'openapi-contract-'));
  documentPath = join(workDir, 'openapi.json');
  await writeFile(documentPath, served.text);
});

afterAll(async () => {
  await harness?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('The served OpenAPI document', () => {
  it('is served as JSON', () => {
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('passes redocly lint with the recommended rules', { timeout: 120_000 }, async () => {
    const report = JSON.parse(
      await runCli('redocly', ['lint', documentPath, '--format=json', '--extends=recommended']),
    ) as RedoclyReport;

    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('passes spectral lint with the spectral:oas rules', { timeout: 120_000 }, async () => {
    const results = JSON.parse(
      await runCli('spectral', ['lint', documentPath, '--ruleset', '.spectral.yaml', '--format', 'json']),
    ) as SpectralResult[];

    const errors = results
      .filter((result) => result.severity === 0)
      .map((result) => `${result.code} at ${result.path.join('.')}: ${result.message}`);
    expect(errors).toEqual([]);
  });

  it('compiles every component as JSON Schema 2020-12', () => {
    const compiler = schemaCompiler(served.body);

    const failures = Object.keys(served.body.components.schemas).flatMap((id) => {
      try {
        compiler.component(id);
        return [];
      } catch (error) {
        return [`${id}: ${(error as Error).message}`];
      }
    });

    expect(failures).toEqual([]);
  });

  it('compiles the schema of every response as JSON Schema 2020-12', () => {
    const compiler = schemaCompiler(served.body);
    const sharedResponses = served.body.components.responses ?? {};
    const failures: string[] = [];

    for (const { path, method, operation } of operationsOf(served.body)) {
      for (const [status, declared] of Object.entries(operation.responses)) {
        const response: ResponseObject | undefined =
          '$ref' in declared ? sharedResponses[declared.$ref.split('/').pop() ?? ''] : declared;
        for (const [mediaType, { schema }] of Object.entries(response?.content ?? {})) {
          try {
            compiler.schema(schema as JsonSchema);
          } catch (error) {
            failures.push(`${method} ${path} ${status} ${mediaType}: ${(error as Error).message}`);
          }
        }
      }
    }

    expect(failures).toEqual([]);
  });

  it('declares every query parameter an operation reads', () => {
    const queryOf = (operationId: string) =>
      operationsOf(served.body)
        .find(({ operation }) => operation.operationId === operationId)
        ?.operation.parameters?.filter((parameter) => parameter.in === 'query')
        .map((parameter) => parameter.name)
        .sort();

    expect(queryOf('listTasks')).toEqual(['agency', 'cursor', 'kind', 'limit', 'province', 'status']);
    expect(queryOf('listComplaints')).toEqual(['cursor', 'limit', 'reference']);
    expect(queryOf('getMetrics')).toEqual(['agency', 'category', 'province']);
    const filters = ['agency', 'association', 'category', 'creditCode', 'cursor', 'fee', 'from', 'outcome'];
    const more = ['overdue', 'province', 'reference', 'stage', 'to', 'verdict'];
    expect(queryOf('searchCases')).toEqual([...filters, 'limit', ...more].sort());
    expect(queryOf('getCaseLedger')).toEqual([...filters, ...more].sort());
  });

  it('names the content type each operation really answers with', () => {
    const contentOf = (operationId: string) =>
      Object.keys(
        (
          operationsOf(served.body).find(({ operation }) => operation.operationId === operationId)?.operation
            .responses['200'] as ResponseObject | undefined
        )?.content ?? {},
      );

    expect(contentOf('getOutcomesCsv')).toEqual(['text/csv']);
    expect(contentOf('getCaseLedger')).toEqual(['text/csv']);
    expect(contentOf('getOpenApi')).toEqual(['application/json']);
  });
});

describe('The response check every HTTP test helper applies', () => {
  const json = 'application/json; charset=utf-8';
  const errorBody = (code: string) => JSON.stringify({ error: { code, message: 'No' } });

  it('accepts an answer the document declares', () => {
    const answer = {
      method: 'GET',
      url: '/api/tasks?limit=5',
      status: 401,
      contentType: json,
      text: errorBody('UNAUTHENTICATED'),
    };

    expect(() => checkAnswer(answer)).not.toThrow();
  });

  it('refuses a status the operation does not declare, naming the ones it does', () => {
    const answer = {
      method: 'GET',
      url: '/api/health',
      status: 409,
      contentType: json,
      text: errorBody('CONFLICT'),
    };

    expect(() => checkAnswer(answer)).toThrow(
      /GET \/api\/health answered 409, a status the OpenAPI document does not declare for getHealth \(it declares 200, /,
    );
  });

  it('refuses a body the schema of the answer does not allow', () => {
    const answer = {
      method: 'GET',
      url: '/api/health',
      status: 200,
      contentType: json,
      text: '{"status":"fine"}',
    };

    expect(() => checkAnswer(answer)).toThrow(/a body the OpenAPI document does not allow for getHealth/);
  });

  it('refuses a content type the answer does not declare', () => {
    const answer = {
      method: 'GET',
      url: '/api/public/outcomes.csv',
      status: 200,
      contentType: json,
      text: '[]',
    };

    expect(() => checkAnswer(answer)).toThrow(
      /as application\/json; charset=utf-8, where getOutcomesCsv declares text\/csv/,
    );
  });

  it("holds a method a path does not have to the gateway's 405", () => {
    const refused = {
      method: 'DELETE',
      url: '/api/tasks',
      status: 405,
      contentType: json,
      text: errorBody('METHOD_NOT_ALLOWED'),
    };
    const served = { ...refused, status: 200, text: '{}' };

    expect(() => checkAnswer(refused)).not.toThrow();
    expect(() => checkAnswer(served)).toThrow(/no such operation, so it must answer 405/);
  });

  it("holds a path the API does not have to the gateway's 404", () => {
    const answer = {
      method: 'GET',
      url: '/api/nowhere',
      status: 404,
      contentType: json,
      text: errorBody('NOT_FOUND'),
    };

    expect(() => checkAnswer(answer)).not.toThrow();
  });

  it('leaves answers outside /api/ alone', () => {
    const answer = {
      method: 'GET',
      url: '/local/anything',
      status: 418,
      contentType: 'text/plain',
      text: 'teapot',
    };

    expect(() => checkAnswer(answer)).not.toThrow();
  });
});
