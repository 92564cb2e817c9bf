import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PendingToken, TokenChange } from '#infra/local/step-functions/callbacks';
import { type LocalLambda, LocalStepFunctions } from '#infra/local/step-functions/engine';
import { WorkflowVersionMove } from '#shared/adapters/workflow-version-move';
import type { ResumeInput } from '#shared/domain/resume-point';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const substitutions = {
  ClassifyFunction: fn('classify'),
  FlakyFunction: fn('flaky'),
  FailingFunction: fn('failing'),
  NotifyFunction: fn('notify'),
};
/** A `${Key}` of the definition, replaced at load as CDK's definitionSubstitutions are. */
const placeholder = (key: keyof typeof substitutions) => `\${${key}}`;
const invoke = 'arn:aws:states:::lambda:invoke';
const callback = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const callbackCatch = [
  { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Escalate' },
  { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Attention' },
];
const notifyParameters = (kind: string) => ({
  FunctionName: placeholder('NotifyFunction'),
  Payload: {
    'caseId.$': '$.caseId',
    kind,
    'taskToken.$': '$$.Task.Token',
    'executionId.$': '$$.Execution.Id',
  },
});

/** A small workflow with both integrations, Choice, Retry and Catch (States.Timeout, a function error, States.ALL). */
const definition = JSON.stringify({
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.mode', StringEquals: 'invoke', Next: 'Classify' },
        { Variable: '$.mode', StringEquals: 'flaky', Next: 'Flaky' },
        { Variable: '$.mode', StringEquals: 'failing', Next: 'Failing' },
        { Variable: '$.mode', StringEquals: 'review', Next: 'AwaitReview' },
        { Variable: '$.mode', StringEquals: 'info', Next: 'AwaitInfo' },
      ],
      Default: 'UnknownMode',
    },
    UnknownMode: { Type: 'Fail', Error: 'UnknownMode', Cause: 'No route for this mode' },
    Classify: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: placeholder('ClassifyFunction'), Payload: { 'caseId.$': '$.caseId' } },
      ResultPath: '$.classification',
      End: true,
    },
    Flaky: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: placeholder('FlakyFunction'), Payload: { 'caseId.$': '$.caseId' } },
      ResultSelector: { 'attempts.$': '$.Payload.attempts' },
      ResultPath: '$.flaky',
      Retry: [
        {
          ErrorEquals: ['Transient'],
          IntervalSeconds: 30,
          MaxAttempts: 3,
          BackoffRate: 2,
          MaxDelaySeconds: 300,
          JitterStrategy: 'FULL',
        },
      ],
      End: true,
    },
    Failing: {
      Type: 'Task',
      Resource: invoke,
      Parameters: { FunctionName: placeholder('FailingFunction'), Payload: { 'caseId.$': '$.caseId' } },
      Catch: [
        { ErrorEquals: ['CaseNotFound'], ResultPath: '$.failure', Next: 'NotFound' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Attention' },
      ],
      End: true,
    },
    AwaitReview: {
      Type: 'Task',
      Resource: callback,
      Parameters: notifyParameters('REVIEW'),
      TimeoutSeconds: 5_184_000,
      HeartbeatSeconds: 86_400,
      ResultPath: '$.decision',
      Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 2 }],
      Catch: callbackCatch,
      Next: 'Decided',
    },
    AwaitInfo: {
      Type: 'Task',
      Resource: callback,
      Parameters: notifyParameters('INFO'),
      TimeoutSecondsPath: '$.slaSeconds',
      HeartbeatSecondsPath: '$.slaSeconds',
      ResultPath: '$.decision',
      Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 2 }],
      Catch: callbackCatch,
      Next: 'Decided',
    },
    Decided: { Type: 'Succeed' },
    NotFound: { Type: 'Pass', Result: 'not-found', ResultPath: '$.outcome', End: true },
    Escalate: { Type: 'Pass', Result: 'escalated', ResultPath: '$.outcome', End: true },
    Attention: { Type: 'Pass', Result: 'attention', ResultPath: '$.outcome', End: true },
  },
});

class CaseNotFound extends Error {
  override name = 'CaseNotFound';
}

interface Notification {
  event: { caseId: string; kind: string; taskToken: string; executionId: string };
  context: Context;
}

/** What the engine answers, as the runtime's own per-process credentials. */
const credentials = {
  accessKeyId: 'LKIAENGINETEST000001',
  secretAccessKey: randomBytes(30).toString('base64'),
};

/** The engine's HTTP face alone on a loopback port; other paths are 404. */
const serve = async (engine: LocalStepFunctions): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    void engine.handle(req, res).then((handled) => {
      if (handled) return;
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
};
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const notifications: Notification[] = [];
const flakyAttempts = new Map<string, number>();
let sfn: SFNClient;

const lambdas = new Map<string, LocalLambda>([
  [fn('classify'), async (event) => ({ caseId: (event as { caseId: string }).caseId, verdict: 'UNLAWFUL' })],
  [
    fn('flaky'),
    async (event) => {
      const { caseId } = event as { caseId: string };
      const attempts = (flakyAttempts.get(caseId) ?? 0) + 1;
      flakyAttempts.set(caseId, attempts);
      if (attempts < 3) throw Object.assign(new Error('try again'), { name: 'Transient' });
      return { attempts };
    },
  ],
  [
    fn('failing'),
    async (event) => {
      const { caseId } = event as { caseId: string };
      if (caseId.startsWith('missing')) throw new CaseNotFound(`No case ${caseId}`);
      throw new TypeError('Cannot read properties of undefined');
    },
  ],
  [
    fn('notify'),
    async (event, context) => {
      const notification = { event: event as Notification['event'], context };
      notifications.push(notification);
      // Completes its own task while it runs, through the endpoint, as an automatic step would.
      if (notification.event.caseId.startsWith('self')) {
        await sfn.send(
          new SendTaskSuccessCommand({
            taskToken: notification.event.taskToken,
            output: '{"verdict":"AUTO"}',
          }),
        );
      }
      return { notified: true };
    },
  ],
]);

const waitFor = async <T>(find: () => T | undefined, timeoutMs = 5000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('Timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const notificationFor = (caseId: string) =>
  waitFor(() => notifications.find((n) => n.event.caseId === caseId));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local Step Functions behind the real SFN client', () => {
  let engine: LocalStepFunctions;
  let server: Server;
  let stateMachineArn: string;
  let url: string;
  /** A client of the engine, signed with its credentials; each test that adds middleware takes its own. */
  const engineClient = () =>
    new SFNClient({ endpoint: `${url}/local/sfn`, region: 'us-east-1', credentials, maxAttempts: 1 });

  beforeAll(async () => {
    engine = new LocalStepFunctions({ lambdas, retryIntervalOverrides: { Flaky: 5 }, credentials });
    stateMachineArn = engine.createStateMachine('fee-case-test', definition, substitutions);
    ({ server, url } = await serve(engine));
    sfn = engineClient();
  });

  afterAll(async () => {
    await engine.stop();
    sfn.destroy();
    await close(server);
  });

  const start = async (name: string, input: Record<string, unknown>) =>
    sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
  const describeExecution = (executionArn: string) =>
    sfn.send(new DescribeExecutionCommand({ executionArn }));
  const outputOf = async (executionArn: string) =>
    JSON.parse((await describeExecution(executionArn)).output ?? 'null') as Record<string, unknown>;

  it('returns the Lambda result as the lambda:invoke integration does, and logs every state', async () => {
    // Arrange / Act
    const { executionArn, startDate } = await start('invoke-1', { mode: 'invoke', caseId: 'case-1' });
    const status = await engine.whenSettled(executionArn as string);

    // Assert
    expect(status).toBe('SUCCEEDED');
    expect(startDate).toBeInstanceOf(Date);
    const description = await describeExecution(executionArn as string);
    expect(description).toMatchObject({ status: 'SUCCEEDED', name: 'invoke-1', stateMachineArn });
    expect(description.stopDate).toBeInstanceOf(Date);
    expect(JSON.parse(description.output ?? '')).toEqual({
      mode: 'invoke',
      caseId: 'case-1',
      classification: {
        ExecutedVersion: '$LATEST',
        Payload: { caseId: 'case-1', verdict: 'UNLAWFUL' },
        StatusCode: 200,
        SdkHttpMetadata: {},
        SdkResponseMetadata: {},
      },
    });
    const events = engine.events(executionArn as string);
    expect(events.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'StateEntered',
      'StateExited',
      'StateEntered',
      'StateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[3]).toMatchObject({
      state: { name: 'Classify', input: { mode: 'invoke', caseId: 'case-1' } },
    });
  });

  it('retries a failing function by its error name, with the overridden interval', async () => {
    // Arrange
    const before = engine.counters(stateMachineArn);

    // Act
    const { executionArn } = await start('flaky-1', { mode: 'flaky', caseId: 'flaky-1' });

    // Assert
    expect(await engine.whenSettled(executionArn as string)).toBe('SUCCEEDED');
    expect(await outputOf(executionArn as string)).toMatchObject({ flaky: { attempts: 3 } });
    expect(
      engine.events(executionArn as string).filter((event) => event.type === 'StateRetried'),
    ).toHaveLength(2);
    const after = engine.counters(stateMachineArn);
    expect(after.lambdaInvocations - before.lambdaInvocations).toBe(3);
    expect(after.stateTransitions - before.stateTransitions).toBe(2);
  });

  it.each([
    ['missing-1', 'CaseNotFound', 'No case missing-1', 'not-found'],
    ['broken-1', 'TypeError', 'Cannot read properties of undefined', 'attention'],
  ])('routes a function error of %s to the Catch of its name', async (caseId, error, cause, outcome) => {
    // Arrange / Act
    const { executionArn } = await start(`failing-${caseId}`, { mode: 'failing', caseId });

    // Assert
    expect(await engine.whenSettled(executionArn as string)).toBe('SUCCEEDED');
    expect(await outputOf(executionArn as string)).toMatchObject({
      failure: { Error: error, Cause: cause },
      outcome,
    });
  });

  it('fails the execution with the error of a Fail state', async () => {
    // Arrange / Act
    const { executionArn } = await start('unknown-mode', { mode: 'nothing' });

    // Assert
    expect(await engine.whenSettled(executionArn as string)).toBe('FAILED');
    expect(await describeExecution(executionArn as string)).toMatchObject({
      status: 'FAILED',
      error: 'UnknownMode',
      cause: 'No route for this mode',
    });
  });

  it('hands the task token to the function and succeeds with the output sent for it', async () => {
    // Arrange
    const { executionArn } = await start('review-ok', { mode: 'review', caseId: 'review-ok' });
    const { event, context } = await notificationFor('review-ok');

    // Act
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: event.taskToken }));
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: event.taskToken, output: '{"verdict":"UNLAWFUL"}' }),
    );

    // Assert
    expect(await engine.whenSettled(executionArn as string)).toBe('SUCCEEDED');
    expect(await outputOf(executionArn as string)).toEqual({
      mode: 'review',
      caseId: 'review-ok',
      decision: { verdict: 'UNLAWFUL' },
    });
    expect(event).toMatchObject({ kind: 'REVIEW', executionId: executionArn });
    expect(context.functionName).toBe('notify');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      sfn.send(new SendTaskHeartbeatCommand({ taskToken: event.taskToken })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('accepts a token completed by the function itself while it runs', async () => {
    // Arrange / Act
    const { executionArn } = await start('self-1', { mode: 'review', caseId: 'self-1' });

    // Assert
    expect(await engine.whenSettled(executionArn as string)).toBe('SUCCEEDED');
    expect(await outputOf(executionArn as string)).toMatchObject({ decision: { verdict: 'AUTO' } });
  });

  it('routes SendTaskFailure to the Catch, with its error and cause', async () => {
    // Arrange
    const { executionArn } = await start('review-rejected', { mode: 'review', caseId: 'review-rejected' });
    const { event } = await notificationFor('review-rejected');

    // Act
    await sfn.send(
      new SendTaskFailureCommand({
        taskToken: event.taskToken,
        error: 'RegulatorRejected',
        cause: 'Out of scope',
      }),
    );

    // Assert
    expect(await engine.whenSettled(executionArn as string)).toBe('SUCCEEDED');
    expect(await outputOf(executionArn as string)).toMatchObject({
      failure: { Error: 'RegulatorRejected', Cause: 'Out of scope' },
      outcome: 'attention',
    });
  });

  it('answers bad tokens and outputs with the API exceptions', async () => {
    // Arrange
    const { executionArn } = await start('review-bad-output', {
      mode: 'review',
      caseId: 'review-bad-output',
    });
    const { event } = await notificationFor('review-bad-output');

    // Act / Assert
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'no-such-token', output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(sfn.send(new SendTaskFailureCommand({ taskToken: '' }))).rejects.toBeInstanceOf(
      InvalidToken,
    );
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: 'not json' })),
    ).rejects.toBeInstanceOf(InvalidOutput);
    expect((await describeExecution(executionArn as string)).status).toBe('RUNNING');
    await sfn.send(new StopExecutionCommand({ executionArn }));
  });

  it('times out a callback after its TimeoutSecondsPath, into the States.Timeout Catch, without retrying', async () => {
    // Arrange / Act
    const { executionArn } = await start('info-timeout', {
      mode: 'info',
      caseId: 'info-timeout',
      slaSeconds: 1,
    });
    const { event } = await notificationFor('info-timeout');
    await sleep(300);
    const early = await describeExecution(executionArn as string);

    // Assert
    expect(early.status).toBe('RUNNING');
    expect(await engine.whenSettled(executionArn as string)).toBe('SUCCEEDED');
    expect(await outputOf(executionArn as string)).toMatchObject({
      timeout: { Error: 'States.Timeout' },
      outcome: 'escalated',
    });
    expect(notifications.filter((n) => n.event.caseId === 'info-timeout')).toHaveLength(1);
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('keeps waiting under a 60-day timeout (no timer overflow) until stopped', async () => {
    // Arrange
    const { executionArn } = await start('review-long', { mode: 'review', caseId: 'review-long' });
    const { event } = await notificationFor('review-long');

    // Act
    await sleep(250);
    const waiting = await describeExecution(executionArn as string);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: event.taskToken }));
    const { stopDate } = await sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Superseded', cause: 'Case withdrawn' }),
    );

    // Assert
    expect(waiting.status).toBe('RUNNING');
    expect(waiting.output).toBeUndefined();
    expect(stopDate).toBeInstanceOf(Date);
    expect(await engine.whenSettled(executionArn as string)).toBe('ABORTED');
    expect(await describeExecution(executionArn as string)).toMatchObject({
      status: 'ABORTED',
      error: 'Superseded',
      cause: 'Case withdrawn',
    });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('treats a duplicate start as the same execution while it runs, and refuses a different input', async () => {
    // Arrange
    const input = { mode: 'review', caseId: 'dup-1' };
    const first = await start('dup-1', input);

    // Act
    const second = await start('dup-1', input);

    // Assert
    expect(second.executionArn).toBe(first.executionArn);
    await expect(start('dup-1', { ...input, caseId: 'other' })).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    await expect(start('dup-1', input)).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    expect(notifications.filter((n) => n.event.caseId === 'dup-1')).toHaveLength(1);
  });

  it('lists executions by status and answers unknown resources with the API exceptions', async () => {
    // Arrange / Act
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    const missingMachine = stateMachineArn.replace('fee-case-test', 'nothing');

    // Assert
    expect(listed.executions?.map((execution) => execution.name)).toEqual(
      expect.arrayContaining(['review-long']),
    );
    expect(listed.executions?.every((execution) => execution.status === 'ABORTED')).toBe(true);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: missingMachine, input: '{}' })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      describeExecution(`${stateMachineArn.replace('stateMachine', 'execution')}:nope`),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(describeExecution('not-an-arn')).rejects.toBeInstanceOf(InvalidArn);
  });

  it('refuses an unsigned request before it reaches the engine', async () => {
    // Arrange
    const before = engine.listExecutions({ stateMachineArn }).executions.length;

    // Act
    const response = await fetch(`${url}/local/sfn`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.StartExecution',
      },
      body: JSON.stringify({ stateMachineArn, name: 'unsigned-1', input: '{"mode":"invoke"}' }),
    });

    // Assert
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ __type: 'InvalidSignatureException' });
    expect(engine.listExecutions({ stateMachineArn }).executions).toHaveLength(before);
  });

  it('refuses a request whose body was changed after it was signed', async () => {
    // Arrange: once signed, the mode is swapped for another of the same length
    const tampering = engineClient();
    tampering.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body: string };
        request.body = request.body.replace('\\"invoke\\"', '\\"review\\"');
        return next(args);
      },
      // Low priority in the finalize step: after the request was signed.
      { step: 'finalizeRequest', priority: 'low' },
    );

    // Act
    const started = tampering.send(
      new StartExecutionCommand({ stateMachineArn, name: 'tampered-1', input: '{"mode":"invoke"}' }),
    );

    // Assert
    await expect(started).rejects.toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
    expect(engine.listExecutions({ stateMachineArn }).executions.map((e) => e.name)).not.toContain(
      'tampered-1',
    );
  });

  it('leaves other paths to the next handler', async () => {
    // Arrange / Act
    const response = await fetch(`${url}/api/health`);

    // Assert
    expect(response.status).toBe(404);
  });

  describe('moving cases onto the deployed version (resume:aws)', () => {
    const executionArn = (name: string) =>
      `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const statusOf = async (name: string) => (await describeExecution(executionArn(name))).status;
    // The test machine routes on `mode`: a review waits on its task, so a resumed execution keeps running.
    const resumed = { mode: 'review', resumeAt: 'AwaitReview' } as ResumeInput;

    it('stops the execution it listed running before it starts the resumed one', async () => {
      // Arrange
      await start('move-listed', { mode: 'review', caseId: 'move-listed' });
      await notificationFor('move-listed');
      const move = await WorkflowVersionMove.begin(sfn, stateMachineArn);

      // Act
      await move.start('move-listed', { count: 1, input: resumed });

      // Assert
      expect(await statusOf('move-listed')).toBe('ABORTED');
      expect(JSON.parse((await describeExecution(executionArn('move-listed-r1'))).input ?? '')).toEqual({
        caseId: 'move-listed',
        ...resumed,
      });
    });

    it('stops the execution the case recorded even when it started after the listing', async () => {
      // Arrange
      const move = await WorkflowVersionMove.begin(sfn, stateMachineArn);
      await start('move-late-r1', { mode: 'review', caseId: 'move-late' });
      await notificationFor('move-late');

      // Act
      await move.start('move-late', { count: 2, input: resumed });

      // Assert
      expect(await statusOf('move-late-r1')).toBe('ABORTED');
      expect(await statusOf('move-late-r2')).toBe('RUNNING');
    });

    it('stops on a later try of a case the execution recorded before its first try', async () => {
      // Arrange: the first try (count 2) failed on its first stop; the retry comes under count 3
      const failingOnce = engineClient();
      let stops = 0;
      failingOnce.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'StopExecutionCommand' && stops++ === 0) {
            throw new Error('Rate exceeded');
          }
          return next(args);
        },
        { step: 'initialize' },
      );
      const move = await WorkflowVersionMove.begin(failingOnce, stateMachineArn);
      await start('move-retried-r1', { mode: 'review', caseId: 'move-retried' });
      await notificationFor('move-retried');
      await expect(move.start('move-retried', { count: 2, input: resumed })).rejects.toThrow('Rate exceeded');

      // Act
      await move.start('move-retried', { count: 3, input: resumed });

      // Assert
      expect(await statusOf('move-retried-r1')).toBe('ABORTED');
      expect(await statusOf('move-retried-r3')).toBe('RUNNING');
    });

    it('starts a case whose recorded execution never ran', async () => {
      // Arrange
      const move = await WorkflowVersionMove.begin(sfn, stateMachineArn);

      // Act
      await move.start('move-unstarted', { count: 3, input: resumed });

      // Assert
      expect(await statusOf('move-unstarted-r3')).toBe('RUNNING');
      await expect(describeExecution(executionArn('move-unstarted-r2'))).rejects.toBeInstanceOf(
        ExecutionDoesNotExist,
      );
    });
  });
});

describe('local Step Functions without credentials', () => {
  it('answers no client at all', async () => {
    // Arrange
    const engine = new LocalStepFunctions({ lambdas });
    const arn = engine.createStateMachine('closed', definition, substitutions);
    const { server, url } = await serve(engine);
    const client = new SFNClient({
      endpoint: `${url}/local/sfn`,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });

    // Act
    const listed = client.send(new ListExecutionsCommand({ stateMachineArn: arn }));

    // Assert
    await expect(listed).rejects.toMatchObject({ name: 'UnrecognizedClientException' });
    client.destroy();
    await close(server);
    await engine.stop();
  });
});

describe('local Step Functions timeouts', () => {
  const review = { mode: 'review', caseId: 'engine-cap' };

  it('continues a callback past the engine-level cap without invoking the function again', async () => {
    // Arrange
    const engine = new LocalStepFunctions({ lambdas, engineTaskTimeoutSeconds: 0.2 });
    const arn = engine.createStateMachine('cap', definition, substitutions);
    const { executionArn } = engine.startExecution({ stateMachineArn: arn, input: JSON.stringify(review) });
    const { event } = await notificationFor('engine-cap');

    // Act
    await sleep(700);
    const waiting = engine.describeExecution({ executionArn });
    engine.sendTaskSuccess({ taskToken: event.taskToken, output: '{"verdict":"REGULATED"}' });

    // Assert
    expect(waiting.status).toBe('RUNNING');
    expect(await engine.whenSettled(executionArn)).toBe('SUCCEEDED');
    expect(JSON.parse(engine.describeExecution({ executionArn }).output ?? '')).toMatchObject({
      decision: { verdict: 'REGULATED' },
    });
    expect(notifications.filter((n) => n.event.caseId === 'engine-cap')).toHaveLength(1);
    expect(
      engine.events(executionArn).some((e) => e.type === 'StateFailed' || e.type === 'StateRetried'),
    ).toBe(false);
    await engine.stop();
  });

  it('makes a 60-day SLA elapse quickly under a time scale', async () => {
    // Arrange
    const engine = new LocalStepFunctions({ lambdas, timeScale: 0.2 / 5_184_000 });
    const arn = engine.createStateMachine('scaled', definition, substitutions);

    // Act
    const { executionArn } = engine.startExecution({
      stateMachineArn: arn,
      input: JSON.stringify({ mode: 'review', caseId: 'scaled-sla' }),
    });

    // Assert
    expect(await engine.whenSettled(executionArn)).toBe('SUCCEEDED');
    expect(JSON.parse(engine.describeExecution({ executionArn }).output ?? '')).toMatchObject({
      outcome: 'escalated',
    });
    await engine.stop();
  });

  it('refuses, at load time, what the local engine cannot run', () => {
    // Arrange
    const engine = new LocalStepFunctions({ lambdas });
    const dynamo = JSON.stringify({
      StartAt: 'Put',
      States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } },
    });

    // Act / Assert
    expect(() => engine.createStateMachine('dynamo', dynamo, {})).toThrow(
      /state Put: Resource arn:aws:states:::dynamodb:putItem is not supported locally/,
    );
    expect(() => engine.createStateMachine('missing', definition, {})).toThrow(
      /no substitution for \$\{NotifyFunction\}/,
    );
    expect(() => engine.createStateMachine('broken', '{"StartAt": "Nowhere", "States": {}}', {})).toThrow(
      /State machine broken cannot run locally/,
    );
  });
});

describe('local Step Functions across a restart, with kept tokens', () => {
  /** An engine whose token changes are kept in `changes`, as the runtime keeps them in a file. */
  const engineKeeping = (changes: TokenChange[], pending: PendingToken[] = []) => {
    const engine = new LocalStepFunctions({
      lambdas,
      keptTokens: { pending, onChange: (change) => changes.push(change) },
    });
    return { engine, arn: engine.createStateMachine('kept', definition, substitutions) };
  };
  const pendingOf = (changes: TokenChange[]): PendingToken[] => {
    const closed = new Set(changes.flatMap((change) => ('closed' in change ? [change.closed] : [])));
    return changes.flatMap((change) =>
      'opened' in change && !closed.has(change.opened.token) ? [change.opened] : [],
    );
  };
  const tokensSentFor = (caseId: string) =>
    notifications.filter((n) => n.event.caseId === caseId).map((n) => n.event.taskToken);

  it('hands the wait of an execution started again under its name the token it had, and completes it', async () => {
    // Arrange
    const input = JSON.stringify({ mode: 'review', caseId: 'kept-1' });
    const changes: TokenChange[] = [];
    const first = engineKeeping(changes);
    first.engine.startExecution({ stateMachineArn: first.arn, name: 'kept-1', input });
    const { event } = await notificationFor('kept-1');
    await first.engine.stop();
    const second = engineKeeping([], pendingOf(changes));

    // Act
    const { executionArn } = second.engine.startExecution({
      stateMachineArn: second.arn,
      name: 'kept-1',
      input,
    });
    await waitFor(() => (tokensSentFor('kept-1').length === 2 ? true : undefined));
    second.engine.sendTaskSuccess({ taskToken: event.taskToken, output: '{"verdict":"REGULATED"}' });

    // Assert
    expect(tokensSentFor('kept-1')).toEqual([event.taskToken, event.taskToken]);
    expect(await second.engine.whenSettled(executionArn)).toBe('SUCCEEDED');
    expect(JSON.parse(second.engine.describeExecution({ executionArn }).output ?? '')).toMatchObject({
      decision: { verdict: 'REGULATED' },
    });
  });

  it('reports a token opened when its wait opens and closed when it is completed, and nothing at stop', async () => {
    // Arrange
    const changes: TokenChange[] = [];
    const { engine, arn } = engineKeeping(changes);
    const input = (caseId: string) => JSON.stringify({ mode: 'review', caseId });

    // Act
    const completed = engine.startExecution({ stateMachineArn: arn, name: 'kept-2', input: input('kept-2') });
    const done = await notificationFor('kept-2');
    engine.sendTaskSuccess({ taskToken: done.event.taskToken, output: '{}' });
    await engine.whenSettled(completed.executionArn);
    engine.startExecution({ stateMachineArn: arn, name: 'kept-3', input: input('kept-3') });
    const waiting = await notificationFor('kept-3');
    await engine.stop();

    // Assert
    expect(changes).toEqual([
      { opened: expect.objectContaining({ token: done.event.taskToken, stateName: 'AwaitReview' }) },
      { closed: done.event.taskToken },
      { opened: expect.objectContaining({ token: waiting.event.taskToken, stateName: 'AwaitReview' }) },
    ]);
  });

  it('gives a new token to a wait whose kept token is of another execution or has expired', async () => {
    // Arrange
    const input = JSON.stringify({ mode: 'review', caseId: 'kept-4' });
    const changes: TokenChange[] = [];
    const first = engineKeeping(changes);
    first.engine.startExecution({ stateMachineArn: first.arn, name: 'kept-4', input });
    const { event } = await notificationFor('kept-4');
    await first.engine.stop();
    const [kept] = pendingOf(changes);
    const second = engineKeeping([], [{ ...(kept as PendingToken), expiresAt: Date.now() - 1 }]);

    // Act
    second.engine.startExecution({ stateMachineArn: second.arn, name: 'kept-4', input });
    second.engine.startExecution({ stateMachineArn: second.arn, name: 'kept-4-other', input });
    await waitFor(() => (tokensSentFor('kept-4').length === 3 ? true : undefined));
    await second.engine.stop();

    // Assert
    expect(new Set(tokensSentFor('kept-4')).size).toBe(3);
    expect(tokensSentFor('kept-4')[0]).toBe(event.taskToken);
  });
});
