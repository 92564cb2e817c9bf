/** The account directory and the accounts' audit trail in memory, for unit tests of user management. */
import type { AccountAudit, AccountEventDraft } from '#shared/accounts/ports';
import type { AccountQuery, NewAccount, UserAccount } from '#shared/domain/account';
import { ConflictError, NotFoundError } from '#shared/domain/errors';
import type { AccountDirectory } from '#shared/ports/accounts';

export const createdAt = '2026-11-01T08:00:00.000Z';

export class InMemoryAccountDirectory implements AccountDirectory {
  readonly accounts = new Map<string, UserAccount>();
  readonly signedOut: string[] = [];
  readonly resets: string[] = [];
  /** What the last `list` was asked. */
  lastQuery: AccountQuery | undefined;
  private invited = 0;

  constructor(accounts: UserAccount[] = []) {
    for (const account of accounts) this.accounts.set(account.userId, account);
  }

  async invite(account: NewAccount): Promise<UserAccount> {
    if ([...this.accounts.values()].some((existing) => existing.email === account.email))
      throw new ConflictError('taken', { reason: 'account_exists' });
    this.invited += 1;
    const created: UserAccount = {
      ...account,
      userId: `invited-${this.invited}`,
      enabled: true,
      state: 'INVITED',
      createdAt,
      updatedAt: createdAt,
    };
    this.accounts.set(created.userId, created);
    return created;
  }

  async get(userId: string): Promise<UserAccount | undefined> {
    return this.accounts.get(userId);
  }

  async list(query: AccountQuery): Promise<{ items: UserAccount[]; cursor?: string }> {
    this.lastQuery = query;
    return {
      items: [...this.accounts.values()].filter(
        (account) =>
          (!query.role || account.role === query.role) && (!query.agency || account.agency === query.agency),
      ),
    };
  }

  async setEnabled(userId: string, enabled: boolean): Promise<UserAccount> {
    return this.update(userId, { enabled });
  }

  async resetPassword(userId: string): Promise<UserAccount> {
    this.resets.push(userId);
    return this.update(userId, { state: 'RESET_REQUIRED' });
  }

  async setEnterprise(userId: string, enterpriseId: string): Promise<UserAccount> {
    return this.update(userId, { enterpriseId });
  }

  async signOutEverywhere(userId: string): Promise<void> {
    this.signedOut.push(userId);
  }

  private update(userId: string, change: Partial<UserAccount>): UserAccount {
    const account = this.accounts.get(userId);
    if (!account) throw new NotFoundError('No such account');
    const changed = { ...account, ...change };
    this.accounts.set(userId, changed);
    return changed;
  }
}

export class RecordingAccountAudit implements AccountAudit {
  readonly events: (AccountEventDraft & { at: string })[] = [];

  async record(event: AccountEventDraft, at: string): Promise<void> {
    this.events.push({ ...event, at });
  }
}
