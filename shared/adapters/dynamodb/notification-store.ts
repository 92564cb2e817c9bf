/**
 * Notifications in the single table, one partition per recipient (`NOTIFY#<recipient>`): the
 * notifications (`N#<id>`, ids sort by time, so a reverse query is newest first), one marker per source
 * and recipient (`ONCE#<second part of the id>`) and the unread counter (`UNREAD`). A notification, its
 * marker and the counter's increment are one transaction: written once, counted once.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { complaintsOfCase } from '#shared/adapters/dynamodb/case-store';
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor';
import {
  allTasksPartition,
  complaintFromItem,
  feeCaseFromItem,
  notificationEntity,
  taskFromItem,
} from '#shared/adapters/dynamodb/items';
import { caseKey, complaintKey, taskKey } from '#shared/adapters/dynamodb/keys';
import { allItems, transact } from '#shared/adapters/dynamodb/table-io';
import { ConflictError, ValidationError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';
import { type Notification, type NotificationRecipient, recipientKey } from '#shared/domain/notification';
import type {
  CaseComplaint,
  NotificationPage,
  NotificationSources,
  NotificationStore,
} from '#shared/notifications/ports';
import type { ComplaintRecord } from '#shared/ports/complaints';

type Item = Record<string, unknown>;

export const notificationPartition = (recipient: NotificationRecipient) =>
  `NOTIFY#${recipientKey(recipient)}`;
const notificationSortKey = (notificationId: string) => `N#${notificationId}`;
const unreadKey = (recipient: NotificationRecipient) => ({
  pk: notificationPartition(recipient),
  sk: 'UNREAD',
});

export const notificationItem = (notification: Notification): Item => ({
  pk: notificationPartition(notification.recipient),
  sk: notificationSortKey(notification.notificationId),
  entity: notificationEntity,
  ...notification,
});

export const notificationFromItem = (item: Item): Notification => {
  const { pk: _pk, sk: _sk, entity: _entity, ...notification } = item;
  return notification as unknown as Notification;
};

const conditionFailed = (reason: { Code?: string } | undefined) => reason?.Code === 'ConditionalCheckFailed';

export class DynamoNotificationStore implements NotificationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async writeOnce(notification: Notification): Promise<'written' | 'duplicate'> {
    const TableName = this.tableName;
    const pk = notificationPartition(notification.recipient);
    const onceKey = notification.notificationId.split('-').slice(1).join('-');
    const outcome = await transact(this.db, [
      {
        Put: {
          TableName,
          Item: {
            pk,
            sk: `ONCE#${onceKey}`,
            entity: 'NotificationMarker',
            notificationId: notification.notificationId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName,
          Item: notificationItem(notification),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName,
          Key: unreadKey(notification.recipient),
          UpdateExpression: 'SET entity = :entity ADD unread :one',
          ExpressionAttributeValues: { ':entity': 'NotificationCounter', ':one': 1 },
        },
      },
    ]);
    if (outcome.committed) return 'written';
    if (outcome.reasons.slice(0, 2).some(conditionFailed)) return 'duplicate';
    // Another write held the recipient's counter (a transaction conflict): the caller retries.
    throw new ConflictError('The notification centre was busy; the notification will be retried');
  }

  private async unread(recipient: NotificationRecipient): Promise<number> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: unreadKey(recipient), ConsistentRead: true }),
      ),
    );
    return Math.max(0, Number(Item?.unread ?? 0));
  }

  async list(recipient: NotificationRecipient, limit: number, cursor?: string): Promise<NotificationPage> {
    const partition = notificationPartition(recipient);
    const start = cursor === undefined ? undefined : decodeCursor(cursor);
    // A cursor of another partition would page through someone else's notifications.
    if (start && (start.pk !== partition || !start.sk?.startsWith('N#'))) {
      throw new ValidationError('The cursor is not valid', [
        { path: 'cursor', code: 'unknown_cursor', message: 'unknown cursor' },
      ]);
    }
    const [page, unread] = await Promise.all([
      callDependency('DynamoDB', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
            ExpressionAttributeValues: { ':pk': partition, ':n': 'N#' },
            ScanIndexForward: false,
            Limit: limit,
            ExclusiveStartKey: start,
          }),
        ),
      ),
      this.unread(recipient),
    ]);
    return {
      items: (page.Items ?? []).map(notificationFromItem),
      cursor: page.LastEvaluatedKey ? encodeCursor(page.LastEvaluatedKey) : null,
      unread,
    };
  }

  async markRead(
    recipient: NotificationRecipient,
    notificationId: string,
  ): Promise<{ notification: Notification; unread: number } | undefined> {
    const TableName = this.tableName;
    const Key = { pk: notificationPartition(recipient), sk: notificationSortKey(notificationId) };
    const markUnread = {
      TableName,
      Key,
      UpdateExpression: 'SET #read = :true',
      ConditionExpression: 'attribute_exists(pk) AND #read = :false',
      ExpressionAttributeNames: { '#read': 'read' },
      ExpressionAttributeValues: { ':true': true, ':false': false },
    };
    const outcome = await transact(this.db, [
      { Update: markUnread },
      {
        Update: {
          TableName,
          Key: unreadKey(recipient),
          UpdateExpression: 'ADD unread :minusOne',
          ConditionExpression: 'unread > :zero',
          ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
        },
      },
    ]);
    if (!outcome.committed && !conditionFailed(outcome.reasons[0]) && conditionFailed(outcome.reasons[1])) {
      // The counter is already at zero: the notification is marked read without counting below it.
      await callDependency('DynamoDB', () => this.db.send(new UpdateCommand(markUnread))).catch((error) => {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
    } else if (!outcome.committed && !conditionFailed(outcome.reasons[0])) {
      throw new ConflictError('The notification centre was busy; please retry');
    }
    // Read or already read, or not the recipient's at all.
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName, Key, ConsistentRead: true })),
    );
    if (!Item) return undefined;
    return { notification: notificationFromItem(Item), unread: await this.unread(recipient) };
  }
}

/** What notifications need of a complaint; its reference once complaints carry one. */
const caseComplaintOf = (complaint: ComplaintRecord & { reference?: string }): CaseComplaint => ({
  complaintId: complaint.complaintId,
  enterpriseId: complaint.enterpriseId,
  fee: complaint.fee,
  facts: complaint.facts,
  ...(complaint.reference ? { reference: complaint.reference } : {}),
});

/** What notifications are about, read from the table. */
export class DynamoNotificationSources implements NotificationSources {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async get(Key: Record<string, string>): Promise<Item | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
    );
    return Item;
  }

  async getCase(caseId: string): Promise<(FeeCase & { reference?: string }) | undefined> {
    const item = await this.get(caseKey(caseId));
    return item ? feeCaseFromItem(item) : undefined;
  }

  async getTask(taskId: string): Promise<FeeTask | undefined> {
    const item = await this.get(taskKey(taskId));
    return item ? taskFromItem(item) : undefined;
  }

  async getComplaint(complaintId: string): Promise<CaseComplaint | undefined> {
    const item = await this.get(complaintKey(complaintId));
    return item ? caseComplaintOf(complaintFromItem(item)) : undefined;
  }

  async listComplaints(caseId: string): Promise<CaseComplaint[]> {
    return (await complaintsOfCase(this.db, this.tableName, caseId)).map(caseComplaintOf);
  }

  async openTasksDueBetween(from: string, until: string): Promise<FeeTask[]> {
    const items = await allItems(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi4',
      KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk BETWEEN :from AND :until',
      ExpressionAttributeValues: { ':pk': allTasksPartition('OPEN'), ':from': from, ':until': `${until}~` },
    });
    return items.map(taskFromItem);
  }
}
