/**
 * Pending case events written by those who hold no audit key (an official's download, in the evidence
 * API): beside the case, on condition that its office is still the one read, for the case journal
 * to link (case-journal.ts).
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pendingEventPut } from '#shared/adapters/dynamodb/case-journal';
import { caseKey } from '#shared/adapters/dynamodb/keys';
import { transact } from '#shared/adapters/dynamodb/table-io';
import type { CaseEventDraft } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import type { PendingCaseEvents } from '#shared/ports/cases';

export class DynamoPendingCaseEvents implements PendingCaseEvents {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordPending(feeCase: FeeCase, event: CaseEventDraft, at: string): Promise<'recorded' | 'moved'> {
    const TableName = this.tableName;
    const outcome = await transact(this.db, [
      {
        ConditionCheck: {
          TableName,
          Key: caseKey(feeCase.caseId),
          ConditionExpression: feeCase.agency
            ? 'province = :province AND agency = :agency'
            : 'province = :province AND attribute_not_exists(agency)',
          ExpressionAttributeValues: {
            ':province': feeCase.province,
            ...(feeCase.agency ? { ':agency': feeCase.agency } : {}),
          },
        },
      },
      pendingEventPut(TableName, { caseId: feeCase.caseId, id: randomUUID(), at, draft: event }),
    ]);
    return outcome.committed ? 'recorded' : 'moved';
  }
}
