/** Cases API: one fee case with its classification, tasks and audit trail; case search and the ledger. */

import { anchoredHeadsFor } from '#shared/adapters/anchored-heads';
import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseSearch } from '#shared/adapters/dynamodb/case-search';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoComplaintReads } from '#shared/adapters/dynamodb/complaint-reads';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { AuditAnchorsConfig, AuditKeyConfig, loadConfig, TableConfig } from '#shared/config';
import { apiHandler } from '#shared/http/api-handler';
import { caseLedger } from '#shared/read-cases/case-ledger';
import { readCase } from '#shared/read-cases/read-case';
import { searchCases } from '#shared/read-cases/search-cases';

const config = loadConfig(TableConfig, AuditKeyConfig, AuditAnchorsConfig);
// Verifies the audit trail: this function's key access is VerifyMac only, so the store never commits.
const auditSeal = auditSealFor(config);
const deps = {
  calendar: new DynamoCalendarStore(documentClient, config.TABLE_NAME),
  store: new DynamoCaseStore(documentClient, config.TABLE_NAME, auditSeal),
  reads: new DynamoComplaintReads(documentClient, config.TABLE_NAME),
  auditSeal,
  anchors: anchoredHeadsFor(config),
};
const search = { search: new DynamoCaseSearch(documentClient, config.TABLE_NAME), references: deps.reads };

export const handler = apiHandler({
  getCase: async (request) => ({
    status: 200,
    body: await readCase(deps, request.principal, request.pathParameters.id ?? ''),
  }),
  searchCases: async (request) => ({
    status: 200,
    body: await searchCases(search, request.principal, request.query, request.language),
  }),
  getCaseLedger: async (request) => {
    const ledger = await caseLedger(search, request.principal, request.query, request.language);
    return {
      status: 200,
      body: undefined,
      rawBody: ledger.csv,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="fee-case-ledger.csv"; filename*=UTF-8''${encodeURIComponent(request.language === 'zh-CN' ? '收费案件台账.csv' : 'fee-case-ledger.csv')}`,
        'content-language': request.language,
        ...(ledger.cursor ? { 'x-ledger-cursor': ledger.cursor } : {}),
      },
    };
  },
});
