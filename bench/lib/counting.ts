/**
 * Counting what the product spends, without touching product code:
 * - DynamoDB: a middleware on the process's one document client asks every request for
 *   `ReturnConsumedCapacity: 'TOTAL'` and adds up what DynamoDB Local reports (read and write units,
 *   with the transactional doubling and the GSI writes DynamoDB applies). Requests that fail report
 *   nothing; they are counted apart.
 * - Lambda: a middy middleware appended to each function's handler times its invocations (the handler
 *   and the function's own middlewares after this one; Powertools' are outside the window).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface CapacityTotals {
  readUnits: number;
  writeUnits: number;
  requests: number;
  failedRequests: number;
  byCommand: Record<string, { requests: number; units: number }>;
}

interface ConsumedCapacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

const readCommand = /^(Get|BatchGet|Query|Scan|TransactGet)/;

export const emptyCapacity = (): CapacityTotals => ({
  readUnits: 0,
  writeUnits: 0,
  requests: 0,
  failedRequests: 0,
  byCommand: {},
});

export const installCapacityCounter = (client: DynamoDBDocumentClient) => {
  let totals = emptyCapacity();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const command = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      totals.requests += 1;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        totals.failedRequests += 1;
        throw error;
      }
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      const all = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
      let units = 0;
      for (const capacity of all) {
        const read = capacity.ReadCapacityUnits;
        const write = capacity.WriteCapacityUnits;
        if (read !== undefined || write !== undefined) {
          totals.readUnits += read ?? 0;
          totals.writeUnits += write ?? 0;
        } else if (readCommand.test(command)) totals.readUnits += capacity.CapacityUnits ?? 0;
        else totals.writeUnits += capacity.CapacityUnits ?? 0;
        units += capacity.CapacityUnits ?? (read ?? 0) + (write ?? 0);
      }
      const entry = totals.byCommand[command] ?? { requests: 0, units: 0 };
      totals.byCommand[command] = entry;
      entry.requests += 1;
      entry.units += units;
      return result;
    },
    { step: 'initialize', name: 'benchConsumedCapacity', override: true },
  );
  return {
    snapshot: (): CapacityTotals => structuredClone(totals),
    reset: () => {
      totals = emptyCapacity();
    },
  };
};

export interface InvocationTotals {
  /** Function name -> durations in milliseconds. */
  durationsMs: Record<string, number[]>;
}

interface MiddyLike {
  use(middleware: {
    before?: (request: object) => void;
    after?: (request: object) => void;
    onError?: (request: object) => void;
  }): unknown;
}

export const isMiddy = (handler: unknown): handler is MiddyLike =>
  typeof handler === 'function' && typeof (handler as Partial<MiddyLike>).use === 'function';

/** Times every invocation of the given handlers (middy instances), by function name. */
export const installInvocationTimer = (handlers: Record<string, unknown>) => {
  let durationsMs: Record<string, number[]> = {};
  const untimed: string[] = [];
  for (const [name, handler] of Object.entries(handlers)) {
    if (!isMiddy(handler)) {
      untimed.push(name);
      continue;
    }
    const started = new WeakMap<object, number>();
    const stop = (request: object) => {
      const start = started.get(request);
      if (start === undefined) return;
      started.delete(request);
      const list = durationsMs[name] ?? [];
      durationsMs[name] = list;
      list.push(performance.now() - start);
    };
    handler.use({
      before: (request) => {
        started.set(request, performance.now());
      },
      after: stop,
      onError: stop,
    });
  }
  return {
    untimed,
    snapshot: (): InvocationTotals => ({ durationsMs: structuredClone(durationsMs) }),
    reset: () => {
      durationsMs = {};
    },
  };
};
