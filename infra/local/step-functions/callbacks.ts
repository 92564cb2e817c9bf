/**
 * Task tokens: a `.waitForTaskToken` task waits until `SendTaskSuccess`/`SendTaskFailure` names its token,
 * its callback timeout passes, or the function itself fails. A wait that outlives the engine's capped
 * task timer is continued, not re-sent: the re-entered state adopts the pending token.
 *
 * The tokens still pending when a process ends can be kept (`KeptTokens`): in the next process, a wait
 * of an execution of the same ARN, in the same state, sent the same event, adopts its token instead of a
 * new one. The local runtime starts each open case's execution again under the name it had, so a case
 * waiting on a person keeps the token its task item records, and resuming it writes nothing. A closed
 * token (completed, failed, timed out, or its execution ended) is never handed out again.
 */
import { randomBytes } from 'node:crypto';
import { StepFunctionsError } from '#infra/local/step-functions/api-errors';
import { bytes, type JsonValue, maxPayloadBytes } from '#infra/local/step-functions/json';
import { stoppedError, TaskError, taskTimeoutError } from '#infra/local/step-functions/task-errors';
import type { ChunkedTimers } from '#infra/local/step-functions/timers';

export interface Callback {
  token: string;
  execution: CallbackOwner;
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

/** The execution a callback belongs to: it holds its pending callbacks. */
export interface CallbackOwner {
  executionArn: string;
  callbacks: Set<Callback>;
}

/** A pending wait as kept across processes. */
export interface PendingToken {
  token: string;
  executionArn: string;
  stateName: string;
  /** The event sent to the function, as JSON, with the token replaced by U+0000. */
  payloadKey: string;
  /** When the wait times out (epoch milliseconds); it is not adopted after that. */
  expiresAt: number;
}

/** A change to the pending waits, reported before the request that caused it is answered. */
export type TokenChange = { opened: PendingToken } | { closed: string };

export interface KeptTokens {
  /** The waits still pending when the previous process ended. */
  pending?: Iterable<PendingToken>;
  onChange?: (change: TokenChange) => void;
}

const adoptionKey = (executionArn: string, stateName: string, payloadKey: string) =>
  JSON.stringify([executionArn, stateName, payloadKey]);

export const mintTaskToken = () => randomBytes(96).toString('base64');

export class TaskTokens {
  private readonly callbacks = new Map<string, Callback>();
  /** Kept waits not adopted yet, by execution, state and event. */
  private readonly adoptable = new Map<string, PendingToken>();
  private onChange: (change: TokenChange) => void;

  constructor(
    private readonly timers: ChunkedTimers,
    /** The engine-level cap callback waits are continued under. */
    private readonly engineTaskTimeoutSeconds: number,
    kept: KeptTokens = {},
  ) {
    for (const wait of kept.pending ?? []) {
      this.adoptable.set(adoptionKey(wait.executionArn, wait.stateName, wait.payloadKey), wait);
    }
    this.onChange = kept.onChange ?? (() => undefined);
  }

  /**
   * Runs a `.waitForTaskToken` task of `execution`: `invoke` sends the event to its function, and the
   * task's result is the output sent with the token (`token`, or the kept one the wait adopts).
   */
  wait(
    execution: CallbackOwner,
    stateName: string,
    token: string,
    event: unknown,
    timeoutSeconds: number,
    invoke: (event: unknown) => Promise<unknown>,
  ): Promise<JsonValue> {
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
    const kept = this.adopt(execution.executionArn, stateName, payloadKey);
    // Registered before the handler runs: it may complete its own token while it runs.
    const callback = this.open(execution, stateName, kept?.token ?? token, payloadKey, timeoutSeconds, kept);
    const sent = kept ? JSON.parse(payloadKey.split('\u0000').join(kept.token)) : event;
    const invocation = invoke(sent).then(
      () => callback.promise,
      (error: unknown) => {
        if (callback.status !== 'pending') return callback.promise;
        this.close(callback);
        // A function error named like a timeout must not look like the engine's own cap, which is continued.
        throw error instanceof TaskError && error.name === 'States.Timeout'
          ? new TaskError(error.name, error.message, false)
          : error;
      },
    );
    // Whichever comes first: the function failing, or the token settling (even while the function runs).
    return Promise.race([invocation, callback.promise]);
  }

  sendTaskSuccess(request: { taskToken: string; output: string }): Record<string, never> {
    const callback = this.pending(request.taskToken);
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
    this.close(callback);
    callback.resolve(output);
    return {};
  }

  sendTaskFailure(request: { taskToken: string; error?: string; cause?: string }): Record<string, never> {
    const callback = this.pending(request.taskToken);
    const error = request.error ?? '';
    if (error.length > 256 || (request.cause ?? '').length > 32768) {
      throw new StepFunctionsError(
        'ValidationException',
        'error is limited to 256 and cause to 32768 characters',
      );
    }
    this.close(callback);
    // A failure named like a timeout must not look like the engine's own cap, which is continued.
    callback.reject(new TaskError(error, request.cause ?? '', error !== 'States.Timeout'));
    return {};
  }

  sendTaskHeartbeat(request: { taskToken: string }): Record<string, never> {
    this.pending(request.taskToken);
    return {};
  }

  /** Stops reporting changes: the process ends, and its pending waits are to be adopted by the next. */
  keepPending() {
    this.onChange = () => undefined;
  }

  /** Ends the pending tokens of an execution that has ended (the engine awaits them). */
  release(execution: CallbackOwner) {
    for (const callback of [...execution.callbacks]) {
      this.close(callback);
      callback.reject(stoppedError());
    }
  }

  /** The kept wait of this execution, state and event, once: a token serves one wait. */
  private adopt(executionArn: string, stateName: string, payloadKey: string): PendingToken | undefined {
    const key = adoptionKey(executionArn, stateName, payloadKey);
    const kept = this.adoptable.get(key);
    this.adoptable.delete(key);
    return kept && kept.expiresAt > Date.now() ? kept : undefined;
  }

  private open(
    execution: CallbackOwner,
    stateName: string,
    token: string,
    payloadKey: string,
    timeoutSeconds: number,
    /** The kept wait it continues: already reported as opened. */
    kept: PendingToken | undefined,
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
    callback.cancelTimer = this.timers.after(timeoutSeconds, true, () => {
      if (callback.status !== 'pending') return;
      this.close(callback);
      void taskTimeoutError().then(reject);
    });
    this.callbacks.set(token, callback);
    execution.callbacks.add(callback);
    if (!kept) {
      const expiresAt = this.timers.dueAt(timeoutSeconds, true);
      this.onChange({
        opened: { token, executionArn: execution.executionArn, stateName, payloadKey, expiresAt },
      });
    }
    return callback;
  }

  private close(callback: Callback) {
    callback.status = 'closed';
    callback.cancelTimer();
    callback.execution.callbacks.delete(callback);
    this.onChange({ closed: callback.token });
  }

  private pending(token: string): Callback {
    if (token.length === 0 || token.length > 2048) {
      throw new StepFunctionsError(
        'InvalidToken',
        'Invalid Token: the task token must be 1 to 2048 characters',
      );
    }
    const callback = this.callbacks.get(token);
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
}
