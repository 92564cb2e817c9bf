/**
 * DynamoDB Local killed with SIGKILL while writers keep it busy, then started again on the same data:
 * every write it answered must be there. Intake acknowledges a filing (202) once its TransactWriteItems
 * is answered, so an answered transaction that a crash can take back is a lost complaint.
 *
 * The kill moments come from a seeded generator (DURABILITY_SEED to replay one); the seed is printed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  paginateScan,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { seededRandom } from '#test/support/seeded-random';

const seed = Number(process.env.DURABILITY_SEED ?? Date.now() % 1_000_000);
const kills = 20;
const writers = 16;
const answeredPerLife = 100;
const tableName = 'durability';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dataDir = await mkdtemp(join(tmpdir(), 'dynamodb-local-durability-'));
let instance: DynamoDbLocal | undefined;
afterAll(async () => {
  await instance?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const clientOf = (db: DynamoDbLocal) =>
  new DynamoDBClient({
    endpoint: db.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

/** A filing's shape: two new items in one transaction, each conditioned on being new. */
const transactionOf = (id: string) =>
  new TransactWriteItemsCommand({
    TransactItems: [`${id}#complaint`, `${id}#receipt`].map((pk) => ({
      Put: {
        TableName: tableName,
        Item: { pk: { S: pk }, body: { S: 'x'.repeat(500) } },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
  });

describe('DynamoDB Local killed with SIGKILL', () => {
  it('keeps every transaction it answered', { timeout: 240_000 }, async () => {
    // Arrange
    console.log(`durability seed ${seed} (DURABILITY_SEED=${seed} replays the kill moments)`);
    const killAfter = seededRandom(seed);
    const answered: string[] = [];
    let sent = 0;

    // Act
    for (let kill = 0; kill < kills; kill++) {
      instance = await startDynamoDbLocal({ dataDir });
      const client = clientOf(instance);
      if (kill === 0) {
        await client.send(
          new CreateTableCommand({
            TableName: tableName,
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
          }),
        );
      }
      let killed = false;
      const writing = Array.from({ length: writers }, async () => {
        while (!killed) {
          const id = `filing-${sent++}`;
          await client.send(transactionOf(id)).then(
            () => answered.push(id),
            () => undefined,
          );
        }
      });
      // Killed in the middle of writing: once this life has answered some (however busy the machine),
      // then at a seeded moment.
      const answeredBefore = answered.length;
      while (answered.length - answeredBefore < answeredPerLife) await sleep(10);
      await sleep(killAfter() * 1_500);
      process.kill(instance.pid, 'SIGKILL');
      killed = true;
      await Promise.all(writing);
      await instance.stop();
      client.destroy();
    }
    instance = await startDynamoDbLocal({ dataDir });
    const client = clientOf(instance);
    const stored = new Set<string>();
    for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
      for (const item of page.Items ?? []) stored.add(item.pk?.S ?? '');
    }
    client.destroy();

    // Assert
    const lost = answered.filter((id) => !stored.has(`${id}#complaint`) || !stored.has(`${id}#receipt`));
    expect(lost).toEqual([]);
  });
});
