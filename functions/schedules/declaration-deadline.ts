/**
 * The self-inspection deadline, on a daily schedule (EventBridge Scheduler on AWS, a timer locally):
 * once a year's declarations are past due, one DECLARATION task per ACTIVE association without one.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoSelfInspectionStore } from '#shared/adapters/dynamodb/self-inspection-store';
import { loadConfig, SelfInspectionConfig, TableConfig } from '#shared/config';
import { logger } from '#shared/observability/logger';
import { openMissingDeclarationTasks } from '#shared/self-inspection/missing-declarations';

const config = loadConfig(TableConfig, SelfInspectionConfig);
const store = new DynamoSelfInspectionStore(documentClient, config.TABLE_NAME);
const deps = {
  associations: store,
  declarations: store,
  tasks: store,
  calendar: new DynamoCalendarStore(documentClient, config.TABLE_NAME),
  due: config.SELF_INSPECTION_DUE,
};

const run = async () => {
  const result = await openMissingDeclarationTasks(deps, new Date());
  logger.info('Self-inspection deadline run', { ...result });
  return result;
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(run);
