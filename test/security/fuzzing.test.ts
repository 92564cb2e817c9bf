/**
 * Fuzzing every body, query and path parameter of the API (and the local token endpoint) with
 * fast-check: random valid values from the schemas' constraints, boundary values, single-field
 * breakages, garbage (any JSON, deep nesting, 40 KiB strings, Unicode, prototype-pollution keys) and
 * wrong content types. The response is never 5xx; invalid input is a 4xx, and a validation failure
 * names the failing fields in `error.details`; a rejected request writes nothing (the whole table is
 * compared before and after, while no workflow is moving). An enterprise filing about its open case
 * again, whatever it states, counts once.
 */
import { request as httpRequest } from 'node:http';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody } from '#infra/local/campaign-fixtures';
import { ComplaintInput, todayInChina } from '#shared/domain/complaint';
import { NotificationSettings } from '#shared/domain/notification-settings';
import { toFieldIssues } from '#shared/domain/validation';
import { MetricsQuery, PublicMetricsQuery } from '#shared/metrics/messages';
import { ListNotificationsQuery } from '#shared/notifications/messages';
import { LedgerQuery, SearchCasesQuery } from '#shared/read-cases/search-messages';
import { ListComplaintsQuery, PublicProgressQuery } from '#shared/read-complaints/messages';
import { completionBodies, ListTasksQuery } from '#shared/tasks/messages';
import {
  applyBreakages,
  type Body,
  breakagesOf,
  complaintRules,
  complaintShapes,
  completionRules,
  completionShapes,
  garbageJson,
  type TokenRole,
  tokenRules,
  tokenShapes,
  tomorrowInChina,
  validComplaint,
  validInfo,
  validRectification,
  validReview,
  validTokenRequest,
  validVerification,
} from '#test/security/arbitraries';
import {
  type Cast,
  type DrivenCase,
  driveToOpenTask,
  newCast,
  type TaskKind,
  tableSnapshot,
  validCompletion,
} from '#test/security/support';
import { checkAnswer } from '#test/support/openapi-contract';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

const taskKinds = ['REVIEW', 'RECTIFICATION', 'VERIFICATION', 'INFO'] as const;
/** Who completes each kind. */
const completer = {
  REVIEW: 'regulator',
  RECTIFICATION: 'association',
  VERIFICATION: 'regulator',
  INFO: 'enterprise',
} as const;

let harness: TestRuntime;
let cast: Cast;
/** Open tasks every rejected completion is tried on (they must stay open). */
const shared = {} as Record<TaskKind, DrivenCase>;
/** One task of each kind that a generated valid body completes, at the end. */
const fresh = {} as Record<TaskKind, DrivenCase>;
const figures: Record<string, number> = {};

const count = (what: string) => {
  figures[what] = (figures[what] ?? 0) + 1;
};

interface Sent {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: read loosely, by the fields asserted on
  body: any;
  text: string;
}

/** Sends exactly these bytes with exactly this content type (none when null). */
const send = async (
  method: string,
  path: string,
  options: {
    token?: string;
    raw?: string;
    contentType?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<Sent> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.contentType !== undefined && options.contentType !== null)
    headers['content-type'] = options.contentType;
  else if (options.raw !== undefined && options.contentType === undefined)
    headers['content-type'] = 'application/json';
  const response = await fetch(`${harness.url}${path}`, {
    method,
    headers,
    // Bytes, so that fetch adds no content type of its own.
    body: options.raw === undefined ? undefined : new TextEncoder().encode(options.raw),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  checkAnswer({ method, url: response.url, status: response.status, contentType, text });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
};

/** Sends exactly these headers, Host included (fetch would set its own Host). */
const sendExactly = (
  method: string,
  path: string,
  headers: Record<string, string>,
  raw?: string,
): Promise<Sent> =>
  new Promise((resolve, reject) => {
    const request = httpRequest(`${harness.url}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, body, text });
      });
    });
    request.on('error', reject);
    request.end(raw);
  });

const amzJson = 'application/x-amz-json-1.0';

/** A StartExecution that would take the case straight to its outcome, skipping every decision. */
const startForCase = (caseId: string) =>
  JSON.stringify({
    stateMachineArn: Object.values(harness.runtime.stateMachineArns)[0],
    name: `${caseId}-forged`,
    input: JSON.stringify({ caseId, resumeAt: 'RecordOutcome' }),
  });

/** Executions the engine knows, on every state machine. */
const engineExecutionCount = () =>
  Object.values(harness.runtime.stateMachineArns).flatMap(
    (stateMachineArn) => harness.runtime.stepFunctions.listExecutions({ stateMachineArn }).executions,
  ).length;

const postJson = (path: string, token: string | undefined, body: unknown) =>
  send('POST', path, { token, raw: JSON.stringify(body) });

const detailPaths = (response: Sent): string[] =>
  ((response.body?.error?.details ?? []) as { path: string }[]).map((issue) => issue.path);

/** Never a server error; a 400 is a validation failure that names at least one field. */
const expectHandled = (response: Sent) => {
  expect(response.status, response.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
  expect(response.status, response.text.slice(0, 300)).toBeLessThan(500);
  expect(response.body?.error).toEqual(
    expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  );
  if (response.status === 400) {
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details).toEqual(expect.any(Array));
    expect(response.body.error.details.length).toBeGreaterThan(0);
  }
};

/** A 400 whose details name every path given, or a field inside it (`actions` by `actions.0`). */
const expectValidationNaming = (response: Sent, paths: string[]) => {
  expect(response.status, response.text.slice(0, 300)).toBe(400);
  expect(response.body.error.code).toBe('VALIDATION_FAILED');
  const named = detailPaths(response);
  const unnamed = paths.filter((path) => !named.some((n) => n === path || n.startsWith(`${path}.`)));
  expect(unnamed, `named: ${JSON.stringify(named)}`).toEqual([]);
};

/** Runs a property against the quiet table and checks that the table did not change. */
const withoutWrites = async (run: () => Promise<void>) => {
  // Everything asynchronous settles first: counters, notifications and their delivery markers.
  await harness.runtime.drainQueues();
  const before = await tableSnapshot(harness);
  await run();
  await harness.runtime.drainQueues();
  const after = await tableSnapshot(harness);
  expect(after.count).toBe(before.count);
  expect(after.text === before.text, 'the table changed').toBe(true);
  return before.count;
};

const runs = (numRuns: number) => ({ numRuns, endOnFailure: true });

beforeAll(async () => {
  // Hundreds of public lookups from one address: the per-address limit would answer them 429 (it has
  // its own test in test/http/progress-api.test.ts); here the handler behind it is fuzzed.
  harness = await startTestRuntime({ rateLimits: false });
  cast = await newCast(harness);
  const driven = await Promise.all(
    [...taskKinds, ...taskKinds].map((kind, i) =>
      driveToOpenTask(harness, cast, kind, { feeName: `${i < 4 ? 'Shared' : 'Fresh'} ${kind} fee` }),
    ),
  );
  taskKinds.forEach((kind, i) => {
    shared[kind] = driven[i] as DrivenCase;
    fresh[kind] = driven[i + 4] as DrivenCase;
  });
  // Every workflow now waits for a person: nothing writes until a request does.
  await harness.runtime.drainStreams();
}, 60_000);

afterAll(async () => {
  const total = Object.values(figures).reduce((sum, n) => sum + n, 0);
  console.log(
    `fuzzing: ${total} cases tried\n${Object.entries(figures)
      .map(([what, n]) => `  ${String(n).padStart(5)}  ${what}`)
      .join('\n')}`,
  );
  await harness?.stop();
});

describe('POST /api/complaints', () => {
  it('rejects a complaint with up to three broken fields with 400 naming each, and writes nothing', async () => {
    // Arrange
    const cases = fc.tuple(validComplaint, breakagesOf(complaintRules, complaintShapes));

    // Act + Assert
    const items = await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async ([valid, breakages]) => {
          count('complaint bodies with broken fields');
          const response = await postJson(
            '/api/complaints',
            cast.tokens.enterprise,
            applyBreakages(valid, breakages),
          );
          expectValidationNaming(
            response,
            breakages.map((b) => b.expectPath),
          );
        }),
        runs(100),
      ),
    );
    expect(items).toBeGreaterThan(0);
  }, 90_000);

  it('refuses garbage bodies with 400 or 413, never 5xx, and writes nothing', async () => {
    // Arrange
    const cases = garbageJson;

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async (raw) => {
          count('garbage complaint bodies');
          const response = await send('POST', '/api/complaints', { token: cast.tokens.enterprise, raw });
          expectHandled(response);
          expect([400, 413]).toContain(response.status);
        }),
        runs(80),
      ),
    );
  }, 90_000);

  it('refuses a valid complaint in any content type but JSON with 415, and writes nothing', async () => {
    // Arrange
    const contentTypes = fc
      .oneof(
        fc.constantFrom(
          null,
          '',
          'text/plain',
          'text/plain; charset=utf-8',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=xyz',
          'application/xml',
          'text/json',
          'application/jsonx',
          'application/json-patch+json',
          'application/vnd.api+json',
          'json',
          '*/*',
          'application/javascript',
          'application/octet-stream',
        ),
        fc
          .tuple(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z0-9.+-]{1,15}$/))
          .map(([type, subtype]) => `${type}/${subtype}`),
      )
      .filter((type) => type === null || type.split(';')[0]?.trim().toLowerCase() !== 'application/json');

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(validComplaint, contentTypes, async (body, contentType) => {
          count('complaints in other content types');
          const response = await send('POST', '/api/complaints', {
            token: cast.tokens.enterprise,
            raw: JSON.stringify(body),
            contentType,
          });
          expect(response.status, `${contentType}: ${response.text}`).toBe(415);
          expectHandled(response);
        }),
        runs(40),
      ),
    );
  }, 60_000);

  it('counts an enterprise filing about its open case again once, whatever the repeat states', async () => {
    // Arrange
    const { caseId, complaintId } = shared.REVIEW;
    const caseTotals = async () => {
      const { Item } = await harness.documentClient.send(
        new GetCommand({ TableName: harness.tableName, Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }),
      );
      return {
        complaintCount: Item?.complaintCount,
        enterpriseCount: Item?.enterpriseCount,
        claimedFen: Item?.claimedFen,
      };
    };
    const sameFee = validComplaint.map((body) => ({
      ...body,
      association: { name: 'Widget Industry Association', creditCode: cast.associationCode },
      fee: { ...(body.fee as Body), name: 'Shared REVIEW fee', category: 'MEMBERSHIP_DUES' },
    }));
    const before = await caseTotals();
    let filing = 0;

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(sameFee, async (body) => {
        count('repeat filings about an open case');
        filing += 1;
        const response = await send('POST', '/api/complaints', {
          token: cast.tokens.enterprise,
          raw: JSON.stringify(body),
          headers: { 'Idempotency-Key': `repeat-${filing}` },
        });
        expect(response.status, response.text.slice(0, 300)).toBe(202);
        expect(response.body).toMatchObject({ caseId, joinedExistingCase: true, repeatOf: { complaintId } });
      }),
      runs(30),
    );
    expect(await caseTotals()).toEqual(before);
  }, 90_000);
});

describe('POST /api/tasks/{id}/complete', () => {
  const validBodies = {
    REVIEW: validReview,
    RECTIFICATION: validRectification,
    VERIFICATION: validVerification,
    INFO: validInfo,
  };

  it.each(taskKinds)(
    'rejects a %s completion with broken fields with 400 naming each, and writes nothing',
    async (kind) => {
      // Arrange
      const cases = fc.tuple(validBodies[kind], breakagesOf(completionRules[kind], completionShapes[kind]));
      const path = `/api/tasks/${shared[kind].taskId}/complete`;

      // Act + Assert
      await withoutWrites(() =>
        fc.assert(
          fc.asyncProperty(cases, async ([valid, breakages]) => {
            count(`${kind} completions with broken fields`);
            const body = applyBreakages(valid, breakages);
            const response = await postJson(path, cast.tokens[completer[kind]], body);
            expectValidationNaming(
              response,
              breakages.map((b) => b.expectPath),
            );
          }),
          runs(80),
        ),
      );
    },
    90_000,
  );

  it.each(taskKinds)(
    'refuses garbage and other kinds’ bodies for a %s task with 4xx, and writes nothing',
    async (kind) => {
      // Arrange
      const otherKinds = taskKinds.filter((other) => other !== kind);
      const otherBody = fc
        .constantFrom(...otherKinds)
        .chain((other) => validBodies[other])
        .filter((body) => !completionBodies[kind].safeParse(body).success)
        .map((body) => JSON.stringify(body));
      const cases = fc.oneof(garbageJson, otherBody);
      const path = `/api/tasks/${shared[kind].taskId}/complete`;

      // Act + Assert
      await withoutWrites(() =>
        fc.assert(
          fc.asyncProperty(cases, async (raw) => {
            count(`garbage ${kind} completions`);
            const response = await send('POST', path, { token: cast.tokens[completer[kind]], raw });
            expectHandled(response);
          }),
          runs(40),
        ),
      );
    },
    60_000,
  );
});

describe('POST /api/complaints/{id}/feedback', () => {
  const validFeedback = fc.record(
    {
      refundReceived: fc.constantFrom(true, false, null),
      satisfaction: fc.integer({ min: 1, max: 5 }),
      comment: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((text) => /\S/.test(text)),
    },
    { requiredKeys: ['refundReceived', 'satisfaction'] },
  );
  const brokenFeedback = fc.oneof(
    garbageJson,
    validFeedback.chain((valid) =>
      fc
        .oneof(
          fc.constant({ ...valid, satisfaction: 0 }),
          fc.constant({ ...valid, satisfaction: 6 }),
          fc.constant({ ...valid, satisfaction: 2.5 }),
          fc.constant({ ...valid, refundReceived: 'yes' }),
          fc.constant({ ...valid, comment: '   ' }),
          fc.constant({ ...valid, comment: 'x'.repeat(1001) }),
          fc.constant({ ...valid, rating: 5 }),
          fc.constant({ satisfaction: valid.satisfaction }),
        )
        .map((body) => JSON.stringify(body)),
    ),
  );

  it('refuses broken feedback with 400 and valid feedback on an open case with 409, and writes nothing', async () => {
    // Arrange
    const path = `/api/complaints/${shared.REVIEW.complaintId}/feedback`;
    const cases = fc.oneof(
      brokenFeedback.map((raw) => ({ raw, valid: false })),
      validFeedback.map((body) => ({ raw: JSON.stringify(body), valid: true })),
    );

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async ({ raw, valid }) => {
          count('feedback bodies');
          const response = await send('POST', path, { token: cast.tokens.enterprise, raw });
          expectHandled(response);
          // A garbage body may also be too large (413); a valid one meets the open case (409).
          expect(valid ? [409] : [400, 413]).toContain(response.status);
        }),
        runs(60),
      ),
    );
  }, 60_000);
});

// ---------------------------------------------------------------- queries

const queryKey = (known: readonly string[]) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'page', 'LIMIT', 'limit[]', 'x') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }) },
  );

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const keyNames = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk'];

/**
 * Cursors: random text, encoded random JSON, and encoded keys made of any subset of the table's key
 * attributes (whole, partial, of another index, with extra attributes) aimed at some partition.
 */
const cursorFor = (partitions: readonly string[]) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.jsonValue({ maxDepth: 2 }).map(base64url),
    fc
      .subarray(keyNames, { minLength: 1 })
      .chain((names) =>
        fc
          .tuple(
            ...names.map((name) =>
              name.endsWith('pk') && name !== 'pk'
                ? fc.oneof(fc.constantFrom('TASK#x', ...partitions), fc.string({ maxLength: 20 }))
                : fc.string({ maxLength: 20 }),
            ),
          )
          .map((values) => base64url(Object.fromEntries(names.map((name, i) => [name, values[i]])))),
      ),
    fc
      .dictionary(fc.constantFrom(...keyNames, 'entity'), fc.oneof(fc.string(), fc.integer()), { maxKeys: 5 })
      .map(base64url),
    fc.constant('x'.repeat(2049)),
  );

const queryValue = (enums: readonly string[], partitions: readonly string[]) =>
  fc.oneof(
    fc.constantFrom(
      '0',
      '1',
      '20',
      '100',
      '101',
      '-1',
      '1.5',
      '1e2',
      '0x10',
      ' 5 ',
      '',
      'abc',
      'null',
      'NaN',
      '1'.repeat(400),
    ),
    fc.constantFrom('x', ...enums),
    fc.constantFrom('x', ...enums).map((value) => value.toLowerCase()),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    cursorFor(partitions),
  );

/** A query string: parameters in any order, repeated, oddly encoded, or with a raw `%`. */
const queryString = (known: readonly string[], enums: readonly string[], partitions: readonly string[]) =>
  fc
    .array(
      fc.tuple(queryKey(known), queryValue(enums, partitions), fc.constantFrom('encoded', 'raw-percent')),
      {
        maxLength: 4,
      },
    )
    .map((pairs) =>
      pairs
        .map(
          ([key, value, how]) =>
            `${encodeURIComponent(key)}=${how === 'encoded' ? encodeURIComponent(value) : `${encodeURIComponent(value)}%`}`,
        )
        .join('&'),
    );

/** The query as the gateway hands it to the handler (last value of a repeated name wins). */
const queryAsSeen = (search: string): Record<string, string> =>
  // fromEntries keeps a parameter named `__proto__` as data, as the gateway does.
  Object.fromEntries(new URLSearchParams(search));

/** The paths of the fields zod refuses (the parsed input decides issue codes, not paths). */
const zodPaths = (issues: Parameters<typeof toFieldIssues>[0]) =>
  toFieldIssues(issues, undefined).map((issue) => issue.path);

describe('query parameters', () => {
  const taskEnums = [
    'OPEN',
    'COMPLETED',
    'REVIEW',
    'RECTIFICATION',
    'VERIFICATION',
    'INFO',
    'SAMR',
    'MCA',
    'NDRC',
    '11',
    '00',
  ];

  it('GET /api/complaints: 200 for what the schema accepts, 400 naming the fields otherwise, never 5xx', async () => {
    // Arrange
    const partitions = [`ENTERPRISE#${cast.enterpriseCode}`, `ENTERPRISE#${cast.otherEnterpriseCode}`];
    const cases = queryString(['limit', 'cursor'], [], partitions);

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async (search) => {
          count('GET /api/complaints queries');
          const response = await send('GET', `/api/complaints?${search}`, { token: cast.tokens.enterprise });
          const parsed = ListComplaintsQuery.safeParse(queryAsSeen(search));
          if (!parsed.success) expectValidationNaming(response, zodPaths(parsed.error.issues));
          else if (parsed.data.cursor === undefined) expect(response.status, response.text).toBe(200);
          else if (response.status !== 200) expectValidationNaming(response, ['cursor']);
        }),
        runs(100),
      ),
    );
  }, 60_000);

  it.each([
    ['an enterprise', 'enterprise', [`NOTIFY#ENTERPRISE#${'X'.repeat(18)}`]],
    ['a regulator', 'regulator', ['NOTIFY#OFFICE#MCA#11', 'NOTIFY#CAMPAIGN_ADMINS']],
  ] as const)(
    'GET /api/notifications as %s: 200, or 400 naming the fields, never 5xx',
    async (_who, actor, partitions) => {
      // Arrange
      const cases = queryString(['limit', 'cursor'], [], partitions);

      // Act + Assert
      await withoutWrites(() =>
        fc.assert(
          fc.asyncProperty(cases, async (search) => {
            count('GET /api/notifications queries');
            const response = await send('GET', `/api/notifications?${search}`, { token: cast.tokens[actor] });
            const parsed = ListNotificationsQuery.safeParse(queryAsSeen(search));
            if (!parsed.success) expectValidationNaming(response, zodPaths(parsed.error.issues));
            else if (parsed.data.cursor === undefined) expect(response.status, response.text).toBe(200);
            else if (response.status !== 200) expectValidationNaming(response, ['cursor']);
          }),
          runs(60),
        ),
      );
    },
    60_000,
  );

  it.each([
    ['a regulator', 'regulator', ['INBOX#MCA#11#OPEN', 'INBOX#MCA#11#COMPLETED', 'INBOX#SAMR#44#OPEN']],
    ['an association', 'association', [`ASSOCIATION_TASKS#${'X'.repeat(18)}#OPEN`]],
    ['a campaign admin', 'admin', ['INBOX#MCA#11#OPEN', 'TASKS#OPEN', 'TASKS#COMPLETED', 'TASK#x']],
  ] as const)(
    'GET /api/tasks as %s: 200, or 400 naming the fields, never 5xx',
    async (_who, actor, partitions) => {
      // Arrange
      const cases = queryString(
        ['status', 'kind', 'limit', 'cursor', 'agency', 'province'],
        taskEnums,
        partitions,
      );

      // Act + Assert
      await withoutWrites(() =>
        fc.assert(
          fc.asyncProperty(cases, async (search) => {
            count('GET /api/tasks queries');
            const response = await send('GET', `/api/tasks?${search}`, { token: cast.tokens[actor] });
            const parsed = ListTasksQuery.safeParse(queryAsSeen(search));
            if (!parsed.success) expectValidationNaming(response, zodPaths(parsed.error.issues));
            else if (actor !== 'admin' && (parsed.data.agency || parsed.data.province))
              expectValidationNaming(response, [parsed.data.agency ? 'agency' : 'province']);
            else if (parsed.data.cursor === undefined) expect(response.status, response.text).toBe(200);
            else if (response.status !== 200) expectValidationNaming(response, ['cursor']);
          }),
          runs(60),
        ),
      );
    },
    60_000,
  );

  it.each([
    ['/api/cases', 'regulator', SearchCasesQuery],
    ['/api/cases', 'admin', SearchCasesQuery],
    ['/api/cases.csv', 'nationalRegulator', LedgerQuery],
  ] as const)(
    'GET %s as %s: 200, or 400 naming the fields, never 5xx',
    async (path, actor, schema) => {
      // Arrange
      const enums = [
        'SAMR',
        'MCA',
        '11',
        '44',
        '00',
        'CLOSED',
        'UNLAWFUL',
        'ABOLISHED',
        'OTHER',
        'true',
        '2026-01-31',
      ];
      const cases = queryString(
        [
          'reference',
          'association',
          'creditCode',
          'fee',
          'stage',
          'verdict',
          'outcome',
          'category',
          'agency',
        ].concat(['province', 'from', 'to', 'overdue', 'limit', 'cursor']),
        enums,
        ['CASES#MCA#11', 'CASES#SAMR'],
      );

      // Act + Assert
      await withoutWrites(() =>
        fc.assert(
          fc.asyncProperty(cases, async (search) => {
            count(`GET ${path} queries`);
            const response = await send('GET', `${path}?${search}`, { token: cast.tokens[actor] });
            const parsed = schema.safeParse(queryAsSeen(search));
            if (!parsed.success) expectValidationNaming(response, zodPaths(parsed.error.issues));
            else if (parsed.data.cursor === undefined) expect(response.status, response.text).toBe(200);
            else if (response.status !== 200) expectValidationNaming(response, ['cursor']);
          }),
          runs(60),
        ),
      );
    },
    60_000,
  );

  it('GET /api/metrics as a campaign admin: 200, or 400 naming the fields, never 5xx', async () => {
    // Arrange
    const enums = ['SAMR', 'MCA', 'NDRC', '11', '44', '00', 'MEMBERSHIP_DUES', 'OTHER'];
    const cases = queryString(['province', 'category', 'agency'], enums, []);

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async (search) => {
          count('GET /api/metrics queries');
          const response = await send('GET', `/api/metrics?${search}`, { token: cast.tokens.admin });
          const parsed = MetricsQuery.safeParse(queryAsSeen(search));
          if (!parsed.success) expectValidationNaming(response, zodPaths(parsed.error.issues));
          else if (parsed.data.category && (parsed.data.agency || parsed.data.province))
            expectValidationNaming(response, ['category']);
          else expect(response.status, response.text).toBe(200);
        }),
        runs(80),
      ),
    );
  }, 60_000);

  it('GET /api/metrics as a provincial regulator: 200, 403 outside its scope, or 400, never 5xx', async () => {
    // Arrange
    const enums = ['SAMR', 'MCA', 'NDRC', '11', '44', '00', 'MEMBERSHIP_DUES'];
    const cases = queryString(['province', 'category', 'agency'], enums, []);

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async (search) => {
          count('GET /api/metrics queries');
          const response = await send('GET', `/api/metrics?${search}`, { token: cast.tokens.regulator });
          const parsed = MetricsQuery.safeParse(queryAsSeen(search));
          if (!parsed.success) expectValidationNaming(response, zodPaths(parsed.error.issues));
          else expect([200, 403]).toContain(response.status);
        }),
        runs(40),
      ),
    );
  }, 60_000);

  it.each(['/api/public/metrics', '/api/public/outcomes.csv'])(
    'GET %s: 200 without parameters, 400 naming any parameter, never 5xx',
    async (route) => {
      // Arrange
      const cases = queryString(['limit', 'format'], ['csv', 'json'], []);

      // Act + Assert
      await withoutWrites(() =>
        fc.assert(
          fc.asyncProperty(cases, async (search) => {
            count('public queries');
            const response = await send('GET', `${route}?${search}`);
            const parsed = PublicMetricsQuery.safeParse(queryAsSeen(search));
            if (!parsed.success) expectValidationNaming(response, zodPaths(parsed.error.issues));
            else expect(response.status, response.text).toBe(200);
          }),
          runs(40),
        ),
      );
    },
    60_000,
  );
});

describe('PUT /api/notifications/settings', () => {
  const validSettings = fc
    .record(
      {
        email: fc.emailAddress(),
        phone: fc.stringMatching(/^\+[1-9]\d{6,14}$/),
        language: fc.constantFrom('zh-CN', 'en'),
        emailOptOut: fc.boolean(),
        smsOptOut: fc.boolean(),
      },
      { requiredKeys: ['language', 'emailOptOut', 'smsOptOut'] },
    )
    // fast-check's addresses follow RFC 5322; the schema takes the common form only.
    .filter((body) => NotificationSettings.safeParse(body).success);

  it('refuses garbage settings with 400 or 413, never 5xx, and writes nothing', async () => {
    // Arrange
    const cases = garbageJson;

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async (raw) => {
          count('garbage settings bodies');
          const response = await send('PUT', '/api/notifications/settings', {
            token: cast.tokens.regulator,
            raw,
          });
          expectHandled(response);
          expect([400, 413]).toContain(response.status);
        }),
        runs(60),
      ),
    );
  }, 90_000);

  it('keeps any valid settings and gives them back as they were sent', async () => {
    // Arrange
    const cases = validSettings;

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(cases, async (body) => {
        count('valid settings');
        const saved = await send('PUT', '/api/notifications/settings', {
          token: cast.tokens.admin,
          raw: JSON.stringify(body),
        });
        const read = await send('GET', '/api/notifications/settings', { token: cast.tokens.admin });
        expect(saved.status, saved.text.slice(0, 300)).toBe(200);
        expect(read.body).toEqual(body);
      }),
      runs(40),
    );
  }, 90_000);
});

describe('GET /api/public/progress', () => {
  it('answers 200 for a reference with its credit code, the same 404 for any other pair, 400 naming what is malformed, never 5xx', async () => {
    // Arrange
    const known = [shared.REVIEW.reference, cast.enterpriseCode, '2026-11-999999', '2026-00-1234567', '1234'];
    const cases = queryString(['reference', 'creditCode'], known, []);
    const notFound = new Set<string>();

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async (search) => {
          count('public progress lookups');
          const response = await send('GET', `/api/public/progress?${search}`);
          const query = queryAsSeen(search);
          const parsed = PublicProgressQuery.safeParse(query);
          if (!parsed.success) return expectValidationNaming(response, zodPaths(parsed.error.issues));
          const owned =
            parsed.data.reference === shared.REVIEW.reference &&
            parsed.data.creditCode === cast.enterpriseCode;
          expect(response.status, response.text).toBe(owned ? 200 : 404);
          if (!owned) notFound.add(response.text);
        }),
        runs(60),
      ),
    );
    expect(notFound.size).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe('path parameters', () => {
  const ids = fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).map(encodeURIComponent),
    fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%C0%AF', '%00', '%2e%2e', '..', '%2F', '%FF%FE', 'a%', '%u0041'),
    fc.constant('x'.repeat(5000)),
    fc.uuid().map((uuid) => `${uuid}.review.1`),
    fc.stringMatching(/^\d{17}-[A-Za-z0-9_-]{22}$/),
  );

  it.each([
    ['GET', '/api/complaints/{id}', 'enterprise'],
    ['GET', '/api/cases/{id}', 'regulator'],
    ['POST', '/api/tasks/{id}/claim', 'regulator'],
    ['POST', '/api/tasks/{id}/release', 'regulator'],
    ['POST', '/api/tasks/{id}/release', 'admin'],
    ['POST', '/api/tasks/{id}/complete', 'regulator'],
    ['POST', '/api/tasks/{id}/assign', 'admin'],
    ['POST', '/api/cases/{id}/transfer', 'admin'],
    ['POST', '/api/tasks/{id}/extension', 'association'],
    ['GET', '/api/calendar/{id}', 'regulator'],
    ['PUT', '/api/calendar/{id}', 'admin'],
    ['POST', '/api/complaints/{id}/feedback', 'enterprise'],
    ['POST', '/api/notifications/{id}/read', 'enterprise'],
    ['POST', '/api/notifications/{id}/read', 'admin'],
    ['POST', '/api/admin/users/{id}/disable', 'admin'],
    ['POST', '/api/admin/users/{id}/enable', 'nationalRegulator'],
    ['POST', '/api/admin/users/{id}/reset', 'admin'],
    ['POST', '/api/admin/users/{id}/link', 'admin'],
  ] as const)(
    '%s %s answers any id, however encoded, with 404 or 400, never 5xx, and writes nothing',
    async (method, route, actor) => {
      // Arrange
      const bodies: Record<string, unknown> = {
        complete: validCompletion.REVIEW,
        feedback: { refundReceived: true, satisfaction: 5 },
        assign: { assignee: 'local:regulator:MCA:11:fuzz' },
        transfer: { agency: 'SAMR', province: '44', reason: 'Fuzzed transfer' },
        extension: { days: 5, reason: 'Refunds to every member take time' },
        link: { enterpriseOf: 'no-such-account' },
      };
      const valid = bodies[route.slice(route.lastIndexOf('/') + 1)];
      const body = valid === undefined ? undefined : JSON.stringify(valid);

      // Act + Assert
      await withoutWrites(() =>
        fc.assert(
          fc.asyncProperty(ids, async (id) => {
            count('path parameters');
            const response = await send(method, route.replace('{id}', id), {
              token: cast.tokens[actor],
              raw: body,
            });
            expectHandled(response);
            expect([400, 404]).toContain(response.status);
          }),
          runs(30),
        ),
      );
    },
    60_000,
  );
});

describe('POST /local/token', () => {
  it('issues a token for every valid request', async () => {
    // Arrange
    const cases = validTokenRequest;

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(cases, async (request) => {
        count('token requests');
        const response = await postJson('/local/token', undefined, request);
        expect(response.status, response.text).toBe(200);
        expect(response.body.token).toEqual(expect.any(String));
      }),
      runs(40),
    );
  });

  it.each(['enterprise', 'association', 'regulator', 'campaign-admin'] as const)(
    'rejects a %s token request with broken fields with 400 naming each',
    async (role: TokenRole) => {
      // Arrange
      const valid = validTokenRequest.filter((request) => request.role === role);
      const cases = fc.tuple(valid, breakagesOf(tokenRules[role], tokenShapes[role]));

      // Act + Assert
      await fc.assert(
        fc.asyncProperty(cases, async ([request, breakages]) => {
          count('token requests with broken fields');
          const response = await postJson(
            '/local/token',
            undefined,
            applyBreakages(request as Body, breakages),
          );
          expectValidationNaming(
            response,
            breakages.map((b) => b.expectPath),
          );
        }),
        runs(30),
      );
    },
  );

  it('refuses garbage with 4xx, never 5xx', async () => {
    // Arrange
    const cases = fc.oneof(
      garbageJson,
      fc.constantFrom(
        '{"role":"god"}',
        '{"role":"regulator","agency":"MCA","province":"00","cognito:groups":"campaign-admin"}',
      ),
    );

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(cases, async (raw) => {
        count('garbage token requests');
        const response = await send('POST', '/local/token', { raw });
        expectHandled(response);
      }),
      runs(40),
    );
  });

  it('refuses every content type but application/json with 415, and issues nothing', async () => {
    // Arrange
    const contentTypes = fc
      .oneof(
        fc.constantFrom(
          undefined,
          '',
          'text/plain',
          'text/plain; charset=utf-8',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=fuzz',
          'application/json-patch+json',
          'application/jsonp',
          'text/json',
          'application/x-amz-json-1.0',
          'json',
        ),
        fc
          .tuple(fc.stringMatching(/^[a-z]{1,12}$/), fc.stringMatching(/^[a-z0-9.+-]{1,20}$/))
          .map(([type, subtype]) => `${type}/${subtype}`),
      )
      .filter((type) => type?.split(';')[0]?.trim().toLowerCase() !== 'application/json');
    const cases = fc.tuple(validTokenRequest, contentTypes);

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(cases, async ([request, contentType]) => {
        count('token requests in other content types');
        const headers: Record<string, string> =
          contentType === undefined ? {} : { 'content-type': contentType };
        const response = await sendExactly('POST', '/local/token', headers, JSON.stringify(request));
        expect(response.status, response.text).toBe(415);
        expect(response.body).not.toHaveProperty('token');
      }),
      runs(40),
    );
  });

  it('refuses a body over 4 KiB with 413, and issues nothing', async () => {
    // Arrange
    const cases = fc.tuple(validTokenRequest, fc.integer({ min: 4 * 1024 + 1, max: 2 * 1024 * 1024 }));

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(cases, async ([request, size]) => {
        count('oversized token requests');
        const text = JSON.stringify(request);
        const raw = `${text.slice(0, -1)}${' '.repeat(size - text.length)}}`;
        const response = await sendExactly(
          'POST',
          '/local/token',
          { 'content-type': 'application/json' },
          raw,
        );
        expect(response.status, response.text).toBe(413);
        expect(response.body).not.toHaveProperty('token');
      }),
      runs(15),
    );
  });
});

describe('every local endpoint', () => {
  it('refuses any Host but its own loopback names with 421, and nothing is issued, started or written', async () => {
    // Arrange
    const port = harness.runtime.port;
    const accepted = ['127.0.0.1', 'localhost', '[::1]'].map((name) => `${name}:${port}`);
    const names = fc.oneof(
      fc.domain(),
      fc.ipV4(),
      fc.ipV6().map((ip) => `[${ip}]`),
      fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'localhost.', '127.0.0.2', '0.0.0.0', '127.1'),
    );
    const hosts = names
      .chain((name) => fc.constantFrom(name, `${name}:${port}`, `${name}:${port + 1}`, `${name}:0${port}`))
      .filter((host) => !accepted.includes(host.toLowerCase()));
    const endpoints = fc.constantFrom(
      {
        method: 'POST',
        path: '/local/token',
        contentType: 'application/json',
        body: '{"role":"campaign-admin"}',
      },
      { method: 'POST', path: '/local/sfn', contentType: amzJson, body: startForCase(shared.REVIEW.caseId) },
      { method: 'GET', path: '/api/health', contentType: undefined, body: undefined },
      { method: 'GET', path: '/', contentType: undefined, body: undefined },
    );
    const executions = engineExecutionCount();

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(fc.tuple(hosts, endpoints), async ([host, endpoint]) => {
          count('foreign Host headers');
          const headers: Record<string, string> = { host };
          if (endpoint.contentType) headers['content-type'] = endpoint.contentType;
          const response = await sendExactly(endpoint.method, endpoint.path, headers, endpoint.body);
          expect(response.status, `${host} ${response.text}`).toBe(421);
          expect(response.body?.error?.code).toBe('MISDIRECTED_REQUEST');
          expect(response.body).not.toHaveProperty('token');
        }),
        runs(60),
      ),
    );
    expect(engineExecutionCount()).toBe(executions);
  });
});

describe('POST /local/sfn', () => {
  it('lets no request without a valid signature reach the engine: 403, no execution, no write', async () => {
    // Arrange
    const keyId = harness.runtime.engineCredentials.accessKeyId;
    const operations = fc
      .oneof(
        fc.constantFrom(
          'StartExecution',
          'StopExecution',
          'ListExecutions',
          'DescribeExecution',
          'SendTaskSuccess',
          'SendTaskFailure',
          'SendTaskHeartbeat',
        ),
        fc.stringMatching(/^[A-Za-z]{0,30}$/),
      )
      .map((operation) => `AWSStepFunctions.${operation}`);
    const bodies = fc.oneof(
      garbageJson,
      fc.constantFrom(...taskKinds).map((kind) => startForCase(shared[kind].caseId)),
    );
    const amzDate = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((date) =>
        date
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, ''),
      );
    const signatures = fc
      .record({
        keyId: fc.oneof(fc.constant(keyId), fc.stringMatching(/^[A-Z0-9]{20}$/)),
        date: amzDate,
        signature: fc.stringMatching(/^[0-9a-f]{64}$/),
      })
      .map(({ keyId, date, signature }) => ({
        'x-amz-date': date,
        authorization: `AWS4-HMAC-SHA256 Credential=${keyId}/${date.slice(0, 8)}/us-east-1/states/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${signature}`,
      }));
    const authorizations = fc.oneof(
      fc.constant({}),
      fc.stringMatching(/^[ -~]{0,200}$/).map((authorization) => ({ authorization })),
      signatures,
    );
    const cases = fc.tuple(operations, bodies, authorizations);
    const executions = engineExecutionCount();

    // Act + Assert
    await withoutWrites(() =>
      fc.assert(
        fc.asyncProperty(cases, async ([target, body, authorization]) => {
          count('unsigned engine requests');
          const headers = { 'content-type': amzJson, 'x-amz-target': target, ...authorization };
          const response = await sendExactly('POST', '/local/sfn', headers, body);
          expect(response.status, response.text.slice(0, 300)).toBe(403);
          expect(['InvalidSignatureException', 'UnrecognizedClientException']).toContain(
            response.body?.__type,
          );
        }),
        runs(60),
      ),
    );
    expect(engineExecutionCount()).toBe(executions);
  }, 60_000);
});

// ---------------------------------------------------------------- accepted input (writes; last)

describe('accepted input', () => {
  it('accepts every valid complaint, boundary values included, with 202 and stores it as sent', async () => {
    // Arrange
    const cases = validComplaint;

    // Act + Assert
    await fc.assert(
      fc.asyncProperty(cases, async (body) => {
        count('valid complaints');
        const response = await postJson('/api/complaints', cast.tokens.enterprise, body);
        expect(response.status, response.text.slice(0, 300)).toBe(202);
        const stored = await send('GET', `/api/complaints/${response.body.complaintId}`, {
          token: cast.tokens.enterprise,
        });
        const parsed = ComplaintInput.parse(body);
        expect(stored.body.complaint).toMatchObject({
          fee: {
            amountFen: parsed.fee.amountFen,
            chargedOn: parsed.fee.chargedOn,
            category: parsed.fee.category,
          },
          discloseIdentityToAssociation: parsed.discloseIdentityToAssociation,
        });
      }),
      runs(30),
    );
  }, 90_000);

  const base = () =>
    complaintBody({ associationCode: cast.associationCode, feeName: `Boundary fee ${Math.random()}` });
  const withFee = (fee: Record<string, unknown>) => (body: Body) => ({
    ...body,
    fee: { ...(body.fee as Body), ...fee },
  });

  // biome-ignore format: a table
  it.each([
    { boundary: 'a 1-character fee name',          change: withFee({ name: 'X' }),                     status: 202 },
    { boundary: 'a 200-character fee name',        change: withFee({ name: 'Y'.repeat(200) }),         status: 202 },
    { boundary: 'a 201-character fee name',        change: withFee({ name: 'Y'.repeat(201) }),         status: 400, path: 'fee.name' },
    { boundary: 'a 4000-character description',    change: (b: Body) => ({ ...b, description: 'd'.repeat(4000) }), status: 202 },
    { boundary: 'a 4001-character description',    change: (b: Body) => ({ ...b, description: 'd'.repeat(4001) }), status: 400, path: 'description' },
    { boundary: 'an amount of 1 fen',              change: withFee({ amountFen: 1 }),                  status: 202 },
    { boundary: 'an amount of 10^12 fen',          change: withFee({ amountFen: 1_000_000_000_000 }),  status: 202 },
    { boundary: 'an amount of 0 fen',              change: withFee({ amountFen: 0 }),                  status: 400, path: 'fee.amountFen' },
    { boundary: 'an amount of 10^12 + 1 fen',      change: withFee({ amountFen: 1_000_000_000_001 }),  status: 400, path: 'fee.amountFen' },
    { boundary: 'charged today in China (UTC+8)',  change: (b: Body) => withFee({ chargedOn: todayInChina() })(b),    status: 202 },
    { boundary: 'charged tomorrow in China',       change: (b: Body) => withFee({ chargedOn: tomorrowInChina() })(b), status: 400, path: 'fee.chargedOn' },
    { boundary: 'a 7-digit phone',                 change: (b: Body) => ({ ...b, contact: { name: 'Li', phone: '1234567' } }),  status: 202 },
    { boundary: 'a 6-digit phone',                 change: (b: Body) => ({ ...b, contact: { name: 'Li', phone: '123456' } }),   status: 400, path: 'contact.phone' },
    { boundary: 'a 20-character phone',            change: (b: Body) => ({ ...b, contact: { name: 'Li', phone: '+86 1380000000000000'.slice(0, 20) } }), status: 202 },
    { boundary: 'a 21-character phone',            change: (b: Body) => ({ ...b, contact: { name: 'Li', phone: '1'.repeat(21) } }), status: 400, path: 'contact.phone' },
  ])('answers $boundary with $status', async ({ change, status, path }) => {
    // Arrange
    const body = change(base() as Body);

    // Act
    const response = await postJson('/api/complaints', cast.tokens.enterprise, body);
    count('boundary values');

    // Assert
    if (status === 400) expectValidationNaming(response, [path as string]);
    else expect(response.status, response.text).toBe(status);
  });

  it.each(taskKinds)(
    'accepts a generated valid %s completion: the schema takes 200 of them, the API one',
    async (kind) => {
      // Arrange
      const valid = {
        REVIEW: validReview,
        RECTIFICATION: validRectification,
        VERIFICATION: validVerification,
        INFO: validInfo,
      }[kind];
      fc.assert(
        fc.property(valid, (body) => {
          count(`valid ${kind} bodies (schema)`);
          expect(completionBodies[kind].safeParse(body).success).toBe(true);
        }),
        runs(200),
      );
      const [body] = fc.sample(valid, { numRuns: 1, seed: 42 });

      // Act
      const response = await postJson(
        `/api/tasks/${fresh[kind].taskId}/complete`,
        cast.tokens[completer[kind]],
        body,
      );
      count(`valid ${kind} completions (API)`);

      // Assert
      expect(response.status, response.text.slice(0, 300)).toBe(200);
      expect(response.body.task).toMatchObject({ status: 'COMPLETED', kind });
    },
  );
});
