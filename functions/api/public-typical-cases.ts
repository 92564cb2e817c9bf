/**
 * Published typical cases for anyone, as JSON and as an Atom feed. Reads the table only: it never
 * opens a contact, and what it serves was screened when it was published.
 */
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoTypicalCaseStore } from '#shared/adapters/dynamodb/typical-case-store';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import {
  listPublicTypicalCases,
  readPublicTypicalCase,
  typicalCasesFeed,
} from '#shared/typical-cases/read-typical-cases';

const config = loadConfig(TableConfig);
const store = new DynamoTypicalCaseStore(documentClient, config.TABLE_NAME);

/** Published texts change rarely; a minute of shared caching spares the table. */
const cached = { 'cache-control': 'public, max-age=60' };

export const handler = apiHandler({
  listPublicTypicalCases: async (request) => ({
    status: 200,
    body: await listPublicTypicalCases(store, request.query),
    headers: cached,
  }),
  getPublicTypicalCase: async (request) => ({
    status: 200,
    body: await readPublicTypicalCase(store, request.pathParameters.id ?? ''),
    headers: cached,
  }),
  getTypicalCasesAtom: async () => ({
    status: 200,
    body: undefined,
    rawBody: await typicalCasesFeed(store, new Date()),
    headers: { 'content-type': 'application/atom+xml; charset=utf-8', ...cached },
  }),
});
