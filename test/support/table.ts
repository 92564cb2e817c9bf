/**
 * A campaign table of its own for one test file, in the run's DynamoDB Local (test/support/global-setup.ts).
 *
 * Handlers read their configuration when their module loads, so call this with top-level await first and
 * import handler modules dynamically afterwards:
 *
 *   const { documentClient, tableName } = await useTestTable();
 *   const { handler } = await import('#functions/api/complaints');
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect, inject } from 'vitest';
import { ensureCampaignTable } from '#infra/local/create-table';
import { LocalKeyAuditSeal } from '#shared/adapters/audit-seal';
import type { AuditSeal } from '#shared/domain/case-event';

export interface TestTable {
  tableName: string;
  endpoint: string;
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
}

let table: Promise<TestTable> | undefined;

/** Creates this file's table once (later calls share it) and points process.env at it. */
export function useTestTable(): Promise<TestTable> {
  table ??= createTestTable();
  return table;
}

async function createTestTable(): Promise<TestTable> {
  const endpoint = inject('dynamoEndpoint');
  if (!endpoint) {
    throw new Error('No DynamoDB Local endpoint: run tests through vitest with test/support/global-setup.ts');
  }
  const tableName = uniqueTableName();

  // What the SDK's default provider chain and shared/config.ts read in handler modules.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
  process.env.AWS_REGION = 'us-east-1';
  // DynamoDB Local accepts any static credentials; these keep real ones out of tests.
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.TABLE_NAME = tableName;
  // The audit chain's key for handlers and stores; a runtime started later puts its own key here.
  process.env.LOCAL_AUDIT_KEY ??= randomBytes(32).toString('base64');

  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureCampaignTable(client, tableName);
  // Same marshalling as shared/adapters/dynamodb/document-client.ts.
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { tableName, endpoint, client, documentClient };
}

/** The audit chain's key the handlers of this test use (an in-process runtime's, once one started). */
export const testAuditSeal = (): AuditSeal => new LocalKeyAuditSeal(process.env.LOCAL_AUDIT_KEY ?? '');

/** Named after the test file (readable when debugging) plus a random part (files run concurrently). */
function uniqueTableName(): string {
  const testPath = expect.getState().testPath;
  const file = testPath ? basename(testPath).replace(/\.test\.[cm]?[jt]s$/, '') : 'test';
  const slug = file.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 64);
  return `campaign-${slug}-${randomUUID().slice(0, 8)}`;
}
