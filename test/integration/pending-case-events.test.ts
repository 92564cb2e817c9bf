/**
 * DynamoPendingCaseEvents against DynamoDB Local: an event written by a function without the audit key
 * (an official's download) waits beside its case until the case journal links and seals it.
 */
import { randomBytes } from 'node:crypto';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { associationCode, complaintBody, enterpriseCode } from '#infra/local/campaign-fixtures';
import { LocalKeyContactSealer } from '#shared/adapters/contact-sealer';
import { DynamoCalendarStore } from '#shared/adapters/dynamodb/calendar-store';
import { DynamoCaseJournal } from '#shared/adapters/dynamodb/case-journal';
import { DynamoCaseStore } from '#shared/adapters/dynamodb/case-store';
import { DynamoEvidenceUploads } from '#shared/adapters/dynamodb/evidence-uploads';
import { DynamoIntakeStore } from '#shared/adapters/dynamodb/intake-store';
import { eventFromItem } from '#shared/adapters/dynamodb/items';
import { DynamoPendingCaseEvents } from '#shared/adapters/dynamodb/pending-case-events';
import { type CaseEventDraft, verifyChain } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import { fileComplaint } from '#shared/file-complaint/file-complaint';
import { testAuditSeal, useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();
const seal = testAuditSeal();
const journal = new DynamoCaseJournal(documentClient, tableName, seal);
const reads = new DynamoCaseStore(documentClient, tableName);
const pending = new DynamoPendingCaseEvents(documentClient, tableName);

const viewed: CaseEventDraft = {
  type: 'EVIDENCE_VIEWED',
  actor: { role: 'regulator', subject: 'regulator-1' },
  data: { fileId: '00000000-0000-4000-8000-000000000001', purpose: 'COMPLAINT', party: 'ENTERPRISE' },
};

let lastAssociation = 0;
/** A case of its own, its opening linked. */
const aCase = async (): Promise<FeeCase> => {
  const enterprise = enterpriseCode('33', ++lastAssociation);
  const receipt = await fileComplaint(
    {
      store: new DynamoIntakeStore(documentClient, tableName),
      sealer: new LocalKeyContactSealer(randomBytes(32).toString('base64')),
      calendar: new DynamoCalendarStore(documentClient, tableName),
      uploads: new DynamoEvidenceUploads(documentClient, tableName),
    },
    {
      enterpriseCreditCode: enterprise,
      enterpriseId: `user-of-${enterprise}`,
      subject: `user-of-${enterprise}`,
      body: complaintBody({ associationCode: associationCode('33', 500 + lastAssociation) }),
    },
  );
  await journal.linkPending(receipt.caseId);
  return (await reads.getCase(receipt.caseId)) as FeeCase;
};

const trailOf = async (caseId: string) => {
  const { Items = [] } = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':event': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return Items.map(eventFromItem);
};

describe('DynamoPendingCaseEvents', () => {
  it('leaves the event for the journal, which links and seals it into the case’s chain', async () => {
    // Arrange
    const feeCase = await aCase();

    // Act
    const recorded = await pending.recordPending(feeCase, viewed, new Date().toISOString());
    const linked = await journal.linkPending(feeCase.caseId);

    // Assert
    const trail = await trailOf(feeCase.caseId);
    expect([recorded, linked]).toEqual(['recorded', 1]);
    expect(trail.map((event) => event.type)).toEqual(['CASE_OPENED', 'EVIDENCE_VIEWED']);
    expect(await verifyChain(trail, seal)).toMatchObject({ intact: true, events: 2 });
  });

  it('records nothing, answering moved, when the case moved to another office since it was read', async () => {
    // Arrange
    const feeCase = await aCase();
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `CASE#${feeCase.caseId}`, sk: 'CASE' },
        UpdateExpression: 'SET province = :elsewhere',
        ExpressionAttributeValues: { ':elsewhere': feeCase.province === '44' ? '11' : '44' },
      }),
    );

    // Act
    const recorded = await pending.recordPending(feeCase, viewed, new Date().toISOString());

    // Assert
    expect(recorded).toBe('moved');
    expect(await journal.linkPending(feeCase.caseId)).toBe(0);
  });
});
