/** Cases API: one fee case with its classification, tasks and audit trail. */

import { anchorLedgerFor } from '#shared/adapters/anchor-ledger';
import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { AuditAnchorsConfig, AuditKeyConfig, loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { readCase } from '#shared/read-cases/read-case';

const config = loadConfig(TableConfig, AuditKeyConfig, AuditAnchorsConfig);
// Verifies the audit trail: this function's key access is VerifyMac only, so the store never commits.
const auditSeal = auditSealFor(config);
const deps = {
  calendar: new DynamoCalendarStore(documentClient, config.TABLE_NAME),
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME, auditSeal),
  reads: new DynamoComplaintReads(documentClient, config.TABLE_NAME),
  auditSeal,
  anchors: anchorLedgerFor(config),
};

export const handler = apiHandler({
  getCase: async (request) => ({
    status: 200,
    body: await readCase(deps, request.principal, request.pathParameters.id ?? ''),
  }),
});
