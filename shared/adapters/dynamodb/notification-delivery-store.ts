/**
 * Notification delivery in the table: users' notification settings by party, the complainant's sealed
 * contact (opened here, inside the sending function only), and the sent markers that make each
 * delivery happen once.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { complaintFromItem } from '#shared/adapters/dynamodb/items';
import {
  complaintKey,
  deliveryMarkerKey,
  notificationSettingsKey,
  notificationSettingsPartition,
} from '#shared/adapters/dynamodb/keys';
import type {
  DeliveryKey,
  DeliveryMarkers,
  RecipientDirectory,
  Subscriber,
} from '#shared/deliver-notifications/ports';
import type { NotificationRecipient } from '#shared/domain/notification';
import { recipientKey } from '#shared/domain/notification';
import type { NotificationSettings } from '#shared/domain/notification-settings';
import type { NotificationSettingsStore } from '#shared/notification-settings/ports';
import type { ContactSealer } from '#shared/ports/complaints';

/** How long a claim keeps other attempts off a delivery: longer than any send takes. */
export const deliveryClaimSeconds = 300;
/** Markers outlive any redelivery (SQS keeps a message 14 days at most) by far, then expire. */
const markerDays = 400;

const settingsOf = (item: Record<string, unknown>): NotificationSettings => ({
  ...(typeof item.email === 'string' ? { email: item.email } : {}),
  ...(typeof item.phone === 'string' ? { phone: item.phone } : {}),
  language: item.language === 'en' ? 'en' : 'zh-CN',
  emailOptOut: item.emailOptOut === true,
  smsOptOut: item.smsOptOut === true,
});

export class DynamoNotificationSettingsStore implements NotificationSettingsStore {
  constructor(
    protected readonly db: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  async get(recipient: NotificationRecipient, subject: string): Promise<NotificationSettings | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: notificationSettingsKey(recipientKey(recipient), subject),
          ConsistentRead: true,
        }),
      ),
    );
    return Item && settingsOf(Item);
  }

  async put(
    recipient: NotificationRecipient,
    subject: string,
    settings: NotificationSettings,
    savedAt: Date,
  ): Promise<void> {
    await callDependency('DynamoDB', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...notificationSettingsKey(recipientKey(recipient), subject),
            entity: 'NotificationSettings',
            subject,
            ...settings,
            savedAt: savedAt.toISOString(),
          },
        }),
      ),
    );
  }
}

export class DynamoRecipientDirectory extends DynamoNotificationSettingsStore implements RecipientDirectory {
  constructor(
    client: DynamoDBDocumentClient,
    tableName: string,
    private readonly sealer: ContactSealer,
  ) {
    super(client, tableName);
  }

  async subscribers(recipient: NotificationRecipient): Promise<Subscriber[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await callDependency('DynamoDB', () =>
        this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': notificationSettingsPartition(recipientKey(recipient)) },
            ExclusiveStartKey,
          }),
        ),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items
      .sort((a, b) => String(b.savedAt).localeCompare(String(a.savedAt)))
      .map((item) => ({ subject: String(item.subject), settings: settingsOf(item) }));
  }

  async complainant(complaintId: string) {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: complaintKey(complaintId) })),
    );
    if (!Item) return undefined;
    const complaint = complaintFromItem(Item);
    const { phone, email } = await this.sealer.open(complaint.sealedContact, complaint.complaintId);
    return { enterpriseId: complaint.enterpriseId, phone, ...(email ? { email } : {}) };
  }
}

export class DynamoDeliveryMarkers implements DeliveryMarkers {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private key(delivery: DeliveryKey) {
    return deliveryMarkerKey(delivery.notificationId, delivery.channel, delivery.address);
  }

  async claim(delivery: DeliveryKey, now: Date): Promise<'claimed' | 'sent' | 'busy'> {
    try {
      await callDependency('DynamoDB', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: this.key(delivery),
            UpdateExpression:
              'SET entity = :entity, #status = :claimed, claimedUntil = :until, expiresAt = :expires',
            // Free, or claimed by an attempt that died before confirming (its claim expired).
            ConditionExpression: 'attribute_not_exists(pk) OR (#status = :claimed AND claimedUntil < :now)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':entity': 'NotificationDelivery',
              ':claimed': 'CLAIMED',
              ':until': new Date(now.getTime() + deliveryClaimSeconds * 1000).toISOString(),
              ':now': now.toISOString(),
              ':expires': Math.floor(now.getTime() / 1000) + markerDays * 86_400,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item?.status?.S === 'SENT' ? 'sent' : 'busy';
    }
  }

  async confirm(delivery: DeliveryKey, now: Date): Promise<void> {
    await callDependency('DynamoDB', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.key(delivery),
          UpdateExpression: 'SET #status = :sent, sentAt = :now REMOVE claimedUntil',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'SENT', ':now': now.toISOString() },
        }),
      ),
    );
  }

  async release(delivery: DeliveryKey): Promise<void> {
    try {
      await callDependency('DynamoDB', () =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: this.key(delivery),
            ConditionExpression: '#status = :claimed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':claimed': 'CLAIMED' },
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
