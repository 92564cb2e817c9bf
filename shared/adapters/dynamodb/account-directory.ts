/**
 * The local account store behind the user-management port: the account items the local identity
 * provider signs in (`account-items.ts`). Invitations and resets set a random temporary password,
 * stored only as its hash and e-mailed through the campaign's SMTP; every change of an account is
 * conditioned on its `version`, so a change never overwrites one it did not see (a sign-in counting a
 * failure, another admin's change): it reads the account again and retries.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { invitationEmail, passwordResetEmail } from '#shared/accounts/account-emails';
import { callDependency } from '#shared/adapters/aws-errors';
import {
  type AccountItem,
  accountKey,
  accountOf,
  accountsPartition,
  newAccountWrites,
} from '#shared/adapters/dynamodb/account-items';
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor';
import { fullPage, transact } from '#shared/adapters/dynamodb/table-io';
import { hashPassword } from '#shared/adapters/password-hash';
import type { EmailSender } from '#shared/deliver-notifications/ports';
import type { AccountQuery, NewAccount, UserAccount } from '#shared/domain/account';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import type { AccountDirectory } from '#shared/ports/accounts';

/** Letters and digits that cannot be mistaken for one another when copied from an e-mail. */
const passwordAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
const temporaryPasswordLength = 16;

/** 16 characters of 56: about 93 bits, with an upper-case letter, a lower-case letter and a digit. */
export const temporaryPassword = (): string => {
  for (;;) {
    const password = Array.from(
      { length: temporaryPasswordLength },
      () => passwordAlphabet[randomInt(passwordAlphabet.length)],
    ).join('');
    if (/[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password)) return password;
  }
};

const attempts = 5;

interface AccountChange {
  set?: Partial<Omit<AccountItem, 'pk' | 'sk' | 'version'>>;
  remove?: (keyof AccountItem)[];
}

export class TableAccountDirectory implements AccountDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly mail: EmailSender,
    /** The portal's address, named in the e-mails. */
    private readonly signInUrl: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async invite(account: NewAccount): Promise<UserAccount> {
    const at = this.now().toISOString();
    const password = temporaryPassword();
    const created: UserAccount = {
      ...account,
      userId: randomUUID(),
      enabled: true,
      state: 'INVITED',
      createdAt: at,
      updatedAt: at,
    };
    const outcome = await transact(
      this.db,
      newAccountWrites(this.tableName, created, await hashPassword(password)),
    );
    if (!outcome.committed)
      throw new ConflictError('This e-mail address already has an account', { reason: 'account_exists' });
    await this.mail.send(
      invitationEmail({
        to: created.email,
        name: created.name,
        role: account.role,
        temporaryPassword: password,
        signInUrl: this.signInUrl,
      }),
    );
    return created;
  }

  async get(userId: string): Promise<UserAccount | undefined> {
    const item = await this.item(userId);
    return item && accountOf(item);
  }

  async list(query: AccountQuery): Promise<{ items: UserAccount[]; cursor?: string }> {
    const filters: string[] = [];
    const values: Record<string, unknown> = { ':pk': accountsPartition };
    const names: Record<string, string> = {};
    if (query.role) {
      filters.push('#role = :role');
      names['#role'] = 'role';
      values[':role'] = query.role;
    }
    if (query.agency) {
      filters.push('agency = :agency');
      values[':agency'] = query.agency;
    }
    if (query.q) {
      // searchText holds one field per line: the start of any line is the start of a field.
      filters.push('(begins_with(searchText, :q) OR contains(searchText, :lineQ))');
      values[':q'] = query.q.toLowerCase();
      values[':lineQ'] = `\n${query.q.toLowerCase()}`;
    }
    const page = await fullPage(
      this.db,
      {
        TableName: this.tableName,
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk',
        ScanIndexForward: false,
        ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
        ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: values,
        ExclusiveStartKey:
          query.cursor === undefined ? undefined : decodeCursor(query.cursor, accountsPartition, 'gsi4pk'),
      },
      query.limit,
      ['pk', 'sk', 'gsi4pk', 'gsi4sk'],
    );
    return {
      items: page.items.map(accountOf),
      ...(page.lastKey ? { cursor: encodeCursor(page.lastKey) } : {}),
    };
  }

  async setEnabled(userId: string, enabled: boolean): Promise<UserAccount> {
    const at = this.now().toISOString();
    // Disabling also ends the sessions the provider would otherwise keep honouring.
    return this.change(userId, {
      set: { enabled, updatedAt: at, ...(enabled ? {} : { sessionsEndedAt: at }) },
    });
  }

  async resetPassword(userId: string): Promise<UserAccount> {
    const at = this.now().toISOString();
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    const changed = await this.change(userId, {
      set: { passwordHash, state: 'RESET_REQUIRED', failedSignIns: 0, sessionsEndedAt: at, updatedAt: at },
      remove: ['lockedUntil'],
    });
    await this.mail.send(
      passwordResetEmail({
        to: changed.email,
        name: changed.name,
        temporaryPassword: password,
        signInUrl: this.signInUrl,
      }),
    );
    return changed;
  }

  async setEnterprise(userId: string, enterpriseId: string): Promise<UserAccount> {
    const at = this.now().toISOString();
    return this.change(userId, { set: { enterpriseId, updatedAt: at } });
  }

  /** An identity with no account here (a development token's) has no session to end. */
  async signOutEverywhere(userId: string): Promise<void> {
    const at = this.now().toISOString();
    try {
      await this.change(userId, { set: { sessionsEndedAt: at } });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  private async item(userId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({ TableName: this.tableName, Key: accountKey(userId), ConsistentRead: true }),
      ),
    );
    return Item;
  }

  /** Applies the change to the account as it is now, retrying while others change it meanwhile. */
  private async change(userId: string, { set = {}, remove = [] }: AccountChange): Promise<UserAccount> {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const item = await this.item(userId);
      if (!item) throw new NotFoundError('No such account');
      const names: Record<string, string> = { '#version': 'version' };
      const version = Number(item.version);
      const values: Record<string, unknown> = { ':version': version, ':next': version + 1 };
      const assignments = ['#version = :next'];
      for (const [name, value] of Object.entries(set)) {
        names[`#${name}`] = name;
        values[`:${name}`] = value;
        assignments.push(`#${name} = :${name}`);
      }
      for (const name of remove) names[`#${name}`] = name;
      try {
        const { Attributes } = await callDependency('DynamoDB', () =>
          this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: accountKey(userId),
              UpdateExpression: `SET ${assignments.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : ''}`,
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        return accountOf(Attributes ?? {});
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new ConflictError('The account kept changing; please retry');
  }
}
