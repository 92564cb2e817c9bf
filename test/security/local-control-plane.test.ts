/**
 * The local runtime's control plane as another user of the machine, or a web page the developer has
 * open, would try it: the engine endpoint answers only requests signed with the runtime's own
 * per-process credentials, every endpoint answers only to the loopback names of its port (DNS
 * rebinding), and the token endpoint takes bounded JSON only (cross-site "simple" POSTs).
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  type SFNClientConfig,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feeCaseWorkflow } from '#infra/system';
import { type Cast, type DrivenCase, driveToOpenTask, newCast } from '#test/security/support';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

const KiB = 1024;
const MiB = 1024 * KiB;
const amzJson = 'application/x-amz-json-1.0';

let harness: TestRuntime;
let cast: Cast;
let underReview: DrivenCase;

beforeAll(async () => {
  // As a developer's shell may hold it: the runtime must not pass it on to anything it signs.
  process.env.AWS_SESSION_TOKEN = 'the-developers-own-session-token';
  harness = await startTestRuntime();
  cast = await newCast(harness);
  underReview = await driveToOpenTask(harness, cast, 'REVIEW', { feeName: 'Control plane fee' });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

const stateMachineArn = () => harness.runtime.stateMachineArns[feeCaseWorkflow.name] as string;
const engine = () => harness.runtime.stepFunctions;
const executionsOf = (caseId: string) =>
  engine()
    .listExecutions({ stateMachineArn: stateMachineArn() })
    .executions.filter((execution) => execution.name.startsWith(caseId));
const stageOf = async (caseId: string) =>
  (await harness.request('GET', `/api/cases/${caseId}`, { token: cast.tokens.regulator })).body.case.stage;

const engineClient = (
  credentials: { accessKeyId: string; secretAccessKey: string },
  config: SFNClientConfig = {},
) =>
  new SFNClient({
    endpoint: `${harness.url}/local/sfn`,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    ...config,
  });
const guessedSecret = () => ({
  accessKeyId: harness.runtime.engineCredentials.accessKeyId,
  secretAccessKey: 'a secret guessed by someone else on this machine',
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request with exactly these headers (Host included), as any process on the machine can send it. */
const raw = (
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const request = httpRequest(`${harness.url}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('error', reject);
    request.end(body);
  });

const forgedStart = () =>
  JSON.stringify({
    stateMachineArn: stateMachineArn(),
    name: `${underReview.caseId}-r99`,
    input: JSON.stringify({ caseId: underReview.caseId, resumeAt: 'RecordOutcome' }),
  });

describe('the engine endpoint /local/sfn', () => {
  it('refuses an unsigned StartExecution that would record an outcome, and the case stays under review', async () => {
    // Arrange
    const stageBefore = await stageOf(underReview.caseId);

    // Act
    const response = await raw(
      'POST',
      '/local/sfn',
      { 'content-type': amzJson, 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      forgedStart(),
    );

    // Assert
    expect(response.status).toBe(403);
    expect(JSON.parse(response.text).__type).toBe('InvalidSignatureException');
    expect(executionsOf(underReview.caseId).map((execution) => execution.name)).toEqual([underReview.caseId]);
    expect(stageBefore).toBe('UNDER_REVIEW');
    expect(await stageOf(underReview.caseId)).toBe('UNDER_REVIEW');
  });

  it('refuses a StartExecution signed with the runtime key id and another secret', async () => {
    // Arrange
    const sfn = engineClient(guessedSecret());

    // Act
    const started = sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn(),
        name: `${underReview.caseId}-r98`,
        input: JSON.stringify({ caseId: underReview.caseId, resumeAt: 'RecordOutcome' }),
      }),
    );

    // Assert
    await expect(started).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    expect(executionsOf(underReview.caseId)).toHaveLength(1);
  });

  it('refuses a key id it did not issue', async () => {
    // Arrange
    const sfn = engineClient({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'anything' });

    // Act
    const listed = sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn() }));

    // Assert
    await expect(listed).rejects.toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 403 },
    });
  });

  it('refuses a StopExecution signed with another secret, and the execution keeps running', async () => {
    // Arrange
    const [running] = executionsOf(underReview.caseId);
    const sfn = engineClient(guessedSecret());

    // Act
    const stopped = sfn.send(new StopExecutionCommand({ executionArn: running?.executionArn }));

    // Assert
    await expect(stopped).rejects.toMatchObject({ name: 'InvalidSignatureException' });
    expect(running?.status).toBe('RUNNING');
    expect(engine().describeExecution({ executionArn: running?.executionArn as string }).status).toBe(
      'RUNNING',
    );
  });

  it.each([
    ['ListExecutions', () => new ListExecutionsCommand({ stateMachineArn: stateMachineArn() })],
    [
      'DescribeExecution',
      () => new DescribeExecutionCommand({ executionArn: executionsOf(underReview.caseId)[0]?.executionArn }),
    ],
  ] as const)('refuses a %s signed with another secret', async (_operation, command) => {
    // Arrange
    const sfn = engineClient(guessedSecret());

    // Act
    const answered = sfn.send(command() as never);

    // Assert
    await expect(answered).rejects.toMatchObject({ name: 'InvalidSignatureException' });
  });

  it('refuses a request signed more than five minutes ago', async () => {
    // Arrange
    const sfn = engineClient(harness.runtime.engineCredentials, { systemClockOffset: -10 * 60 * 1000 });

    // Act
    const listed = sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineArn() }));

    // Assert
    await expect(listed).rejects.toMatchObject({ name: 'InvalidSignatureException' });
  });

  it('answers a client signing with the runtime credentials, as its own handlers do', async () => {
    // Arrange
    const sfn = engineClient(harness.runtime.engineCredentials);

    // Act
    const listed = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stateMachineArn(), statusFilter: 'RUNNING' }),
    );

    // Assert
    expect(listed.executions?.map((execution) => execution.name)).toContain(underReview.caseId);
  });

  it('never hands out the credentials of the user running it', () => {
    // Arrange
    const { accessKeyId, secretAccessKey } = harness.runtime.engineCredentials;

    // Act
    const inEnvironment = [process.env.AWS_ACCESS_KEY_ID, process.env.AWS_SECRET_ACCESS_KEY];

    // Assert
    expect(inEnvironment).toEqual([accessKeyId, secretAccessKey]);
    expect(accessKeyId).not.toBe('local');
    expect(secretAccessKey.length).toBeGreaterThanOrEqual(40);
    expect(process.env.AWS_SESSION_TOKEN).toBeUndefined();
  });

  it.each([
    ['no content type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/json', { 'content-type': 'application/json' }],
  ])('refuses a body sent with %s with 415', async (_name, contentType: Record<string, string>) => {
    // Arrange
    const headers = { ...contentType, 'x-amz-target': 'AWSStepFunctions.StartExecution' };

    // Act
    const response = await raw('POST', '/local/sfn', headers, forgedStart());

    // Assert
    expect(response.status).toBe(415);
    expect(executionsOf(underReview.caseId)).toHaveLength(1);
  });

  it('refuses a body over 256 KiB with 413', async () => {
    // Arrange
    const body = `{"input":"${'x'.repeat(256 * KiB)}"}`;

    // Act
    const response = await raw(
      'POST',
      '/local/sfn',
      { 'content-type': amzJson, 'x-amz-target': 'AWSStepFunctions.StartExecution' },
      body,
    );

    // Assert
    expect(response.status).toBe(413);
  });
});

describe('every endpoint', () => {
  const endpoints = [
    { name: 'the API', method: 'GET', path: '/api/health', contentType: undefined, body: undefined },
    {
      name: 'the token issuer',
      method: 'POST',
      path: '/local/token',
      contentType: 'application/json',
      body: '{"role":"campaign-admin"}',
    },
    { name: 'the engine', method: 'POST', path: '/local/sfn', contentType: amzJson, body: '{}' },
    { name: 'the web site', method: 'GET', path: '/', contentType: undefined, body: undefined },
  ];
  const foreignHosts = [
    'evil.example:{port}',
    'evil.example',
    'localhost.evil.example:{port}',
    '127.0.0.1.nip.io:{port}',
    '127.0.0.1:1',
    'localhost',
    '0.0.0.0:{port}',
  ];
  const cases = endpoints.flatMap((endpoint) => foreignHosts.map((host) => ({ ...endpoint, host })));

  it.each(cases)('refuses $name under Host $host with 421 before reading anything', async (probe) => {
    // Arrange
    const host = probe.host.replace('{port}', String(harness.runtime.port));
    const headers: Record<string, string> = { host };
    if (probe.contentType) headers['content-type'] = probe.contentType;

    // Act
    const response = await raw(probe.method, probe.path, headers, probe.body);

    // Assert
    expect(response.status).toBe(421);
    expect(JSON.parse(response.text)).toEqual({
      error: { code: 'MISDIRECTED_REQUEST', message: expect.any(String) },
    });
    expect(JSON.parse(response.text)).not.toHaveProperty('token');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('refuses a request without a Host header with 421', async () => {
    // Arrange: HTTP/1.0, which may leave Host out (Node itself answers HTTP/1.1 without Host with 400)
    const socket = connect(harness.runtime.port, '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk.toString('utf8');
      });
      socket.on('end', () => resolve(text));
    });

    // Act
    socket.end('GET /api/health HTTP/1.0\r\n\r\n');

    // Assert
    expect((await answer).split('\r\n')[0]).toBe('HTTP/1.1 421 Misdirected Request');
  });

  it.each(['127.0.0.1:{port}', 'localhost:{port}', '[::1]:{port}', 'LocalHost:{port}'])(
    'answers under Host %s',
    async (name) => {
      // Arrange
      const host = name.replace('{port}', String(harness.runtime.port));

      // Act
      const response = await raw('GET', '/api/health', { host });

      // Assert
      expect(response.status).toBe(200);
    },
  );
});

describe('POST /local/token', () => {
  it.each([
    ['no content type', undefined],
    ['text/plain', 'text/plain'],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['multipart/form-data', 'multipart/form-data; boundary=x'],
  ])('refuses a request sent with %s (a cross-site simple POST) with 415', async (_name, contentType) => {
    // Arrange
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};

    // Act
    const response = await raw('POST', '/local/token', headers, '{"role":"campaign-admin"}');

    // Assert
    expect(response.status).toBe(415);
    expect(JSON.parse(response.text).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(JSON.parse(response.text)).not.toHaveProperty('token');
  });

  it('issues a token for application/json with a charset', async () => {
    // Arrange
    const headers = { 'content-type': 'application/json; charset=utf-8' };

    // Act
    const response = await raw('POST', '/local/token', headers, '{"role":"campaign-admin"}');

    // Assert
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text).token).toEqual(expect.any(String));
  });

  it('refuses a body over 4 KiB with 413', async () => {
    // Arrange
    const body = JSON.stringify({ role: 'campaign-admin', name: 'n'.repeat(4 * KiB) });

    // Act
    const response = await raw('POST', '/local/token', { 'content-type': 'application/json' }, body);

    // Assert
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a 64 MiB body with 413 instead of reading it', async () => {
    // Arrange
    const body = Buffer.alloc(64 * MiB, 0x20);

    // Act
    const response = await raw('POST', '/local/token', { 'content-type': 'application/json' }, body);

    // Assert
    expect(response.status).toBe(413);
  });
});
