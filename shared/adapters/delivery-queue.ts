/**
 * The notification delivery queue: SQS on AWS, the local file queue in the local runtime. A message
 * carries one notification (parameters only, nothing that reaches a complainant).
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { callDependency } from '#shared/adapters/aws-errors';
import { LocalFileQueue } from '#shared/adapters/local-file-queue';
import type { DeliveryQueue } from '#shared/deliver-notifications/ports';
import { type Notification, queuedNotification } from '#shared/domain/notification';

/** SQS takes at most ten messages per batch. */
const sqsBatchSize = 10;

export const sqsClient = new SQSClient({});

export const deliveryMessageBody = (notification: Notification): string =>
  JSON.stringify({ notification: queuedNotification(notification) });

export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(notifications: readonly Notification[]): Promise<void> {
    for (let start = 0; start < notifications.length; start += sqsBatchSize) {
      const batch = notifications.slice(start, start + sqsBatchSize);
      const { Failed = [] } = await callDependency('SQS', () =>
        this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((notification, i) => ({
              Id: String(i),
              MessageBody: deliveryMessageBody(notification),
            })),
          }),
        ),
      );
      if (Failed.length > 0) {
        throw new Error(`SQS refused ${Failed.length} of ${batch.length} delivery messages`, {
          cause: Failed,
        });
      }
    }
  }
}

export class LocalDeliveryQueue implements DeliveryQueue {
  private readonly queue: LocalFileQueue;

  constructor(dir: string) {
    this.queue = new LocalFileQueue(dir);
  }

  async enqueue(notifications: readonly Notification[]): Promise<void> {
    for (const notification of notifications) await this.queue.send(deliveryMessageBody(notification));
  }
}

export const deliveryQueueFor = (config: {
  DELIVERY_QUEUE_URL?: string | undefined;
  LOCAL_DELIVERY_QUEUE_DIR?: string | undefined;
}): DeliveryQueue =>
  config.DELIVERY_QUEUE_URL
    ? new SqsDeliveryQueue(sqsClient, config.DELIVERY_QUEUE_URL)
    : new LocalDeliveryQueue(config.LOCAL_DELIVERY_QUEUE_DIR ?? '');
