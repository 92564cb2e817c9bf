/** Calendar API: the working-day calendar deadlines count by, read by anyone, extended by campaign admins. */
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { readCalendarYear, saveCalendarYear } from '#shared/calendar/calendar';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';

const config = loadConfig(TableConfig);
const store = new DynamoCalendarStore(documentClient, config.TABLE_NAME);

export const handler = apiHandler({
  getCalendarYear: async (request) => ({
    status: 200,
    body: await readCalendarYear(store, request.pathParameters),
    headers: { 'cache-control': 'public, max-age=300' },
  }),
  putCalendarYear: async (request) => ({
    status: 200,
    body: await saveCalendarYear({ store }, request.principal, request.pathParameters, request.body),
  }),
});
