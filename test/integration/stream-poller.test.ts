/**
 * The local stream poller as an event source mapping: same event shape, partial batch failures
 * honoured, a record that keeps failing set aside so the rest of the shard flows on.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalStreamPoller, type StreamHandler } from '#infra/local/stream-poller';
import { functions } from '#infra/system';
import { ConflictError } from '#shared/domain/errors';
import { type TestTable, useTestTable } from '#test/support/table';

let table: TestTable;
let poller: LocalStreamPoller | undefined;
const aggregator = functions.find((fn) => fn.name === 'metrics-aggregator');

beforeAll(async () => {
  table = await useTestTable();
});
afterEach(() => poller?.stop());

const put = (pk: string, entity: string, extra: Record<string, unknown> = {}) =>
  table.documentClient.send(
    new PutCommand({ TableName: table.tableName, Item: { pk, sk: 'X', entity, ...extra } }),
  );

const startPoller = async (handler: StreamHandler, maxRetries = 2) => {
  const dir = await mkdtemp(join(tmpdir(), 'poller-'));
  poller = new LocalStreamPoller({
    endpoint: table.endpoint,
    tableName: table.tableName,
    consumer: {
      name: 'test',
      function: 'metrics-aggregator',
      entities: ['FeeCase'],
      batchSize: 10,
      maxRetries,
    },
    fn: aggregator as NonNullable<typeof aggregator>,
    handler,
    checkpointFile: join(dir, 'checkpoint.json'),
    deadLetterFile: join(dir, 'dead-letters.jsonl'),
    intervalMs: 20,
  });
  await poller.start();
  return { deadLetterFile: join(dir, 'dead-letters.jsonl') };
};

const keysOf = (event: DynamoDBStreamEvent) => event.Records.map((record) => record.dynamodb?.Keys?.pk?.S);

describe('LocalStreamPoller', () => {
  it('delivers only the entities the consumer asked for, in the Lambda event shape', async () => {
    const seen: DynamoDBStreamEvent[] = [];
    await startPoller(async (event) => {
      seen.push(event);
      return { batchItemFailures: [] };
    });
    await put('A1', 'FeeCase', { facts: {} });
    await put('A2', 'Complaint');

    await poller?.drain();
    const delivered = seen.flatMap(keysOf);

    expect(delivered).toEqual(['A1']);
    expect(seen[0]?.Records[0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb' });
    expect(seen[0]?.Records[0]?.dynamodb?.NewImage?.facts).toEqual({ M: {} });
  });

  it('retries a reported failure and sets a record aside after its retries, without stalling the rest', async () => {
    const delivered: string[] = [];
    const { deadLetterFile } = await startPoller(async (event) => {
      const poison = event.Records.find((record) => record.dynamodb?.Keys?.pk?.S === 'B2');
      for (const record of event.Records) {
        if (record === poison) break;
        delivered.push(record.dynamodb?.Keys?.pk?.S ?? '');
      }
      return { batchItemFailures: poison ? [{ itemIdentifier: poison.dynamodb?.SequenceNumber ?? '' }] : [] };
    });
    await put('B1', 'FeeCase');
    await put('B2', 'FeeCase');
    await put('B3', 'FeeCase');

    await poller?.drain();
    const deadLetters = (await readFile(deadLetterFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

    expect([...new Set(delivered)].filter((key) => key.startsWith('B'))).toEqual(['B1', 'B3']);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({
      consumer: 'test',
      keys: { pk: { S: 'B2' } },
      failure: 'reported failed by the handler (see its log)',
    });
    expect(JSON.stringify(deadLetters[0])).not.toContain('NewImage');
  });

  it("records in the dead-letter entry the name of the error a handler threw on the record's last delivery, not its message", async () => {
    const { deadLetterFile } = await startPoller(async (event) => {
      // Earlier tests' records are on the table's stream too: they pass, and C1 fails at the head.
      const poison = event.Records.findIndex((record) => record.dynamodb?.Keys?.pk?.S === 'C1');
      if (poison === 0) throw new ConflictError('the case kept moving');
      const failed = event.Records[poison]?.dynamodb?.SequenceNumber;
      return { batchItemFailures: failed ? [{ itemIdentifier: failed }] : [] };
    });
    await put('C1', 'FeeCase');

    await poller?.drain();
    const [entry] = (await readFile(deadLetterFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));

    expect(entry).toMatchObject({ keys: { pk: { S: 'C1' } }, failure: 'threw ConflictError' });
  });
});
