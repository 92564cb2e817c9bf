/** The errors a task fails with, made so that the engine's Retry and Catch match them as AWS would. */
import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';

/** An error for the engine's Retry/Catch matching, which goes by `name` and `isRetryable`/`isCatchable`. */
export class TaskError extends Error {
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

export const stoppedError = () => new TaskError('States.Runtime', 'The execution was stopped', false, false);

type TimeoutErrorClass = new () => Error & { retryable: boolean };
let timeoutErrorClass: Promise<TimeoutErrorClass | undefined> | undefined;

/**
 * The engine tells its own `States.Timeout` from other errors with `instanceof` (`States.TaskFailed` must
 * not catch a timeout) and does not export the class: take it from a 1 ms task timeout once.
 */
export const engineTimeoutErrorClass = () => {
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
export const taskTimeoutError = async (): Promise<Error> => {
  const Engine = await engineTimeoutErrorClass();
  if (!Engine) return new TaskError('States.Timeout', 'States.Timeout', false);
  const error = new Engine();
  error.retryable = false;
  return error;
};

export const functionError = (error: unknown) => {
  const failure = error instanceof Error ? error : new Error(String(error));
  return new TaskError(failure.name, failure.message);
};
