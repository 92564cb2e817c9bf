/** Cases API: one fee case with its classification, tasks and audit trail. */

import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { readCase } from '#shared/read-cases/read-case';

const config = loadConfig(TableConfig);
const deps = {
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME),
  reads: new DynamoComplaintReads(documentClient, config.TABLE_NAME),
};

export const handler = apiHandler({
  getCase: async (request) => ({
    status: 200,
    body: await readCase(deps, request.principal, request.pathParameters.id ?? ''),
  }),
});
