/**
 * DynamoDB Streams consumer: case and task changes become campaign counters and per-association
 * figures (with the recurrences of abolished fees), exactly once. Failed
 * records are reported as partial batch failures, so only they (and what follows them in the shard)
 * are retried; the event source mapping sends a record that keeps failing to the dead-letter queue.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { DynamoAssociationFigures } from '#shared/adapters/dynamodb/association-figures';
import { TableAssociationRegistry } from '#shared/adapters/dynamodb/association-registry';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { countedItemOf } from '#shared/adapters/dynamodb/items';
import { DynamoMetricsStore } from '#shared/adapters/dynamodb/metrics-store';
import { loadConfig, TableConfig } from '#shared/config';
import { aggregateChanges, type ItemChange } from '#shared/metrics/aggregate';
import { cloudWatchCounters } from '#shared/metrics/counters';
import { recordRepeatOffences } from '#shared/metrics/recurrences';
import { logger } from '#shared/observability/logger';
import { metrics } from '#shared/observability/metrics';

const config = loadConfig(TableConfig);
const store = new DynamoMetricsStore(documentClient, config.TABLE_NAME);
const offences = new DynamoAssociationFigures(documentClient, config.TABLE_NAME);
const registry = new TableAssociationRegistry(documentClient, config.TABLE_NAME);

type StreamImage = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

// The stream's attribute values and the SDK's are the same wire format under two type names.
const imageOf = (image: StreamImage) =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

const changeOf = (record: DynamoDBRecord): ItemChange => ({
  changeId: record.eventID ?? record.dynamodb?.SequenceNumber ?? '',
  before: countedItemOf(imageOf(record.dynamodb?.OldImage)),
  after: countedItemOf(imageOf(record.dynamodb?.NewImage)),
});

const aggregate = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const changes = event.Records.map(changeOf);
  // The error only: images may name enterprises, and they never reach the logs.
  const onFailure = (changeId: string, error: unknown) =>
    logger.error('Change not counted yet; it will be retried', { changeId, error: String(error) });
  const result = await aggregateChanges(store, changes, onFailure);
  // Both steps can be repeated, so a change either failed is retried whole.
  const failed = new Set([
    ...result.failed,
    ...(await recordRepeatOffences({ offences, registry }, changes, onFailure)),
  ]);
  metrics.addMetric('ChangesCounted', 'Count', changes.length - failed.size);
  for (const [name, counter] of Object.entries(cloudWatchCounters)) {
    const moved = result.counted[counter];
    if (moved) metrics.addMetric(name, 'Count', moved);
  }
  return {
    batchItemFailures: event.Records.filter((_record, i) => failed.has(changes[i]?.changeId ?? '')).map(
      (record) => ({
        itemIdentifier: record.dynamodb?.SequenceNumber ?? '',
      }),
    ),
  };
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(aggregate);
