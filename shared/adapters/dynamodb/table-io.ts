/**
 * The table's read and write patterns the adapters share: paged queries and scans, batch reads that
 * ask again for what DynamoDB left unprocessed, and transactions whose cancellation is either a lost
 * condition (the caller decides) or a throttle (the client hears 503).
 */
import { type CancellationReason, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { DependencyUnavailableError } from '#shared/domain/errors';

export type Item = Record<string, unknown>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Every page of a query (or, without a key condition, a scan), in order. */
export async function* pages(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput | ScanCommandInput,
): AsyncGenerator<Item[]> {
  let ExclusiveStartKey: Item | undefined;
  do {
    const request = { ...input, ExclusiveStartKey };
    const page = await callDependency('DynamoDB', () =>
      db.send(
        'KeyConditionExpression' in request && request.KeyConditionExpression
          ? new QueryCommand(request)
          : new ScanCommand(request),
      ),
    );
    yield page.Items ?? [];
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
}

/** Items a filtered read evaluates at least, so that a sparse filter does not cost a read per item. */
const filteredReadAhead = 100;
/** Reads a page may take once it holds something; while it is empty, reading goes on to the end. */
const readsPerPage = 25;

/**
 * One page of up to `limit` items of a query. A filter can leave a read short or empty, so reading
 * goes on until the page is full or the query ends (bounded once the page holds something): a page is
 * never empty while more items exist. `lastKey`, absent at the end, is where the next page starts: the
 * last read's end or, when a read brought more than the page holds, the key (`keyNames`) of the last
 * item taken.
 */
export const fullPage = async (
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
  limit: number,
  keyNames: readonly string[],
): Promise<{ items: Item[]; lastKey?: Item }> => {
  const items: Item[] = [];
  let start = input.ExclusiveStartKey;
  let reads = 0;
  do {
    const wanted = limit - items.length;
    const request = {
      ...input,
      ExclusiveStartKey: start,
      Limit: input.FilterExpression ? Math.max(wanted, filteredReadAhead) : wanted,
    };
    const page = await callDependency('DynamoDB', () => db.send(new QueryCommand(request)));
    reads += 1;
    const found = page.Items ?? [];
    items.push(...found.slice(0, wanted));
    const lastTaken = found.length > wanted ? found[wanted - 1] : undefined;
    start = lastTaken
      ? Object.fromEntries(keyNames.map((name) => [name, lastTaken[name]]))
      : page.LastEvaluatedKey;
  } while (start && items.length < limit && (items.length === 0 || reads < readsPerPage));
  return { items, ...(start ? { lastKey: start } : {}) };
};

export const allItems = async (
  db: DynamoDBDocumentClient,
  input: QueryCommandInput | ScanCommandInput,
): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const page of pages(db, input)) items.push(...page);
  return items;
};

/** All items for the keys, 100 at a time, asking again for what DynamoDB left unprocessed. */
export const batchGet = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Item[],
  consistentRead = false,
): Promise<Item[]> => {
  const items: Item[] = [];
  let pending = [...keys];
  while (pending.length > 0) {
    const request = pending.slice(0, 100);
    pending = pending.slice(100);
    const result = await callDependency('DynamoDB', () =>
      db.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: request, ConsistentRead: consistentRead } },
        }),
      ),
    );
    items.push(...(result.Responses?.[tableName] ?? []));
    pending.push(...((result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Item[]));
  }
  return items;
};

/** One request of a batch write: a put of an item, or a delete by key. */
export type BatchWriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/**
 * Every request written, 25 per BatchWriteItem, `concurrency` batches at a time; what DynamoDB left
 * unprocessed (throttling) is sent again after a growing pause, as the SDK documentation advises.
 */
export const batchWrite = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly BatchWriteRequest[],
  concurrency = 16,
): Promise<void> => {
  const batches: BatchWriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  const writeBatch = async (batch: BatchWriteRequest[]) => {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      const result = await callDependency('DynamoDB', () =>
        db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } })),
      );
      pending = (result.UnprocessedItems?.[tableName] ?? []) as BatchWriteRequest[];
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      if (batch) await writeBatch(batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
};

export type TransactionOutcome = { committed: true } | { committed: false; reasons: CancellationReason[] };

/** Writes all items or none; a cancellation by conditions is returned, a throttle is thrown as 503. */
export const transact = async (
  db: DynamoDBDocumentClient,
  items: TransactItem[],
): Promise<TransactionOutcome> => {
  try {
    await callDependency('DynamoDB', () => db.send(new TransactWriteCommand({ TransactItems: items })));
    return { committed: true };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (
      reasons.some(
        (reason) => reason.Code === 'ThrottlingError' || reason.Code === 'ProvisionedThroughputExceeded',
      )
    ) {
      throw new DependencyUnavailableError('DynamoDB is unavailable right now; please retry', {
        cause: error,
      });
    }
    return { committed: false, reasons };
  }
};
