/**
 * DynamoDB Streams consumer: new audit events become notifications, once per event and recipient.
 * Failed records are reported as partial batch failures, so only they (and what follows them in the
 * shard) are retried; the event source mapping sends a record that keeps failing to the dead-letter
 * queue.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { eventFromItem } from '#shared/adapters/dynamodb/items';
import {
  DynamoNotificationSources,
  DynamoNotificationStore,
} from '#shared/adapters/dynamodb/notification-store';
import { loadConfig, TableConfig } from '#shared/config';
import type { CaseEvent } from '#shared/domain/case-event';
import { notifyEvents } from '#shared/notifications/notify-events';
import { logger } from '#shared/observability/logger';
import { metrics } from '#shared/observability/metrics';

const config = loadConfig(TableConfig);
const deps = {
  sources: new DynamoNotificationSources(documentClient, config.TABLE_NAME),
  store: new DynamoNotificationStore(documentClient, config.TABLE_NAME),
};

/** A new audit event; events are never changed, so other records carry nothing to tell. */
const eventOf = (record: DynamoDBRecord): CaseEvent | undefined => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return item.entity === 'CaseEvent' ? eventFromItem(item) : undefined;
};

const notify = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const records = event.Records.flatMap((record) => {
    const caseEvent = eventOf(record);
    return caseEvent ? [{ record, caseEvent }] : [];
  });
  const result = await notifyEvents(
    deps,
    records.map(({ caseEvent }) => caseEvent),
    // The case and the event's number only: event data may name enterprises, and it never reaches the logs.
    (failed, error) =>
      logger.error('Event not notified yet; it will be retried', {
        caseId: failed.caseId,
        seq: failed.seq,
        error: String(error),
      }),
  );
  metrics.addMetric('NotificationsWritten', 'Count', result.written);
  const failed = new Set(result.failed);
  return {
    batchItemFailures: records
      .filter(({ caseEvent }) => failed.has(caseEvent))
      .map(({ record }) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' })),
  };
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(notify);
