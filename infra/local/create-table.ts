/** Creates the campaign table locally exactly as `campaignTable` in infra/system.ts describes it. */
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  KeyType,
  ProjectionType,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { campaignTable } from '#infra/system';

const ACTIVE_TIMEOUT_MS = 60_000;

/**
 * Creates the table if it is missing (stream and TTL included), or adds the indexes an existing one
 * lacks; waits until it and its indexes are ACTIVE.
 */
export async function ensureCampaignTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'existing'> {
  const { partitionKey, sortKey, globalSecondaryIndexes, stream } = campaignTable;
  const keyNames = new Set<string>([partitionKey, sortKey]);
  for (const index of globalSecondaryIndexes) keyNames.add(index.partitionKey).add(index.sortKey);
  const attributeDefinitions: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));

  let outcome: 'created' | 'existing' = 'created';
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions,
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: globalSecondaryIndexes.map(indexDefinition),
        StreamSpecification: { StreamEnabled: true, StreamViewType: stream },
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    outcome = 'existing';
  }

  await waitUntilActive(client, tableName);
  // Also on 'existing': repairs a table whose earlier creation stopped before TTL was set.
  await ensureTimeToLive(client, tableName);
  if (outcome === 'existing') await addMissingIndexes(client, tableName, attributeDefinitions);
  return outcome;
}

type IndexDescription = (typeof campaignTable.globalSecondaryIndexes)[number];

const indexDefinition = (index: IndexDescription) => ({
  IndexName: index.indexName,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: KeyType.HASH },
    { AttributeName: index.sortKey, KeyType: KeyType.RANGE },
  ],
  Projection: { ProjectionType: ProjectionType.ALL },
});

/**
 * Adds the indexes the description gained since the table was made (a data directory kept across
 * versions), one at a time as DynamoDB requires. Items written before an index existed carry no keys
 * for it until they are written again.
 */
async function addMissingIndexes(
  client: DynamoDBClient,
  tableName: string,
  attributeDefinitions: AttributeDefinition[],
): Promise<void> {
  const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of campaignTable.globalSecondaryIndexes) {
    if (present.has(index.indexName)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: attributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: indexDefinition(index) }],
      }),
    );
    await waitUntilActive(client, tableName);
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every(
      (index) => index.IndexStatus === 'ACTIVE',
    );
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Table ${tableName} is not ACTIVE after ${ACTIVE_TIMEOUT_MS} ms (${table?.TableStatus})`,
      );
    }
    await new Promise((wake) => setTimeout(wake, 200));
  }
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  const attribute = campaignTable.timeToLiveAttribute;
  const { TimeToLiveDescription: ttl } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = ttl?.TimeToLiveStatus;
  if ((status === 'ENABLED' || status === 'ENABLING') && ttl?.AttributeName === attribute) return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
}

/**
 * The campaign table in a DynamoDB Local of its own, in memory: for short bulk work (a 20,000-row
 * register) that would slow everything else sharing one.
 */
export const privateCampaignTable = async (tableName: string) => {
  const dynamo = await startDynamoDbLocal({ inMemory: true });
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureCampaignTable(client, tableName);
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return {
    tableName,
    documentClient,
    stop: async () => {
      client.destroy();
      await dynamo.stop();
    },
  };
};
