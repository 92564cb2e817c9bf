/**
 * Enterprise registrations waiting for their e-mail code, one per sign-in interaction
 * (`OIDC_REGISTRATION#<uid>`), gone after ten minutes by the table's TTL. One for an address that
 * already has an account carries no account and no code: every code is wrong for it.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { registrationCodeRules } from '#infra/local/identity-provider/registration-code';

export interface Registration {
  userId?: string;
  codeHash?: Buffer;
  tries: number;
}

const registrationKey = (uid: string) => ({ pk: `OIDC_REGISTRATION#${uid}`, sk: 'OIDC_REGISTRATION' });

export class RegistrationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async start(uid: string, registration: Omit<Registration, 'tries'>): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...registrationKey(uid),
          entity: 'OidcRegistration',
          ...(registration.userId ? { userId: registration.userId } : {}),
          ...(registration.codeHash ? { codeHash: registration.codeHash.toString('base64url') } : {}),
          tries: 0,
          expiresAt: Math.floor(Date.now() / 1000) + registrationCodeRules.minutes * 60,
        },
      }),
    );
  }

  /** The registration, unless its code has expired. */
  async get(uid: string): Promise<Registration | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: registrationKey(uid), ConsistentRead: true }),
    );
    if (!Item || Number(Item.expiresAt) <= Date.now() / 1000) return undefined;
    return {
      ...(typeof Item.userId === 'string' ? { userId: Item.userId } : {}),
      ...(typeof Item.codeHash === 'string' ? { codeHash: Buffer.from(Item.codeHash, 'base64url') } : {}),
      tries: Number(Item.tries),
    };
  }

  async countTry(uid: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: registrationKey(uid),
        UpdateExpression: 'ADD tries :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async end(uid: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: registrationKey(uid) }));
  }
}
