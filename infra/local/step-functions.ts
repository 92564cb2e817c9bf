/**
 * The local Step Functions: runs the same ASL files in-process on `aws-local-stepfunctions`. The Lambda
 * optimized integrations (`lambda:invoke` and `lambda:invoke.waitForTaskToken`) call the in-process
 * handlers; task tokens, callback timeouts of any length and the execution bookkeeping are ours; and
 * `handle` answers the real `@aws-sdk/client-sfn` client (AWS JSON 1.0) under `/local/sfn`, and only
 * requests signed (SigV4) with the credentials it was given: anyone else on the machine reaches that
 * port too, and starting or stopping executions moves cases.
 *
 * Timeouts: the engine's own task timeout is one `setTimeout`, which overflows past 24.8 days, so every
 * Task runs under an engine cap of ~24 days and the real timeout is enforced here with chunked, unref'd
 * timers. `TimeoutSecondsPath` is evaluated by the engine itself against the state input (after
 * `InputPath`), as on AWS: the Parameters are wrapped so the handler receives both. A callback task that
 * outlives the engine cap (a 60-day SLA in a process that runs that long) is continued, not re-sent: an
 * injected retrier re-enters the state and the re-entry adopts the pending token.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import {
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { lambdaContext } from '#infra/local/lambda-context';
import { mediaTypeOf, readBodyUpTo } from '#infra/local/requests';
import { type SigningCredentials, signatureRefusal } from '#infra/local/signature-v4';

export type LocalLambda = (event: unknown, context: Context) => Promise<unknown>;
type JsonValue = Parameters<StateMachine['run']>[0];
/** One entry of the engine's event log: execution and state events, with full state inputs and outputs. */
export type ExecutionEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface LocalStepFunctionsOptions {
  region?: string;
  accountId?: string;
  /** In-process handlers by function ARN. */
  lambdas: ReadonlyMap<string, LocalLambda>;
  log?: (line: string) => void;
  /** For tests: milliseconds before each retry, by state name (as the engine's override). */
  retryIntervalOverrides?: Record<string, number | number[]>;
  /** For tests: milliseconds a Wait state pauses, by state name. */
  waitTimeOverrides?: Record<string, number>;
  /** Multiplies callback (SLA) and execution timeouts: 0.001 turns a 1000-second SLA into one second. */
  timeScale?: number;
  /** For tests: the engine-level cap callback waits are continued under (default ~24 days). */
  engineTaskTimeoutSeconds?: number;
  /**
   * Executions started before this process (the runtime keeps their ARNs across restarts): starting
   * one of them again is ExecutionAlreadyExists, as on AWS, where a name stays taken for 90 days.
   */
  pastExecutionArns?: Iterable<string>;
  /** Called when an execution starts, before the start is answered, so its name can be kept. */
  onExecutionStarted?: (executionArn: string) => void;
  /** The only credentials `handle` answers; without them it answers no request. */
  credentials?: SigningCredentials;
}

export type StepFunctionsErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'UnrecognizedClientException'
  | 'InvalidSignatureException'
  | 'UnsupportedMediaTypeException'
  | 'RequestEntityTooLargeException';

/** HTTP status of the errors that are not a 400. */
const statusOf: Partial<Record<StepFunctionsErrorCode, number>> = {
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  RequestEntityTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
};

/** An API error, named as the Step Functions API names it (the SDK's exception class). */
export class StepFunctionsError extends Error {
  constructor(
    readonly code: StepFunctionsErrorCode,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionCounters {
  /** State entered events, roughly what AWS bills as state transitions. */
  stateTransitions: number;
  lambdaInvocations: number;
}

const integrations = {
  'arn:aws:states:::lambda:invoke': 'invoke',
  'arn:aws:states:::lambda:invoke.waitForTaskToken': 'callback',
} as const;
type TaskKind = (typeof integrations)[keyof typeof integrations];

/** Under Node's 2^31-1 ms timer ceiling, so the engine's own task timer never overflows. */
const defaultEngineTaskTimeoutSeconds = 24 * 24 * 60 * 60;
const maxTimerChunkMs = 20 * 24 * 60 * 60 * 1000;
const maxTimerMs = 2 ** 31 - 1;
/** AWS's default TimeoutSeconds for a Task. */
const awsDefaultTaskTimeoutSeconds = 99_999_999;
/** A Lambda invocation cannot outlast Lambda's own maximum timeout. */
const lambdaMaxTimeoutSeconds = 900;
const maxPayloadBytes = 256 * 1024;
/** A request is read up to Step Functions' own payload limit, and no further. */
const maxRequestBytes = maxPayloadBytes;
/** The signing name of Step Functions in SigV4 credential scopes. */
const signingService = 'states';
const executionNamePattern = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

interface TaskSpec {
  kind: TaskKind;
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
}

interface Machine {
  arn: string;
  name: string;
  definitionText: string;
  runnable: StateMachineDefinition;
  tasks: Map<string, TaskSpec>;
  executionTimeoutSeconds?: number;
  retryIntervalOverrides: Record<string, number | number[]>;
  continuationRetriers: WeakSet<object>;
  counters: ExecutionCounters;
}

interface Callback {
  token: string;
  execution: Execution;
  stateName: string;
  payloadKey: string;
  /** performance.now() at which the engine's own (capped) task timer gives up on this wait. */
  engineDeadline: number;
  status: 'pending' | 'closed';
  promise: Promise<JsonValue>;
  resolve: (value: JsonValue) => void;
  reject: (error: Error) => void;
  cancelTimer: () => void;
}

interface Execution extends ExecutionDescription {
  machine: Machine;
  normalizedInput: string;
  events: ExecutionEvent[];
  callbacks: Set<Callback>;
  /** Minted by `$$.Task.Token` and taken by the task that reads it, so every read in one state agrees. */
  currentToken?: string;
  abort: () => void;
  cancelTimeout: () => void;
  settled: Promise<void>;
}

/** An error for the engine's Retry/Catch matching, which goes by `name` and `isRetryable`/`isCatchable`. */
class TaskError extends Error {
  constructor(
    name: string,
    message: string,
    readonly isRetryable = true,
    readonly isCatchable = true,
  ) {
    super(message);
    this.name = name;
  }
}

const stoppedError = () => new TaskError('States.Runtime', 'The execution was stopped', false, false);

type TimeoutErrorClass = new () => Error & { retryable: boolean };
let timeoutErrorClass: Promise<TimeoutErrorClass | undefined> | undefined;

/**
 * The engine tells its own `States.Timeout` from other errors with `instanceof` (`States.TaskFailed` must
 * not catch a timeout) and does not export the class: take it from a 1 ms task timeout once.
 */
const engineTimeoutErrorClass = () => {
  timeoutErrorClass ??= (async () => {
    const probe = new StateMachine(
      {
        StartAt: 'Probe',
        States: {
          Probe: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            TimeoutSeconds: 0.001,
            End: true,
          },
        },
      },
      { validationOptions: { noValidate: true } },
    );
    const run = probe.run(
      {},
      { overrides: { taskResourceLocalHandlers: { Probe: () => new Promise(() => {}) } } },
    );
    const error = await run.result.then(
      () => undefined,
      (failure: unknown) => (failure instanceof ExecutionError ? failure.cause : undefined),
    );
    return error instanceof Error && error.name === 'States.Timeout'
      ? (error.constructor as TimeoutErrorClass)
      : undefined;
  })();
  return timeoutErrorClass;
};

/** A real task timeout: caught by `States.Timeout`, never retried (the injected continuation retrier must not match it). */
const taskTimeoutError = async (): Promise<Error> => {
  const Engine = await engineTimeoutErrorClass();
  if (!Engine) return new TaskError('States.Timeout', 'States.Timeout', false);
  const error = new Engine();
  error.retryable = false;
  return error;
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const epochSeconds = (date: Date) => date.getTime() / 1000;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

const functionError = (error: unknown) => {
  const failure = error instanceof Error ? error : new Error(String(error));
  return new TaskError(failure.name, failure.message);
};

export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  private readonly lambdas: ReadonlyMap<string, LocalLambda>;
  private readonly log: (line: string) => void;
  private readonly timeScale: number;
  private readonly engineTaskTimeoutSeconds: number;
  private readonly retryIntervalOverrides: Record<string, number | number[]>;
  private readonly waitTimeOverrides: Record<string, number>;
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, Callback>();
  private readonly timers = new Set<() => void>();
  private readonly pastExecutionArns: ReadonlySet<string>;
  private readonly onExecutionStarted: (executionArn: string) => void;
  private readonly credentials: SigningCredentials | undefined;

  constructor(options: LocalStepFunctionsOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.lambdas = options.lambdas;
    this.log = options.log ?? (() => undefined);
    this.timeScale = options.timeScale ?? 1;
    this.engineTaskTimeoutSeconds = options.engineTaskTimeoutSeconds ?? defaultEngineTaskTimeoutSeconds;
    this.retryIntervalOverrides = options.retryIntervalOverrides ?? {};
    this.waitTimeOverrides = options.waitTimeOverrides ?? {};
    this.pastExecutionArns = new Set(options.pastExecutionArns ?? []);
    this.onExecutionStarted = options.onExecutionStarted ?? (() => undefined);
    this.credentials = options.credentials;
    void engineTimeoutErrorClass();
  }

  /**
   * Loads a definition: `${Key}` substitutions as CDK's `definitionSubstitutions`, then validation (once:
   * it costs ~200 ms), then the runnable form. Throws an Error naming every problem found.
   */
  createStateMachine(name: string, definitionJson: string, substitutions: Record<string, string>): string {
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const fail = (problems: string[]) =>
      new Error(`State machine ${name} cannot run locally:\n  ${problems.join('\n  ')}`);
    const missing = new Set<string>();
    const definitionText = definitionJson.replace(/\$\{([A-Za-z0-9_]+)\}/g, (placeholder, key: string) => {
      if (Object.hasOwn(substitutions, key)) return substitutions[key] as string;
      missing.add(key);
      return placeholder;
    });
    if (missing.size > 0) throw fail([...missing].map((key) => `no substitution for \${${key}}`));
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definitionText === definitionText) return arn;
      throw new StepFunctionsError('StateMachineAlreadyExists', `State machine already exists: '${arn}'`);
    }

    let definition: unknown;
    try {
      definition = JSON.parse(definitionText);
    } catch (error) {
      throw fail([`the definition is not valid JSON: ${(error as Error).message}`]);
    }
    const problems = this.check(definition);
    if (problems.length > 0) throw fail(problems);
    try {
      // asl-validator mutates what it validates.
      new StateMachine(structuredClone(definition) as StateMachineDefinition);
    } catch (error) {
      throw fail([(error as Error).message.replace(/\s+/g, ' ')]);
    }

    const machine = this.prepare(arn, name, definitionText);
    this.machines.set(arn, machine);
    return arn;
  }

  startExecution(request: { stateMachineArn: string; name?: string; input?: string }): {
    executionArn: string;
    startDate: Date;
  } {
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!executionNamePattern.test(name)) {
      throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    }
    const input = request.input ?? '{}';
    if (bytes(input) > maxPayloadBytes) {
      throw new StepFunctionsError(
        'ValidationException',
        'The input exceeds the maximum size of 262144 bytes',
      );
    }
    let value: JsonValue;
    try {
      value = JSON.parse(input) as JsonValue;
    } catch (error) {
      throw new StepFunctionsError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${(error as Error).message}'`,
      );
    }
    const normalizedInput = JSON.stringify(value);
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Standard workflows: the same name and input while running is the same start.
      if (existing.status === 'RUNNING' && existing.normalizedInput === normalizedInput) {
        return { executionArn, startDate: existing.startDate };
      }
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (this.pastExecutionArns.has(executionArn)) {
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    this.onExecutionStarted(executionArn);
    const execution = this.run(machine, executionArn, name, input, normalizedInput, value);
    return { executionArn, startDate: execution.startDate };
  }

  describeExecution(request: { executionArn: string }): ExecutionDescription {
    const execution = this.execution(request.executionArn);
    const { executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error, cause } =
      execution;
    return { executionArn, stateMachineArn, name, status, startDate, stopDate, input, output, error, cause };
  }

  stopExecution(request: { executionArn: string; error?: string; cause?: string }): { stopDate: Date } {
    const execution = this.execution(request.executionArn);
    if (execution.status === 'RUNNING') this.terminate(execution, 'ABORTED', request.error, request.cause);
    return { stopDate: execution.stopDate ?? new Date() };
  }

  listExecutions(request: { stateMachineArn: string; statusFilter?: ExecutionStatus }): {
    executions: Omit<ExecutionDescription, 'input' | 'output' | 'error' | 'cause'>[];
  } {
    const machine = this.machine(request.stateMachineArn);
    const executions = [...this.executions.values()]
      .filter((execution) => execution.machine === machine)
      .filter((execution) => !request.statusFilter || execution.status === request.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .map(({ executionArn, stateMachineArn, name, status, startDate, stopDate }) => ({
        executionArn,
        stateMachineArn,
        name,
        status,
        startDate,
        stopDate,
      }));
    return { executions };
  }

  sendTaskSuccess(request: { taskToken: string; output: string }): Record<string, never> {
    const callback = this.pendingCallback(request.taskToken);
    if (bytes(request.output) > maxPayloadBytes) {
      throw new StepFunctionsError(
        'ValidationException',
        'The output exceeds the maximum size of 262144 bytes',
      );
    }
    let output: JsonValue;
    try {
      output = JSON.parse(request.output) as JsonValue;
    } catch (error) {
      throw new StepFunctionsError('InvalidOutput', `Invalid Output: '${(error as Error).message}'`);
    }
    this.closeCallback(callback);
    callback.resolve(output);
    return {};
  }

  sendTaskFailure(request: { taskToken: string; error?: string; cause?: string }): Record<string, never> {
    const callback = this.pendingCallback(request.taskToken);
    const error = request.error ?? '';
    if (error.length > 256 || (request.cause ?? '').length > 32768) {
      throw new StepFunctionsError(
        'ValidationException',
        'error is limited to 256 and cause to 32768 characters',
      );
    }
    this.closeCallback(callback);
    // A failure named like a timeout must not look like the engine's own cap, which is continued.
    callback.reject(new TaskError(error, request.cause ?? '', error !== 'States.Timeout'));
    return {};
  }

  sendTaskHeartbeat(request: { taskToken: string }): Record<string, never> {
    this.pendingCallback(request.taskToken);
    return {};
  }

  /** The engine's event log of one execution, with the full input and output of every state. */
  events(executionArn: string): ExecutionEvent[] {
    return [...this.execution(executionArn).events];
  }

  /** Resolves when the execution has ended and its event log is complete. */
  async whenSettled(executionArn: string): Promise<ExecutionStatus> {
    const execution = this.execution(executionArn);
    await execution.settled;
    return execution.status;
  }

  /** Counters of one state machine, or of all of them. */
  counters(stateMachineArn?: string): ExecutionCounters {
    const machines = stateMachineArn ? [this.machine(stateMachineArn)] : [...this.machines.values()];
    return machines.reduce(
      (sum, { counters }) => ({
        stateTransitions: sum.stateTransitions + counters.stateTransitions,
        lambdaInvocations: sum.lambdaInvocations + counters.lambdaInvocations,
      }),
      { stateTransitions: 0, lambdaInvocations: 0 },
    );
  }

  /** Aborts every running execution (their tokens become invalid) and clears every timer. */
  async stop(): Promise<void> {
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) {
      this.terminate(execution, 'ABORTED', 'States.Runtime', 'The local runtime stopped');
    }
    for (const cancel of [...this.timers]) cancel();
    await Promise.all(running.map((execution) => execution.settled));
  }

  /**
   * Answers `POST /local/sfn` as the Step Functions API (AWS JSON 1.0); false for any other path. The
   * body is read up to 256 KiB, and nothing reaches the engine unless it is signed with our credentials.
   */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/local/sfn' && path !== '/local/sfn/') return false;
    const requestId = randomUUID();
    const reply = (status: number, body: unknown, errorType?: string) => {
      res.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': requestId,
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method !== 'POST') {
        throw new StepFunctionsError('UnknownOperationException', `${req.method} is not supported: use POST`);
      }
      if (mediaTypeOf(req) !== 'application/x-amz-json-1.0') {
        throw new StepFunctionsError('UnsupportedMediaTypeException', 'Send application/x-amz-json-1.0');
      }
      const raw = await readBodyUpTo(req, res, maxRequestBytes);
      if (raw === undefined) {
        throw new StepFunctionsError(
          'RequestEntityTooLargeException',
          `The request exceeds the maximum size of ${maxRequestBytes} bytes`,
        );
      }
      const refusal = this.credentials
        ? signatureRefusal(req, raw, this.credentials, signingService)
        : { code: 'UnrecognizedClientException' as const, message: 'This engine answers no client' };
      if (refusal) throw new StepFunctionsError(refusal.code, refusal.message);
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AWSStepFunctions.')
        ? target.slice('AWSStepFunctions.'.length)
        : '';
      reply(200, this.dispatch(operation, parseRequest(raw)));
    } catch (error) {
      if (error instanceof StepFunctionsError) {
        reply(statusOf[error.code] ?? 400, { __type: error.code, message: error.message }, error.code);
      } else {
        this.log(`step functions: ${(error as Error).stack ?? String(error)}`);
        reply(500, { __type: 'InternalFailure', message: 'Internal failure' }, 'InternalFailure');
      }
    }
    return true;
  }

  private dispatch(operation: string, body: Json): unknown {
    const text = (field: string) => {
      const value = body[field];
      if (typeof value !== 'string') {
        throw new StepFunctionsError(
          'ValidationException',
          `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
        );
      }
      return value;
    };
    const optional = (field: string) =>
      typeof body[field] === 'string' ? (body[field] as string) : undefined;
    const dates = <T extends { startDate: Date; stopDate?: Date }>(item: T) => ({
      ...item,
      startDate: epochSeconds(item.startDate),
      stopDate: item.stopDate ? epochSeconds(item.stopDate) : undefined,
    });
    switch (operation) {
      case 'StartExecution': {
        const started = this.startExecution({
          stateMachineArn: text('stateMachineArn'),
          name: optional('name'),
          input: optional('input'),
        });
        return { executionArn: started.executionArn, startDate: epochSeconds(started.startDate) };
      }
      case 'DescribeExecution': {
        const description = this.describeExecution({ executionArn: text('executionArn') });
        return {
          ...dates(description),
          inputDetails: { included: true },
          ...(description.output === undefined ? {} : { outputDetails: { included: true } }),
        };
      }
      case 'StopExecution': {
        const stopped = this.stopExecution({
          executionArn: text('executionArn'),
          error: optional('error'),
          cause: optional('cause'),
        });
        return { stopDate: epochSeconds(stopped.stopDate) };
      }
      case 'ListExecutions': {
        const statusFilter = optional('statusFilter') as ExecutionStatus | undefined;
        const listed = this.listExecutions({ stateMachineArn: text('stateMachineArn'), statusFilter });
        return { executions: listed.executions.map(dates) };
      }
      case 'SendTaskSuccess':
        return this.sendTaskSuccess({ taskToken: text('taskToken'), output: text('output') });
      case 'SendTaskFailure':
        return this.sendTaskFailure({
          taskToken: text('taskToken'),
          error: optional('error'),
          cause: optional('cause'),
        });
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat({ taskToken: text('taskToken') });
      default:
        throw new StepFunctionsError('UnknownOperationException', `Unknown operation '${operation}'`);
    }
  }

  /** What the engine would not notice (or would run differently from AWS), state by state. */
  private check(definition: unknown): string[] {
    const problems: string[] = [];
    const names = new Set<string>();
    const visit = (scope: unknown, where: string) => {
      if (!isObject(scope) || !isObject(scope.States)) {
        problems.push(`${where}: States must be an object`);
        return;
      }
      if (scope.QueryLanguage === 'JSONata') {
        problems.push(`${where}: JSONata is not supported, use JSONPath`);
      }
      for (const [name, state] of Object.entries(scope.States)) {
        if (!isObject(state)) continue;
        // Overrides are keyed by state name, so names must be unique across branches too (as AWS requires).
        if (names.has(name)) problems.push(`state ${name}: the name is used twice`);
        names.add(name);
        const at = `state ${name}`;
        if (state.QueryLanguage === 'JSONata') problems.push(`${at}: JSONata is not supported, use JSONPath`);
        for (const field of ['Assign', 'Arguments', 'Output']) {
          if (field in state) {
            problems.push(`${at}: ${field} (variables/JSONata) is ignored by the local engine`);
          }
        }
        if (state.Type === 'Wait' && typeof state.Seconds === 'number' && state.Seconds * 1000 > maxTimerMs) {
          problems.push(`${at}: a Wait longer than 24.8 days overflows the local engine's timer`);
        }
        if (state.Type === 'Task') problems.push(...this.checkTask(at, state));
        if (Array.isArray(state.Branches)) {
          for (const [i, branch] of state.Branches.entries()) visit(branch, `${at} branch ${i}`);
        }
        if (state.ItemProcessor ?? state.Iterator) {
          visit(state.ItemProcessor ?? state.Iterator, `${at} iterator`);
        }
      }
    };
    visit(definition, 'definition');
    return problems;
  }

  private checkTask(at: string, state: Json): string[] {
    const resource = String(state.Resource);
    if (!Object.hasOwn(integrations, resource)) {
      return [
        `${at}: Resource ${resource} is not supported locally (only ${Object.keys(integrations).join(', ')})`,
      ];
    }
    const parameters = state.Parameters;
    if (!isObject(parameters) || !('FunctionName' in parameters || 'FunctionName.$' in parameters)) {
      return [`${at}: Parameters must name the function (FunctionName)`];
    }
    const problems: string[] = [];
    if (typeof parameters.FunctionName === 'string' && !this.functionArn(parameters.FunctionName)) {
      problems.push(`${at}: no local handler for function ${parameters.FunctionName}`);
    }
    if ('InvocationType' in parameters && parameters.InvocationType !== 'RequestResponse') {
      problems.push(`${at}: only the RequestResponse invocation type is supported`);
    }
    if (
      integrations[resource as keyof typeof integrations] === 'callback' &&
      !JSON.stringify(parameters).includes('$$.Task.Token')
    ) {
      problems.push(`${at}: a .waitForTaskToken task must pass $$.Task.Token in its Parameters`);
    }
    return problems;
  }

  /** The definition the engine runs: our timeouts instead of its own, heartbeats dropped (AWS-only). */
  private prepare(arn: string, name: string, definitionText: string): Machine {
    const runnable = JSON.parse(definitionText) as Json;
    const machine: Machine = {
      arn,
      name,
      definitionText,
      runnable: runnable as unknown as StateMachineDefinition,
      tasks: new Map(),
      retryIntervalOverrides: { ...this.retryIntervalOverrides },
      continuationRetriers: new WeakSet(),
      counters: { stateTransitions: 0, lambdaInvocations: 0 },
    };
    if (typeof runnable.TimeoutSeconds === 'number') {
      machine.executionTimeoutSeconds = runnable.TimeoutSeconds;
    }
    delete runnable.TimeoutSeconds;
    const visit = (scope: Json) => {
      for (const [stateName, state] of Object.entries(scope.States as Record<string, Json>)) {
        if (state.Type === 'Task') this.prepareTask(machine, stateName, state);
        if (Array.isArray(state.Branches)) for (const branch of state.Branches) visit(branch as Json);
        const iterator = state.ItemProcessor ?? state.Iterator;
        if (isObject(iterator)) visit(iterator);
      }
    };
    visit(runnable);
    return machine;
  }

  private prepareTask(machine: Machine, stateName: string, state: Json) {
    const kind = integrations[state.Resource as keyof typeof integrations];
    const spec: TaskSpec = { kind };
    if (typeof state.TimeoutSeconds === 'number') spec.timeoutSeconds = state.TimeoutSeconds;
    if (typeof state.TimeoutSecondsPath === 'string') {
      spec.timeoutSecondsPath = state.TimeoutSecondsPath;
      // The engine evaluates the path against the state input, beside the Parameters, as AWS does.
      state.Parameters = { payload: state.Parameters, 'timeoutSeconds.$': state.TimeoutSecondsPath };
    }
    for (const field of ['TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath']) {
      delete state[field];
    }
    state.TimeoutSeconds = this.engineTaskTimeoutSeconds;
    if (kind === 'callback') {
      // Re-enters the state when the engine's capped timer fires; the re-entry adopts the pending token.
      const continuation = { ErrorEquals: ['States.Timeout'], IntervalSeconds: 0, MaxAttempts: 99_999_999 };
      machine.continuationRetriers.add(continuation);
      state.Retry = [continuation, ...(Array.isArray(state.Retry) ? state.Retry : [])];
      const override = machine.retryIntervalOverrides[stateName];
      if (Array.isArray(override)) machine.retryIntervalOverrides[stateName] = [0, ...override];
    }
    machine.tasks.set(stateName, spec);
  }

  private run(
    machine: Machine,
    executionArn: string,
    name: string,
    input: string,
    normalizedInput: string,
    value: JsonValue,
  ): Execution {
    const execution: Execution = {
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      input,
      machine,
      normalizedInput,
      events: [],
      callbacks: new Set(),
      abort: () => undefined,
      cancelTimeout: () => undefined,
      settled: Promise.resolve(),
    };
    this.executions.set(executionArn, execution);
    const mintToken = () => {
      execution.currentToken ??= randomBytes(96).toString('base64');
      return execution.currentToken;
    };
    const handlers = Object.fromEntries(
      [...machine.tasks].map(([stateName, spec]) => [
        stateName,
        (taskInput: JsonValue) => this.runTask(execution, stateName, spec, taskInput),
      ]),
    );
    const options: RunOptions = {
      overrides: {
        taskResourceLocalHandlers: handlers,
        waitTimeOverrides: this.waitTimeOverrides,
        retryIntervalOverrides: machine.retryIntervalOverrides,
      },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: machine.arn, Name: machine.name },
        Task: {
          get Token() {
            return mintToken();
          },
        },
      },
    };
    const run = new StateMachine(machine.runnable, { validationOptions: { noValidate: true } }).run(
      value,
      options,
    );
    execution.abort = run.abort;
    if (machine.executionTimeoutSeconds !== undefined) {
      execution.cancelTimeout = this.timer(machine.executionTimeoutSeconds, true, () =>
        this.terminate(execution, 'TIMED_OUT', 'States.Timeout', 'The execution timed out'),
      );
    }
    const collected = (async () => {
      for await (const event of run.eventLogs) this.record(execution, event);
    })();
    const finished = run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        Object.assign(execution, {
          status: 'SUCCEEDED',
          output: JSON.stringify(output ?? null),
          stopDate: new Date(),
        });
      },
      (failure: unknown) => {
        if (execution.status !== 'RUNNING') return;
        const error =
          failure instanceof ExecutionError && failure.cause instanceof Error ? failure.cause : failure;
        const { name: errorName, message } = error instanceof Error ? error : new Error(String(error));
        Object.assign(execution, {
          status: 'FAILED',
          error: errorName,
          cause: message,
          stopDate: new Date(),
        });
      },
    );
    execution.settled = Promise.all([collected, finished]).then(() => {
      this.release(execution);
      const failure = execution.error ? ` ${execution.error}: ${execution.cause ?? ''}` : '';
      this.log(`step functions: ${machine.name}/${name} ${execution.status}${failure}`);
    });
    return execution;
  }

  private record(execution: Execution, event: ExecutionEvent) {
    if (event.type === 'StateEntered') execution.machine.counters.stateTransitions++;
    if (event.type === 'StateRetried' && execution.machine.continuationRetriers.has(event.retry.retrier)) {
      // A continuation is not a failure of the task: drop it and the engine timeout that caused it.
      const failed = execution.events.findLastIndex(
        (earlier) =>
          earlier.type === 'StateFailed' &&
          earlier.state.name === event.state.name &&
          earlier.Error === 'States.Timeout',
      );
      if (failed >= 0) execution.events.splice(failed, 1);
      return;
    }
    if (event.type === 'ExecutionAborted' && execution.status === 'TIMED_OUT') {
      execution.events.push({ type: 'ExecutionTimeout', timestamp: event.timestamp });
      return;
    }
    execution.events.push(event);
  }

  private async runTask(
    execution: Execution,
    stateName: string,
    spec: TaskSpec,
    input: JsonValue,
  ): Promise<JsonValue> {
    // Synchronous up to the first await: the token minted while the engine built this state's Parameters.
    const minted = execution.currentToken;
    execution.currentToken = undefined;
    if (execution.status !== 'RUNNING') throw stoppedError();
    let parameters: unknown = input;
    let timeoutSeconds = spec.timeoutSeconds;
    if (spec.timeoutSecondsPath) {
      const wrapped = input as { payload: unknown; timeoutSeconds: unknown };
      parameters = wrapped.payload;
      if (!Number.isInteger(wrapped.timeoutSeconds) || (wrapped.timeoutSeconds as number) < 1) {
        throw new TaskError(
          'States.Runtime',
          `TimeoutSecondsPath ${spec.timeoutSecondsPath} must select a positive integer, got ${JSON.stringify(wrapped.timeoutSeconds)}`,
          false,
          false,
        );
      }
      timeoutSeconds = wrapped.timeoutSeconds as number;
    }
    const { FunctionName, Payload } = isObject(parameters) ? parameters : {};
    const functionArn = typeof FunctionName === 'string' ? this.functionArn(FunctionName) : undefined;
    if (!functionArn) {
      throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${String(FunctionName)}`);
    }
    const event: unknown = Payload === undefined ? {} : structuredClone(Payload);

    if (spec.kind === 'invoke') {
      const invokeTimeout = timeoutSeconds ?? lambdaMaxTimeoutSeconds;
      const { promise: timedOut, reject } = Promise.withResolvers<never>();
      const cancel = this.timer(invokeTimeout, false, () => void taskTimeoutError().then(reject));
      try {
        const result = await Promise.race([
          this.invoke(execution, functionArn, event, invokeTimeout),
          timedOut,
        ]);
        return {
          ExecutedVersion: '$LATEST',
          Payload: result,
          StatusCode: 200,
          SdkHttpMetadata: {},
          SdkResponseMetadata: {},
        };
      } finally {
        cancel();
      }
    }

    const token = minted ?? randomBytes(96).toString('base64');
    const payloadKey = JSON.stringify(event).split(token).join('\u0000');
    const now = performance.now();
    const slack = Math.min(60_000, this.engineTaskTimeoutSeconds * 100);
    const continued = [...execution.callbacks].find(
      (callback) =>
        callback.stateName === stateName &&
        callback.payloadKey === payloadKey &&
        now >= callback.engineDeadline - slack,
    );
    if (continued) {
      continued.engineDeadline = now + this.engineTaskTimeoutSeconds * 1000;
      return continued.promise;
    }
    // Registered before the handler runs: it may complete its own token while it runs.
    const callback = this.openCallback(
      execution,
      stateName,
      token,
      payloadKey,
      timeoutSeconds ?? awsDefaultTaskTimeoutSeconds,
    );
    const invocation = this.invoke(execution, functionArn, event, lambdaMaxTimeoutSeconds).then(
      () => callback.promise,
      (error: unknown) => {
        if (callback.status !== 'pending') return callback.promise;
        this.closeCallback(callback);
        // A function error named like a timeout must not look like the engine's own cap, which is continued.
        throw error instanceof TaskError && error.name === 'States.Timeout'
          ? new TaskError(error.name, error.message, false)
          : error;
      },
    );
    // Whichever comes first: the function failing, or the token settling (even while the function runs).
    return Promise.race([invocation, callback.promise]);
  }

  private async invoke(execution: Execution, functionArn: string, event: unknown, timeoutSeconds: number) {
    const handler = this.lambdas.get(functionArn) as LocalLambda;
    execution.machine.counters.lambdaInvocations++;
    const functionName = functionArn.split(':').at(-1) as string;
    let result: unknown;
    try {
      result = await handler(
        event,
        lambdaContext(functionName, Math.min(timeoutSeconds, lambdaMaxTimeoutSeconds)),
      );
    } catch (error) {
      throw functionError(error);
    }
    // The state sees what Lambda would return: the handler's result as JSON.
    const text = JSON.stringify(result) ?? 'null';
    if (bytes(text) > maxPayloadBytes) {
      throw new TaskError(
        'States.DataLimitExceeded',
        `The result of ${functionName} exceeds 262144 bytes`,
        false,
        false,
      );
    }
    return JSON.parse(text) as JsonValue;
  }

  private openCallback(
    execution: Execution,
    stateName: string,
    token: string,
    payloadKey: string,
    timeoutSeconds: number,
  ): Callback {
    const { promise, resolve, reject } = Promise.withResolvers<JsonValue>();
    // The engine may have moved on (stop, a failed sibling branch) before the callback settles.
    promise.catch(() => undefined);
    const callback: Callback = {
      token,
      execution,
      stateName,
      payloadKey,
      engineDeadline: performance.now() + this.engineTaskTimeoutSeconds * 1000,
      status: 'pending',
      promise,
      resolve,
      reject,
      cancelTimer: () => undefined,
    };
    callback.cancelTimer = this.timer(timeoutSeconds, true, () => {
      if (callback.status !== 'pending') return;
      this.closeCallback(callback);
      void taskTimeoutError().then(reject);
    });
    this.tokens.set(token, callback);
    execution.callbacks.add(callback);
    return callback;
  }

  private closeCallback(callback: Callback) {
    callback.status = 'closed';
    callback.cancelTimer();
    callback.execution.callbacks.delete(callback);
  }

  private pendingCallback(token: string): Callback {
    if (token.length === 0 || token.length > 2048) {
      throw new StepFunctionsError(
        'InvalidToken',
        'Invalid Token: the task token must be 1 to 2048 characters',
      );
    }
    const callback = this.tokens.get(token);
    if (!callback) {
      throw new StepFunctionsError('TaskDoesNotExist', 'Task Does Not Exist: no task has this token');
    }
    if (callback.status !== 'pending') {
      throw new StepFunctionsError(
        'TaskTimedOut',
        'Task Timed Out: the task of this token is no longer waiting',
      );
    }
    return callback;
  }

  private terminate(execution: Execution, status: ExecutionStatus, error?: string, cause?: string) {
    Object.assign(execution, { status, error, cause, stopDate: new Date() });
    execution.abort();
    this.release(execution);
  }

  /** Ends what an execution still holds: its timeout and its pending tokens (which the engine awaits). */
  private release(execution: Execution) {
    execution.cancelTimeout();
    for (const callback of [...execution.callbacks]) {
      this.closeCallback(callback);
      callback.reject(stoppedError());
    }
  }

  /**
   * Calls `fire` after `seconds` (SLAs times the time scale), in chunks of at most 20 days so long SLAs do
   * not overflow Node's timer; unref'd, so a waiting execution never keeps the process alive.
   */
  private timer(seconds: number, scaled: boolean, fire: () => void): () => void {
    const due = Date.now() + seconds * 1000 * (scaled ? this.timeScale : 1);
    let handle: NodeJS.Timeout | undefined;
    const cancel = () => {
      clearTimeout(handle);
      this.timers.delete(cancel);
    };
    const arm = () => {
      const left = due - Date.now();
      if (left <= 0) {
        cancel();
        fire();
        return;
      }
      handle = setTimeout(arm, Math.min(left, maxTimerChunkMs));
      handle.unref();
    };
    this.timers.add(cancel);
    handle = setTimeout(arm, Math.max(0, Math.min(due - Date.now(), maxTimerChunkMs)));
    handle.unref();
    return cancel;
  }

  /** The registered ARN for a FunctionName as Lambda accepts it: ARN, name, or either with `:$LATEST`. */
  private functionArn(functionName: string): string | undefined {
    const unqualified = functionName.replace(/:\$LATEST$/, '');
    const candidates = [
      functionName,
      unqualified,
      `arn:aws:lambda:${this.region}:${this.accountId}:function:${unqualified}`,
    ];
    return candidates.find((candidate) => this.lambdas.has(candidate));
  }

  private machine(stateMachineArn: string): Machine {
    if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:stateMachine:[^:]+$/.test(stateMachineArn)) {
      throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    }
    const machine = this.machines.get(stateMachineArn);
    if (!machine) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return machine;
  }

  private execution(executionArn: string): Execution {
    if (!/^arn:aws[\w-]*:states:[\w-]+:\d{12}:execution:[^:]+:[^:]+$/.test(executionArn)) {
      throw new StepFunctionsError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const execution = this.executions.get(executionArn);
    if (!execution) {
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    return execution;
  }
}

const parseRequest = (raw: Buffer): Json => {
  const text = raw.toString('utf8');
  try {
    const body: unknown = text ? JSON.parse(text) : {};
    if (isObject(body)) return body;
  } catch {
    // Answered below, as the service answers a body it cannot read.
  }
  throw new StepFunctionsError('SerializationException', 'The request body is not a JSON object');
};
