/**
 * DynamoDB Streams consumer: each new notification becomes one message on the delivery queue. Only
 * inserts count (marking a notification read changes nothing to send); a failed enqueue fails the
 * batch from that record on, and a redelivered record enqueues again, which the sender's markers absorb.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { deliveryQueueFor } from '#shared/adapters/delivery-queue';
import { notificationEntity } from '#shared/adapters/dynamodb/items';
import { notificationFromItem } from '#shared/adapters/dynamodb/notification-store';
import { DeliveryQueueConfig, loadConfig } from '#shared/config';
import { logger } from '#shared/observability/logger';
import { metrics } from '#shared/observability/metrics';

const queue = deliveryQueueFor(loadConfig(DeliveryQueueConfig));

const newNotification = (record: DynamoDBRecord) => {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return undefined;
  const item = unmarshall(image as Record<string, AttributeValue>);
  return item.entity === notificationEntity ? notificationFromItem(item) : undefined;
};

const dispatch = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  let queued = 0;
  for (const record of event.Records) {
    const notification = newNotification(record);
    if (!notification) continue;
    try {
      await queue.enqueue([notification]);
      queued += 1;
    } catch (error) {
      logger.error('Notification not queued yet; it will be retried', {
        notificationId: notification.notificationId,
        error: error instanceof Error ? error.name : 'unknown',
      });
      metrics.addMetric('NotificationsQueued', 'Count', queued);
      // Order per shard: this record and every later one are retried.
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  metrics.addMetric('NotificationsQueued', 'Count', queued);
  return { batchItemFailures: [] };
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(dispatch);
