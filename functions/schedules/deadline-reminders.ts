/**
 * The daily deadline reminders, on a schedule (EventBridge Scheduler on AWS, a timer locally): open
 * tasks due within a few working days remind their association or office, once per task and due date.
 */

import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import {
  DynamoNotificationSources,
  DynamoNotificationStore,
} from '#shared/adapters/dynamodb/notification-store';
import { loadConfig, TableConfig } from '#shared/config';
import { remindDeadlines } from '#shared/notifications/deadline-reminders';
import { logger } from '#shared/observability/logger';

const config = loadConfig(TableConfig);
const deps = {
  sources: new DynamoNotificationSources(documentClient, config.TABLE_NAME),
  store: new DynamoNotificationStore(documentClient, config.TABLE_NAME),
  calendar: new DynamoCalendarStore(documentClient, config.TABLE_NAME),
};

const remind = async () => {
  const run = await remindDeadlines(deps, new Date());
  logger.info('Deadline reminders written', { ...run });
  return run;
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(remind);
