/** Notifications API: the caller's notification centre, and marking a notification read. */
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoNotificationStore } from '#shared/adapters/dynamodb/notification-store';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { listNotifications, markNotificationRead } from '#shared/notifications/read-notifications';

const config = loadConfig(TableConfig);
const store = new DynamoNotificationStore(documentClient, config.TABLE_NAME);

export const handler = apiHandler({
  listNotifications: async (request) => ({
    status: 200,
    body: await listNotifications(store, request.principal, request.query, request.language),
  }),
  markNotificationRead: async (request) => ({
    status: 200,
    body: await markNotificationRead(
      store,
      request.principal,
      request.pathParameters.id ?? '',
      request.language,
    ),
  }),
});
