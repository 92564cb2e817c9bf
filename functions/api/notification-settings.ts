/** Notification settings API: each signed-in user reads and replaces their own. */
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoNotificationSettingsStore } from '#shared/adapters/dynamodb/notification-delivery-store';
import { loadConfig, TableConfig } from '#shared/config';
import type { Principal } from '#shared/domain/principal';
import { apiHandler } from '#shared/http/api-handler';
import {
  getNotificationSettings,
  saveNotificationSettings,
} from '#shared/notification-settings/notification-settings';

const config = loadConfig(TableConfig);
const store = new DynamoNotificationSettingsStore(documentClient, config.TABLE_NAME);

// Every route of this function is for signed-in callers only; toApiRequest has refused the rest.
type SignedIn = Exclude<Principal, { role: 'anonymous' }>;

export const handler = apiHandler({
  getNotificationSettings: async (request) => ({
    status: 200,
    body: await getNotificationSettings(store, request.principal as SignedIn),
  }),
  putNotificationSettings: async (request) => ({
    status: 200,
    body: await saveNotificationSettings(store, request.principal as SignedIn, request.body),
  }),
});
