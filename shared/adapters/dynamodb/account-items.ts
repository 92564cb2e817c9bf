/**
 * The local account store's items (docs/data-model.md, "Accounts"): one item per account, one per
 * e-mail address so an address has at most one account, all accounts listed in gsi4 under
 * `ACCOUNTS`, newest first. The local identity provider signs them in; the user-management port
 * (`TableAccountDirectory`) manages them. On AWS, Cognito holds accounts and none of these exist.
 */
import { hash } from 'node:crypto';
import type { TransactItem } from '#shared/adapters/dynamodb/table-io';
import type { AccountState, UserAccount } from '#shared/domain/account';

export const accountKey = (userId: string) => ({ pk: `ACCOUNT#${userId}`, sk: 'ACCOUNT' });
/** The address only as a hash: the key names nobody. */
export const accountEmailKey = (email: string) => ({
  pk: `ACCOUNT_EMAIL#${hash('sha256', email.trim().toLowerCase(), 'base64url')}`,
  sk: 'ACCOUNT_EMAIL',
});
/** gsi4 partition of every account; sort key `createdAt#userId`. */
export const accountsPartition = 'ACCOUNTS';

export interface AccountItem extends UserAccount {
  pk: string;
  sk: 'ACCOUNT';
  entity: 'Account';
  gsi4pk: typeof accountsPartition;
  gsi4sk: string;
  /** Lower-case e-mail, name and credit code, for the `q` search. */
  searchText: string;
  /** `scrypt$N$r$p$salt$key` (shared/adapters/password-hash.ts); absent until a password is set. */
  passwordHash?: string;
  /** Failed sign-ins in a row; reset by a good one. */
  failedSignIns: number;
  /** No sign-in is tried until then (ISO time), even with the right password. */
  lockedUntil?: string;
  /** Sessions and grants of the account made before this time are void (sign out everywhere). */
  sessionsEndedAt?: string;
  /** Optimistic locking: every change writes version + 1 on the condition that version is unchanged. */
  version: number;
}

export interface AccountEmailItem {
  pk: string;
  sk: 'ACCOUNT_EMAIL';
  entity: 'AccountEmail';
  userId: string;
}

export const accountSearchText = (account: Pick<UserAccount, 'email' | 'name' | 'creditCode'>): string =>
  [account.email, account.name, account.creditCode ?? ''].join('\n').toLowerCase();

export const accountItem = (
  account: UserAccount,
  extra: Partial<
    Pick<AccountItem, 'passwordHash' | 'failedSignIns' | 'lockedUntil' | 'sessionsEndedAt' | 'version'>
  > = {},
): AccountItem => ({
  ...accountKey(account.userId),
  sk: 'ACCOUNT',
  entity: 'Account',
  gsi4pk: accountsPartition,
  gsi4sk: `${account.createdAt}#${account.userId}`,
  searchText: accountSearchText(account),
  failedSignIns: 0,
  version: 1,
  ...account,
  ...extra,
});

/** The account as user management shows it: no hash, no counters. */
export const accountOf = (item: Record<string, unknown>): UserAccount => {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  const optional = (name: keyof UserAccount) => {
    const value = text(name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    userId: String(item.userId),
    email: String(item.email),
    name: String(item.name),
    role: item.role as UserAccount['role'],
    ...optional('creditCode'),
    ...optional('agency'),
    ...optional('province'),
    ...optional('enterpriseId'),
    enabled: item.enabled === true,
    state: item.state as AccountState,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
};

/**
 * The writes that create an account with its e-mail marker, for one transaction, so an address has one
 * account. With `abandoned` (a sign-up of the same address never verified) the new account takes its
 * place, on the condition that the address still points at it and that it is still unverified.
 */
export const newAccountWrites = (
  tableName: string,
  account: UserAccount,
  passwordHash: string,
  abandoned?: Pick<UserAccount, 'userId'>,
): TransactItem[] => {
  const marker: AccountEmailItem = {
    ...accountEmailKey(account.email),
    sk: 'ACCOUNT_EMAIL',
    entity: 'AccountEmail',
    userId: account.userId,
  };
  return [
    ...(abandoned
      ? [
          {
            Delete: {
              TableName: tableName,
              Key: accountKey(abandoned.userId),
              ConditionExpression: '#state = :unconfirmed',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':unconfirmed': 'UNCONFIRMED' },
            },
          },
        ]
      : []),
    {
      Put: {
        TableName: tableName,
        Item: accountItem(account, { passwordHash }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: marker,
        ...(abandoned
          ? {
              ConditionExpression: 'userId = :abandoned',
              ExpressionAttributeValues: { ':abandoned': abandoned.userId },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
  ];
};
