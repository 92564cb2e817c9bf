/**
 * Public progress lookup: a complaint's steps and dates for anyone holding its reference and the
 * filing enterprise's credit code. Reads the table only; never opens contact details.
 */
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { readPublicProgress } from '#shared/read-complaints/read-complaints';

const config = loadConfig(TableConfig);
const reads = new DynamoComplaintReads(documentClient, config.TABLE_NAME);

export const handler = apiHandler({
  getPublicProgress: async (request) => ({
    status: 200,
    body: await readPublicProgress(reads, request.query, request.language),
    // Progress is personal to whoever holds the pair: no shared cache may keep it.
    headers: { 'cache-control': 'no-store' },
  }),
});
