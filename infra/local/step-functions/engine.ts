/**
 * The local Step Functions: runs the same ASL files in-process on `aws-local-stepfunctions`. The Lambda
 * optimized integrations (`lambda:invoke` and `lambda:invoke.waitForTaskToken`) call the in-process
 * handlers; task tokens (callbacks.ts), callback timeouts of any length (timers.ts) and the execution
 * bookkeeping are ours; and `handle` answers the real `@aws-sdk/client-sfn` client (endpoint.ts).
 *
 * Timeouts: the engine's own task timeout is one `setTimeout`, which overflows past 24.8 days, so every
 * Task runs under an engine cap of ~24 days and the real timeout is enforced here with chunked, unref'd
 * timers. `TimeoutSecondsPath` is evaluated by the engine itself against the state input (after
 * `InputPath`), as on AWS: the Parameters are wrapped so the handler receives both. A callback task that
 * outlives the engine cap (a 60-day SLA in a process that runs that long) is continued, not re-sent: an
 * injected retrier re-enters the state and the re-entry adopts the pending token.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'aws-lambda';
import {
  ExecutionError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { lambdaContext } from '#infra/local/lambda-context';
import type { SigningCredentials } from '#infra/local/signature-v4';
import { StepFunctionsError } from '#infra/local/step-functions/api-errors';
import {
  type Callback,
  type KeptTokens,
  mintTaskToken,
  TaskTokens,
} from '#infra/local/step-functions/callbacks';
import { checkDefinition, integrations, type TaskKind } from '#infra/local/step-functions/definition-checks';
import { answerApiRequest } from '#infra/local/step-functions/endpoint';
import {
  bytes,
  isObject,
  type Json,
  type JsonValue,
  maxPayloadBytes,
} from '#infra/local/step-functions/json';
import {
  engineTimeoutErrorClass,
  functionError,
  stoppedError,
  TaskError,
  taskTimeoutError,
} from '#infra/local/step-functions/task-errors';
import { ChunkedTimers } from '#infra/local/step-functions/timers';

export type LocalLambda = (event: unknown, context: Context) => Promise<unknown>;
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
  /** The only credentials `handle` answers; without them it answers no request. */
  credentials?: SigningCredentials;
  /** Task tokens kept across processes (see callbacks.ts); without it a stop forgets them. */
  keptTokens?: KeptTokens;
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

/** Under Node's 2^31-1 ms timer ceiling, so the engine's own task timer never overflows. */
const defaultEngineTaskTimeoutSeconds = 24 * 24 * 60 * 60;
/** AWS's default TimeoutSeconds for a Task. */
const awsDefaultTaskTimeoutSeconds = 99_999_999;
/** A Lambda invocation cannot outlast Lambda's own maximum timeout. */
const lambdaMaxTimeoutSeconds = 900;
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

export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  private readonly lambdas: ReadonlyMap<string, LocalLambda>;
  private readonly log: (line: string) => void;
  private readonly engineTaskTimeoutSeconds: number;
  private readonly retryIntervalOverrides: Record<string, number | number[]>;
  private readonly waitTimeOverrides: Record<string, number>;
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly timers: ChunkedTimers;
  private readonly tokens: TaskTokens;
  private readonly credentials: SigningCredentials | undefined;

  constructor(options: LocalStepFunctionsOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.lambdas = options.lambdas;
    this.log = options.log ?? (() => undefined);
    this.engineTaskTimeoutSeconds = options.engineTaskTimeoutSeconds ?? defaultEngineTaskTimeoutSeconds;
    this.retryIntervalOverrides = options.retryIntervalOverrides ?? {};
    this.waitTimeOverrides = options.waitTimeOverrides ?? {};
    this.credentials = options.credentials;
    this.timers = new ChunkedTimers(options.timeScale ?? 1);
    this.tokens = new TaskTokens(this.timers, this.engineTaskTimeoutSeconds, options.keptTokens);
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
    const problems = checkDefinition(definition, (functionName) => this.functionArn(functionName));
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
    return this.tokens.sendTaskSuccess(request);
  }

  sendTaskFailure(request: { taskToken: string; error?: string; cause?: string }): Record<string, never> {
    return this.tokens.sendTaskFailure(request);
  }

  sendTaskHeartbeat(request: { taskToken: string }): Record<string, never> {
    return this.tokens.sendTaskHeartbeat(request);
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

  /**
   * Aborts every running execution (their tokens become invalid) and clears every timer. The kept
   * tokens stay pending: the next process continues those waits.
   */
  async stop(): Promise<void> {
    this.tokens.keepPending();
    const running = [...this.executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) {
      this.terminate(execution, 'ABORTED', 'States.Runtime', 'The local runtime stopped');
    }
    this.timers.cancelAll();
    await Promise.all(running.map((execution) => execution.settled));
  }

  /** Answers `POST /local/sfn` as the Step Functions API; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    return answerApiRequest(this, this.credentials, this.log, req, res);
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
      execution.currentToken ??= mintTaskToken();
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
      execution.cancelTimeout = this.timers.after(machine.executionTimeoutSeconds, true, () =>
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
      const cancel = this.timers.after(invokeTimeout, false, () => void taskTimeoutError().then(reject));
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

    return this.tokens.wait(
      execution,
      stateName,
      minted ?? mintTaskToken(),
      event,
      timeoutSeconds ?? awsDefaultTaskTimeoutSeconds,
      (sent) => this.invoke(execution, functionArn, sent, lambdaMaxTimeoutSeconds),
    );
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

  private terminate(execution: Execution, status: ExecutionStatus, error?: string, cause?: string) {
    Object.assign(execution, { status, error, cause, stopDate: new Date() });
    execution.abort();
    this.release(execution);
  }

  /** Ends what an execution still holds: its timeout and its pending tokens (which the engine awaits). */
  private release(execution: Execution) {
    execution.cancelTimeout();
    this.tokens.release(execution);
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
