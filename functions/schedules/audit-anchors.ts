/**
 * Anchors the audit chains outside the table, on a schedule (EventBridge on AWS, a timer locally):
 * the heads of every chain that advanced since the last anchor, MAC'ed and chained, into the Object
 * Lock bucket (AWS) or the append-only file (local).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { anchorLedgerFor } from '#shared/adapters/anchor-ledger';
import { auditSealFor } from '#shared/adapters/audit-seal';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { DynamoUnanchoredChains } from '#shared/adapters/dynamodb/unanchored-chains';
import { anchorChainHeads } from '#shared/audit-anchors/anchor-chain-heads';
import { AuditAnchorsConfig, AuditKeyConfig, loadConfig, TableConfig } from '#shared/config';
import { logger } from '#shared/observability/logger';

const config = loadConfig(TableConfig, AuditKeyConfig, AuditAnchorsConfig);
const deps = {
  chains: new DynamoUnanchoredChains(documentClient, config.TABLE_NAME),
  ledger: anchorLedgerFor(config),
  seal: auditSealFor(config),
};

const anchor = async () => {
  const result = await anchorChainHeads(deps);
  if (result.heads > 0) logger.info('Audit chains anchored', { ...result });
  return result;
};

export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(anchor);
