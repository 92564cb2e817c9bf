/**
 * Typical cases for campaign admins: write, publish, withdraw, list. This function opens complainants'
 * contacts, only to screen the texts for them; the public reads typical cases through another function
 * that cannot.
 */
import { contactSealerFor } from '#shared/adapters/contact-sealer';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoTypicalCaseStore } from '#shared/adapters/dynamodb/typical-case-store';
import { ContactKeyConfig, loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { requireRole } from '#shared/http/principal';
import {
  createTypicalCase,
  listTypicalCases,
  publishTypicalCase,
  withdrawTypicalCase,
} from '#shared/typical-cases/write-typical-cases';

const config = loadConfig(TableConfig, ContactKeyConfig);
const store = new DynamoTypicalCaseStore(documentClient, config.TABLE_NAME);
const deps = {
  reads: new DynamoComplaintReads(documentClient, config.TABLE_NAME),
  sealer: contactSealerFor(config),
  store,
};

export const handler = apiHandler({
  // The same request answers the same typical case, with the same status.
  createTypicalCase: async (request) => ({
    status: 201,
    body: await createTypicalCase(deps, requireRole(request.principal, 'campaign-admin'), request.body),
  }),
  listTypicalCases: async (request) => ({ status: 200, body: await listTypicalCases(store, request.query) }),
  publishTypicalCase: async (request) => ({
    status: 200,
    body: await publishTypicalCase(
      deps,
      requireRole(request.principal, 'campaign-admin'),
      request.pathParameters.id ?? '',
    ),
  }),
  withdrawTypicalCase: async (request) => ({
    status: 200,
    body: await withdrawTypicalCase(deps, request.pathParameters.id ?? ''),
  }),
});
