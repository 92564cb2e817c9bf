/**
 * SQS consumer: delivers each queued notification by e-mail and SMS, exactly once per channel and
 * address (see shared/deliver-notifications). A message whose deliveries are not all done is reported
 * as a partial batch failure and comes back after its visibility timeout; after the queue's maximum
 * receives it moves to the dead-letter queue, whose depth alarms. Logs name notifications and
 * channels, never an address, a number or a text.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { contactSealerFor } from '#shared/adapters/contact-sealer';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import {
  DynamoDeliveryMarkers,
  DynamoRecipientDirectory,
} from '#shared/adapters/dynamodb/notification-delivery-store';
import { emailSenderFor } from '#shared/adapters/email-senders';
import { smsSenderFor } from '#shared/adapters/sms-senders';
import { ContactKeyConfig, DeliveryConfig, loadConfig, TableConfig } from '#shared/config';
import {
  DeliveryIncompleteError,
  deliverNotification,
} from '#shared/deliver-notifications/deliver-notification';
import { DeliveryMessage } from '#shared/deliver-notifications/messages';
import type { QueuedNotification } from '#shared/domain/notification';
import { logger } from '#shared/observability/logger';
import { metrics } from '#shared/observability/metrics';

const config = loadConfig(TableConfig, ContactKeyConfig, DeliveryConfig);
const deps = {
  directory: new DynamoRecipientDirectory(documentClient, config.TABLE_NAME, contactSealerFor(config)),
  markers: new DynamoDeliveryMarkers(documentClient, config.TABLE_NAME),
  email: emailSenderFor(config),
  sms: smsSenderFor(config),
};

const notificationOf = (record: SQSRecord): QueuedNotification | undefined => {
  try {
    const parsed = DeliveryMessage.safeParse(JSON.parse(record.body));
    return parsed.success ? (parsed.data.notification as QueuedNotification) : undefined;
  } catch {
    return undefined;
  }
};

const deliver = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failed: string[] = [];
  for (const record of event.Records) {
    const notification = notificationOf(record);
    if (!notification) {
      // Retrying cannot mend it; failing it moves it to the dead letters after the maximum receives.
      logger.error('Delivery message is not a notification', { messageId: record.messageId });
      failed.push(record.messageId);
      continue;
    }
    try {
      const outcome = await deliverNotification(deps, notification);
      metrics.addMetric('NotificationsDelivered', 'Count', outcome.sent.length);
      if (outcome.alreadySent.length > 0)
        metrics.addMetric('DeliveriesAlreadySent', 'Count', outcome.alreadySent.length);
    } catch (error) {
      if (error instanceof DeliveryIncompleteError && error.sent.length > 0) {
        metrics.addMetric('NotificationsDelivered', 'Count', error.sent.length);
      }
      logger.error('Notification not fully delivered; it will be retried', {
        notificationId: notification.notificationId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        // The error's name and the channels only: provider messages may quote the address.
        error:
          error instanceof DeliveryIncompleteError
            ? error.message
            : error instanceof Error
              ? error.name
              : 'unknown',
      });
      failed.push(record.messageId);
    }
  }
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(deliver);
