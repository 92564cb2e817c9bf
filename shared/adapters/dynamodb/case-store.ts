/** CaseStore over the single table: every case change is one conditional transaction. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor';
import { attachmentConflict, attachmentItems } from '#shared/adapters/dynamodb/evidence-attachments';
import {
  allTasksPartition,
  associationTasksPartition,
  complaintFromItem,
  complaintOutcomeUpdate,
  enterpriseTasksPartition,
  eventItem,
  feeCaseFromItem,
  inboxPartition,
  taskFromItem,
  taskItem,
  versionedCasePut,
} from '#shared/adapters/dynamodb/items';
import {
  caseKey,
  complaintKey,
  feeKeyItemKey,
  pendingCaseEventPrefix,
  taskKey,
} from '#shared/adapters/dynamodb/keys';
import {
  allItems,
  batchGet,
  fullPage,
  type TransactItem,
  transact,
} from '#shared/adapters/dynamodb/table-io';
import { unanchoredMarkerPut } from '#shared/adapters/dynamodb/unanchored-chains';
import { type AuditSeal, chainEvent } from '#shared/domain/case-event';
import type { ComplaintOutcome } from '#shared/domain/closing-figures';
import type { FeeCase } from '#shared/domain/fee-case';
import type {
  CaseCommit,
  CaseStore,
  CommitResult,
  InboxQuery,
  StoredTask,
  TaskWrite,
} from '#shared/ports/cases';
import type { ComplaintRecord } from '#shared/ports/complaints';

/** Every complaint of a case, earliest first. */
export const complaintsOfCase = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  caseId: string,
): Promise<ComplaintRecord[]> => {
  // The audit trail names every complaint that opened or joined the case, or added information to
  // its enterprise's earlier one; a filing the case journal has not linked yet names it in its pending
  // event (`PENDING#`, sorting after `EVENT#`), so one query reads both.
  const events = await allItems(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND sk BETWEEN :event AND :pending',
    FilterExpression: '#type IN (:opened, :joined, :added)',
    ExpressionAttributeNames: { '#type': 'type' },
    ExpressionAttributeValues: {
      ':pk': caseKey(caseId).pk,
      ':event': 'EVENT#',
      ':pending': `${pendingCaseEventPrefix}~`,
      ':opened': 'CASE_OPENED',
      ':joined': 'COMPLAINT_JOINED',
      ':added': 'INFORMATION_ADDED',
    },
  });
  // A filing linked between the query's pages is named twice.
  const complaintIds = new Set(
    events.flatMap((event) => (event.data as { complaintId?: string } | undefined)?.complaintId ?? []),
  );
  const complaints = await batchGet(db, tableName, [...complaintIds].map(complaintKey));
  return complaints.map(complaintFromItem).sort((a, b) => a.filedAt.localeCompare(b.filedAt));
};

export class DynamoCaseStore implements CaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Links each new audit event: commits need the key's MAC; a store without it only reads. */
    private readonly auditSeal?: AuditSeal,
  ) {}

  private get(Key: Record<string, string>) {
    return callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
    );
  }

  async getCase(caseId: string): Promise<FeeCase | undefined> {
    const { Item } = await this.get(caseKey(caseId));
    return Item ? feeCaseFromItem(Item) : undefined;
  }

  async getTask(taskId: string): Promise<StoredTask | undefined> {
    const { Item } = await this.get(taskKey(taskId));
    return Item ? taskFromItem(Item) : undefined;
  }

  async getTasks(taskIds: readonly string[]): Promise<StoredTask[]> {
    const items = await batchGet(this.db, this.tableName, [...new Set(taskIds)].map(taskKey), true);
    return items.map(taskFromItem).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  listComplaints(caseId: string): Promise<ComplaintRecord[]> {
    return complaintsOfCase(this.db, this.tableName, caseId);
  }

  async commit(change: CaseCommit): Promise<CommitResult> {
    const { before, event: draft, at } = change;
    if (!this.auditSeal) throw new Error('This case store only reads: it was given no audit key');
    const event = await chainEvent(before, draft, at, this.auditSeal);
    const after: FeeCase = {
      ...change.after,
      version: before.version + 1,
      eventSeq: event.seq,
      lastEventHash: event.hash,
      updatedAt: at,
    };
    const TableName = this.tableName;
    const items: TransactItem[] = [
      versionedCasePut(TableName, after, before.version),
      { Put: { TableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      unanchoredMarkerPut(TableName, event),
    ];
    items.push(...(change.tasks ?? []).map((write) => this.taskPut(write)));
    if (change.closeFeeKey) {
      items.push({
        Update: {
          TableName,
          Key: feeKeyItemKey(after.feeKey),
          UpdateExpression: 'SET #open = :false, closedAt = :at',
          // Only the pointer to this case is closed; a newer case about the fee keeps its own.
          ConditionExpression: 'caseId = :caseId',
          ExpressionAttributeNames: { '#open': 'open' },
          ExpressionAttributeValues: { ':false': false, ':at': at, ':caseId': after.caseId },
        },
      });
    }
    if (change.feedback) {
      items.push({
        Update: {
          TableName,
          Key: complaintKey(change.feedback.complaintId),
          UpdateExpression: 'SET feedback = :feedback',
          // Given once: a second feedback, even a concurrent one, fails the whole change.
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(feedback)',
          ExpressionAttributeValues: { ':feedback': change.feedback.feedback },
        },
      });
    }
    if (change.complaintAttachments) {
      const { complaintId, attachedBefore, added } = change.complaintAttachments;
      items.push({
        Update: {
          TableName,
          Key: complaintKey(complaintId),
          UpdateExpression: 'SET attachments = list_append(if_not_exists(attachments, :none), :added)',
          // Counted as read: two concurrent additions cannot both pass the limit of files per complaint.
          ConditionExpression:
            attachedBefore === 0
              ? 'attribute_exists(pk) AND attribute_not_exists(attachments)'
              : 'size(attachments) = :before',
          ExpressionAttributeValues: {
            ':none': [],
            ':added': added,
            ...(attachedBefore === 0 ? {} : { ':before': attachedBefore }),
          },
        },
      });
    }
    const firstAttachment = items.length;
    items.push(...attachmentItems(TableName, change.evidence, at));
    const outcome = await transact(this.db, items);
    if (outcome.committed) return { status: 'committed', feeCase: after };
    const refused = attachmentConflict(outcome.reasons, firstAttachment, change.evidence);
    if (refused) throw refused;
    return { status: 'moved' };
  }

  private taskPut(write: TaskWrite): TransactItem {
    const TableName = this.tableName;
    if (write.expected === 'new') {
      return {
        Put: { TableName, Item: taskItem(write.task), ConditionExpression: 'attribute_not_exists(pk)' },
      };
    }
    const holderCondition = write.holder
      ? ' AND #status = :open AND (attribute_not_exists(assignee) OR assignee = :holder)'
      : '';
    return {
      Put: {
        TableName,
        Item: taskItem(write.task),
        ConditionExpression: `#version = :expected${holderCondition}`,
        ExpressionAttributeNames: { '#version': 'version', ...(write.holder ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: {
          ':expected': write.expected,
          ...(write.holder ? { ':open': 'OPEN', ':holder': write.holder } : {}),
        },
      },
    };
  }

  async updateTask(write: TaskWrite): Promise<'updated' | 'moved'> {
    const put = this.taskPut(write).Put;
    if (!put) throw new Error('unreachable: a task write is a put');
    try {
      await callDependency('DynamoDB', () => this.db.send(new PutCommand(put)));
      return 'updated';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'moved';
      throw error;
    }
  }

  async listTasks(
    inbox: InboxQuery,
    limit: number,
    cursor?: string,
  ): Promise<{ items: StoredTask[]; cursor: string | null }> {
    const index =
      inbox.owner === 'regulator'
        ? { name: 'gsi2', partition: inboxPartition(inbox.agency, inbox.province, inbox.status) }
        : inbox.owner === 'association'
          ? { name: 'gsi3', partition: associationTasksPartition(inbox.creditCode, inbox.status) }
          : inbox.owner === 'enterprise'
            ? { name: 'gsi1', partition: enterpriseTasksPartition(inbox.enterpriseId, inbox.status) }
            : { name: 'gsi4', partition: allTasksPartition(inbox.status) };
    const [partitionKey, sortKey] = [`${index.name}pk`, `${index.name}sk`];
    const page = await fullPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${partitionKey} = :pk`,
        ...(inbox.kind ? { FilterExpression: 'kind = :kind' } : {}),
        ExpressionAttributeValues: { ':pk': index.partition, ...(inbox.kind ? { ':kind': inbox.kind } : {}) },
        ExclusiveStartKey:
          cursor === undefined ? undefined : decodeCursor(cursor, index.partition, partitionKey),
      },
      limit,
      ['pk', 'sk', partitionKey, sortKey],
    );
    return {
      items: page.items.map(taskFromItem),
      cursor: page.lastKey ? encodeCursor(page.lastKey) : null,
    };
  }

  async recordComplaintOutcome(complaintId: string, outcome: ComplaintOutcome): Promise<void> {
    await callDependency('DynamoDB', () =>
      this.db.send(new UpdateCommand(complaintOutcomeUpdate(this.tableName, complaintId, outcome))),
    );
  }

  async listOpenCases(): Promise<FeeCase[]> {
    const items = await allItems(this.db, {
      TableName: this.tableName,
      FilterExpression: 'entity = :case AND #stage <> :closed',
      ExpressionAttributeNames: { '#stage': 'stage' },
      ExpressionAttributeValues: { ':case': 'FeeCase', ':closed': 'CLOSED' },
    });
    return items.map(feeCaseFromItem);
  }
}
