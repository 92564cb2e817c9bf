/**
 * Fault injection for the DynamoDB adapters. A spy on an adapter method runs the real method against
 * a client that fails some of its writes the way DynamoDB and the SDK do (throttling, a timeout before
 * or after the write landed, a transaction cancelled by a conflict), so the adapter's own translation
 * of those errors is what the caller meets.
 */
import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type MockInstance, vi } from 'vitest';

export const faultKinds = [
  'throttled',
  'throttled-in-transaction',
  'timeout',
  'timeout-after-write',
  'conflict',
] as const;
export type FaultKind = (typeof faultKinds)[number];

// biome-ignore lint/suspicious/noExplicitAny: commands of every shape pass through the faulty client
type AnyCommand = any;

const isWrite = (command: AnyCommand) =>
  command instanceof TransactWriteCommand ||
  command instanceof UpdateCommand ||
  command instanceof PutCommand;

const reasonsWith = (count: number, code: string, message: string) => {
  // The failing item is the last one: the case update, the fee pointer, a counter.
  return Array.from({ length: count }, (_, i) =>
    i === count - 1 ? { Code: code, Message: message } : { Code: 'None' },
  );
};

const timeoutError = () =>
  Object.assign(new Error('Connection timed out after 3000 ms'), { name: 'TimeoutError', code: 'ETIMEDOUT' });

/**
 * The error DynamoDB (or the SDK's HTTP layer) answers a write with, for this kind of fault:
 * `transactItems` is the size of a TransactWriteItems request, undefined for a single write.
 */
export const sdkFault = (kind: FaultKind, transactItems?: number): Error => {
  switch (kind) {
    case 'throttled':
      return new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded',
        $metadata: { httpStatusCode: 400 },
      });
    case 'throttled-in-transaction':
      return transactItems !== undefined
        ? new TransactionCanceledException({
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
            $metadata: { httpStatusCode: 400 },
            CancellationReasons: reasonsWith(
              transactItems,
              'ThrottlingError',
              'Throughput exceeds the capacity',
            ),
          })
        : Object.assign(new Error('Throughput exceeds the current capacity of your table'), {
            name: 'ThrottlingException',
            $metadata: { httpStatusCode: 400 },
          });
    case 'timeout':
    case 'timeout-after-write':
      return timeoutError();
    case 'conflict':
      return transactItems !== undefined
        ? new TransactionCanceledException({
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
            $metadata: { httpStatusCode: 400 },
            CancellationReasons: reasonsWith(
              transactItems,
              'TransactionConflict',
              'Transaction is ongoing for the item',
            ),
          })
        : Object.assign(new Error('Transaction is ongoing for the item'), {
            name: 'TransactionConflictException',
            $metadata: { httpStatusCode: 400 },
          });
  }
};

export interface WriteCall<Args extends unknown[]> {
  /** How many writes of this method came before this one (all of them, failed or not). */
  index: number;
  args: Args;
  command: AnyCommand;
}

export interface FaultInjector {
  /** Faults injected so far, by kind. */
  readonly injected: Record<string, number>;
  readonly total: number;
  /** Writes seen so far (injected or not). */
  readonly writes: number;
  restore(): void;
}

/**
 * Spies on `method` of an adapter prototype: each write it sends goes through `plan`, which names the
 * fault to inject (or none). The adapter must keep its client in `this.db`.
 */
export const injectWriteFaults = <T extends object, K extends keyof T & string>(
  prototype: T,
  method: K,
  plan: (call: WriteCall<T[K] extends (...args: infer A) => unknown ? A : never>) => FaultKind | undefined,
): FaultInjector => {
  const original = prototype[method] as (...args: unknown[]) => Promise<unknown>;
  const injected: Record<string, number> = {};
  let writes = 0;
  const spy = vi.spyOn(prototype, method as never) as unknown as MockInstance<
    (...args: unknown[]) => Promise<unknown>
  >;
  spy.mockImplementation(async function (
    this: { db: { send(command: AnyCommand): Promise<unknown> } },
    ...args
  ) {
    const real = this.db;
    const faulty = {
      send: async (command: AnyCommand) => {
        if (!isWrite(command)) return real.send(command);
        const kind = plan({ index: writes++, args: args as never, command });
        if (!kind) return real.send(command);
        injected[kind] = (injected[kind] ?? 0) + 1;
        if (kind === 'timeout-after-write') await real.send(command);
        throw sdkFault(
          kind,
          command instanceof TransactWriteCommand ? command.input.TransactItems?.length : undefined,
        );
      },
    };
    return original.apply(Object.assign(Object.create(this), { db: faulty }), args);
  });
  return {
    injected,
    get total() {
      return Object.values(injected).reduce((sum, n) => sum + n, 0);
    },
    get writes() {
      return writes;
    },
    restore: () => spy.mockRestore(),
  };
};

/**
 * Fails the first `n` writes of each group a write belongs to (a client's key, a case and event type)
 * with `kind`; lets every other write through, and every write `groupOf` puts in no group.
 */
export const firstWritesOfEach = <A extends unknown[]>(
  n: number,
  kind: FaultKind,
  groupOf: (call: WriteCall<A>) => string | undefined,
) => {
  const seen = new Map<string, number>();
  return (call: WriteCall<A>): FaultKind | undefined => {
    const group = groupOf(call);
    if (group === undefined) return undefined;
    const count = (seen.get(group) ?? 0) + 1;
    seen.set(group, count);
    return count <= n ? kind : undefined;
  };
};
