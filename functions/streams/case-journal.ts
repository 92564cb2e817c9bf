/**
 * DynamoDB Streams consumer of the case journal (`shared/case-journal/journal-changes.ts`): links the
 * pending events (filings', and the opening event of every new case) into their cases' audit chains
 * and counts, starts the workflow of every new case, and keeps each fee's pointer naming its case's office. Failed records are reported as partial
 * batch failures; a record that keeps failing goes to the dead-letter queue.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { auditSealFor } from '#shared/adapters/audit-seal';
import { DynamoCaseJournal, pendingCaseEventEntity } from '#shared/adapters/dynamodb/case-journal';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { StepFunctionsFeeCaseWorkflow, sfnClient } from '#shared/adapters/step-functions';
import { applyJournalChanges, type JournalChange } from '#shared/case-journal/journal-changes';
import { AuditKeyConfig, loadConfig, TableConfig, WorkflowConfig } from '#shared/config';
import type { FeeCase } from '#shared/domain/fee-case';
import { logger } from '#shared/observability/logger';

const config = loadConfig(TableConfig, WorkflowConfig, AuditKeyConfig);
const deps = {
  journal: new DynamoCaseJournal(documentClient, config.TABLE_NAME, auditSealFor(config)),
  workflow: new StepFunctionsFeeCaseWorkflow(sfnClient, config.STATE_MACHINE_ARN),
};

type StreamImage = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

// The stream's attribute values and the SDK's are the same wire format under two type names.
const imageOf = (image: StreamImage) =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

const changeOf = (record: DynamoDBRecord): JournalChange | undefined => {
  const changeId = record.dynamodb?.SequenceNumber ?? '';
  const after = imageOf(record.dynamodb?.NewImage);
  if (!after) return undefined;
  if (after.entity === pendingCaseEventEntity && record.eventName === 'INSERT') {
    return {
      changeId,
      kind: 'pending-event',
      caseId: after.caseId as string,
      opensCase: after.type === 'CASE_OPENED',
    };
  }
  const before = imageOf(record.dynamodb?.OldImage);
  if (after.entity !== 'FeeCase' || !before || after.stage === 'CLOSED') return undefined;
  if (before.agency === after.agency && before.province === after.province) return undefined;
  const feeCase = after as FeeCase;
  return {
    changeId,
    kind: 'office-moved',
    feeCase: {
      caseId: feeCase.caseId,
      feeKey: feeCase.feeKey,
      province: feeCase.province,
      ...(feeCase.agency ? { agency: feeCase.agency } : {}),
    },
  };
};

const link = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const changes = event.Records.flatMap((record) => changeOf(record) ?? []);
  const failed = await applyJournalChanges(deps, changes, (caseId, error) =>
    // Ids and the error only: pending events may name enterprises, and they never reach the logs.
    logger.error('Case journal not applied yet; it will be retried', { caseId, error: String(error) }),
  );
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(link);
