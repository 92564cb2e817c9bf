/**
 * What the local identity provider reads and writes of the account items
 * (shared/adapters/dynamodb/account-items.ts): sign-in counters and lockout, passwords, new accounts.
 * Every change adds one to `version`, so the account directory's optimistic writes see it.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AccountItem,
  accountEmailKey,
  accountKey,
  accountsPartition,
  newAccountWrites,
} from '#shared/adapters/dynamodb/account-items';
import { transact } from '#shared/adapters/dynamodb/table-io';
import type { UserAccount } from '#shared/domain/account';

/** Failed sign-ins in a row that lock an account, and for how long. */
export const lockout = { failures: 5, minutes: 15 } as const;

export class AccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(userId: string): Promise<AccountItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: accountKey(userId), ConsistentRead: true }),
    );
    return Item as AccountItem | undefined;
  }

  async findByEmail(email: string): Promise<AccountItem | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: accountEmailKey(email), ConsistentRead: true }),
    );
    return typeof Item?.userId === 'string' ? this.get(Item.userId) : undefined;
  }

  /**
   * Creates the account and its e-mail marker in one transaction, so an address has one account.
   * False when the address already has one.
   */
  async create(account: UserAccount, passwordHash: string): Promise<boolean> {
    return this.createInPlaceOf(undefined, account, passwordHash);
  }

  /**
   * Creates the account in place of `abandoned`, a sign-up of the same address whose e-mail was never
   * verified, or of none (`undefined`): both in one transaction, on the condition that the address
   * still points at `abandoned` and that it is still unverified. False when another account won.
   */
  async createInPlaceOf(
    abandoned: AccountItem | undefined,
    account: UserAccount,
    passwordHash: string,
  ): Promise<boolean> {
    const outcome = await transact(
      this.client,
      newAccountWrites(this.tableName, account, passwordHash, abandoned),
    );
    return outcome.committed;
  }

  /** Counts a wrong password; the fifth in a row locks the account and starts the count again. */
  async recordFailedSignIn(account: AccountItem, now = new Date()): Promise<void> {
    const failures = (account.failedSignIns ?? 0) + 1;
    const locks = failures >= lockout.failures;
    await this.update(
      account.userId,
      locks ? 'SET failedSignIns = :zero, lockedUntil = :until' : 'SET failedSignIns = :failures',
      locks
        ? { ':zero': 0, ':until': new Date(now.getTime() + lockout.minutes * 60_000).toISOString() }
        : { ':failures': failures },
    );
  }

  async recordSignIn(userId: string): Promise<void> {
    await this.update(userId, 'SET failedSignIns = :zero REMOVE lockedUntil', { ':zero': 0 });
  }

  /** The account's own new password: its temporary one stops working and the account is in use. */
  async setPassword(userId: string, passwordHash: string, now = new Date()): Promise<void> {
    await this.update(userId, 'SET passwordHash = :hash, #state = :confirmed, updatedAt = :now', {
      ':hash': passwordHash,
      ':confirmed': 'CONFIRMED',
      ':now': now.toISOString(),
    });
  }

  /** The e-mail address is verified: a signed-up account is in use. */
  async confirm(userId: string, now = new Date()): Promise<void> {
    await this.update(userId, 'SET #state = :confirmed, updatedAt = :now', {
      ':confirmed': 'CONFIRMED',
      ':now': now.toISOString(),
    });
  }

  async firstAdmin(): Promise<AccountItem | undefined> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi4',
          KeyConditionExpression: 'gsi4pk = :accounts',
          FilterExpression: '#role = :admin',
          ExpressionAttributeNames: { '#role': 'role' },
          ExpressionAttributeValues: { ':accounts': accountsPartition, ':admin': 'campaign-admin' },
          ScanIndexForward: true,
          ExclusiveStartKey: cursor,
        }),
      );
      const admin = page.Items?.[0];
      if (admin) return this.get(String(admin.userId));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return undefined;
  }

  private async update(userId: string, expression: string, values: Record<string, unknown>) {
    const names = expression.includes('#state') ? { '#state': 'state' } : undefined;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: accountKey(userId),
        UpdateExpression: `${expression.replace(/^SET /, 'SET version = version + :one, ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':one': 1 },
      }),
    );
  }
}
