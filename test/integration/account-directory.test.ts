/**
 * The local account store against DynamoDB Local: invitations (one account per address, a temporary
 * password e-mailed and stored only hashed), the newest-first list with its prefix search and cursor,
 * and changes that end sessions, each written on the account's version.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { enterpriseCode } from '#infra/local/campaign-fixtures';
import {
  accountAuditHeadKey,
  accountEventKey,
  DynamoAccountAudit,
} from '#shared/adapters/dynamodb/account-audit';
import { TableAccountDirectory } from '#shared/adapters/dynamodb/account-directory';
import { accountEmailKey, accountItem, accountKey } from '#shared/adapters/dynamodb/account-items';
import { verifyPassword } from '#shared/adapters/password-hash';
import type { EmailMessage, EmailSender } from '#shared/deliver-notifications/ports';
import { genesisHash, keyedLinkOf } from '#shared/domain/case-event';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { testAuditSeal, useTestTable } from '#test/support/table';

const { documentClient, tableName } = await useTestTable();
const signInUrl = 'http://127.0.0.1:8080/';

class RecordingMail implements EmailSender {
  readonly sent: EmailMessage[] = [];
  async send(message: EmailMessage): Promise<void> {
    this.sent.push(message);
  }
}

let clock = Date.parse('2026-11-20T02:00:00.000Z');
const tick = () => {
  clock += 1_000;
  return new Date(clock);
};

const setUp = () => {
  const mail = new RecordingMail();
  return { mail, directory: new TableAccountDirectory(documentClient, tableName, mail, signInUrl, tick) };
};

let invited = 0;
const regulator = (name = 'Officer') => {
  invited += 1;
  return {
    role: 'regulator' as const,
    email: `officer-${invited}-${Date.now()}@example.com`,
    name: `${name} ${invited}`,
    agency: 'MCA' as const,
    province: '11',
  };
};

const itemOf = async (userId: string) =>
  (
    await documentClient.send(
      new GetCommand({ TableName: tableName, Key: accountKey(userId), ConsistentRead: true }),
    )
  ).Item ?? {};

/** The temporary password the e-mail carries. */
const passwordIn = (message: EmailMessage | undefined) =>
  /临时密码：(\S+)/.exec(message?.text ?? '')?.[1] ?? '';

describe('TableAccountDirectory.invite', () => {
  it('stores the account as INVITED with the hash of the temporary password the e-mail carries', async () => {
    // Arrange
    const { directory, mail } = setUp();
    const invitation = regulator();

    // Act
    const account = await directory.invite(invitation);

    // Assert
    expect(account).toMatchObject({ ...invitation, enabled: true, state: 'INVITED' });
    const item = await itemOf(account.userId);
    expect(await verifyPassword(passwordIn(mail.sent[0]), String(item.passwordHash))).toBe(true);
    expect(mail.sent[0]).toMatchObject({ to: invitation.email, language: 'zh-CN' });
    expect(mail.sent[0]?.text).toContain(signInUrl);
    expect(mail.sent[0]?.text.indexOf('临时密码')).toBeLessThan(
      mail.sent[0]?.text.indexOf('Temporary password') ?? 0,
    );
  });

  it('refuses a second account for the same address, whatever its case, with account_exists', async () => {
    // Arrange
    const { directory, mail } = setUp();
    const invitation = regulator();
    await directory.invite(invitation);

    // Act
    const again = directory.invite({ ...invitation, email: invitation.email.toUpperCase() });

    // Assert
    await expect(again).rejects.toMatchObject({ constructor: ConflictError, reason: 'account_exists' });
    expect(mail.sent).toHaveLength(1);
  });
});

describe('TableAccountDirectory.list', () => {
  it('lists newest first, matches q at the start of the e-mail, the name or the credit code, and pages', async () => {
    // Arrange
    const { directory } = setUp();
    const marker = `zq${Date.now()}`;
    const first = await directory.invite({ ...regulator(), name: `${marker} first` });
    const second = await directory.invite({ ...regulator(), email: `${marker}@example.com` });
    const code = enterpriseCode('11', Number(String(Date.now()).slice(-6)));
    const third = await directory.invite({
      role: 'association',
      email: `assoc-${marker}@example.com`,
      name: 'Association',
      creditCode: code,
    });
    // Within the e-mail but not at its start: no match.
    await directory.invite({ ...regulator(), email: `x${marker}@example.com` });

    // Act
    const byMarker = await directory.list({ q: marker.toUpperCase(), limit: 1 });
    const next = await directory.list({ q: marker, limit: 5, cursor: byMarker.cursor });
    const byCode = await directory.list({ q: code.toLowerCase(), limit: 5 });

    // Assert
    expect(byMarker.items.map((a) => a.userId)).toEqual([second.userId]);
    expect(next.items.map((a) => a.userId)).toEqual([first.userId]);
    expect(byCode.items.map((a) => a.userId)).toEqual([third.userId]);
  });

  it('keeps to the role and agency asked', async () => {
    // Arrange
    const { directory } = setUp();
    const marker = `ag${Date.now()}`;
    const mca = await directory.invite({ ...regulator(), name: `${marker} mca` });
    await directory.invite({ ...regulator(), name: `${marker} samr`, agency: 'SAMR' });

    // Act
    const page = await directory.list({ q: marker, role: 'regulator', agency: 'MCA', limit: 10 });

    // Assert
    expect(page.items.map((a) => a.userId)).toEqual([mca.userId]);
  });

  it('refuses a cursor of another list', async () => {
    // Arrange
    const { directory } = setUp();
    const foreign = Buffer.from(JSON.stringify({ pk: 'X', sk: 'Y', gsi4pk: 'OTHER', gsi4sk: 'Z' })).toString(
      'base64url',
    );

    // Act
    const listing = directory.list({ limit: 5, cursor: foreign });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('TableAccountDirectory changes', () => {
  it('disables the account, ends its sessions, and writes a new version', async () => {
    // Arrange
    const { directory } = setUp();
    const account = await directory.invite(regulator());

    // Act
    const disabled = await directory.setEnabled(account.userId, false);

    // Assert
    expect(disabled.enabled).toBe(false);
    const item = await itemOf(account.userId);
    expect(item).toMatchObject({ enabled: false, version: 2, sessionsEndedAt: disabled.updatedAt });
  });

  it('enables the account without touching its sessions', async () => {
    // Arrange
    const { directory } = setUp();
    const account = await directory.invite(regulator());
    const disabled = await directory.setEnabled(account.userId, false);

    // Act
    const enabled = await directory.setEnabled(account.userId, true);

    // Assert
    expect(enabled.enabled).toBe(true);
    expect((await itemOf(account.userId)).sessionsEndedAt).toBe(disabled.updatedAt);
  });

  it('resets: a new e-mailed temporary password, RESET_REQUIRED, no failures or lock, sessions ended', async () => {
    // Arrange
    const { directory, mail } = setUp();
    const account = await directory.invite(regulator());
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: accountKey(account.userId),
        UpdateExpression: 'SET failedSignIns = :n, lockedUntil = :until',
        ExpressionAttributeValues: { ':n': 5, ':until': '2099-01-01T00:00:00.000Z' },
      }),
    );

    // Act
    const reset = await directory.resetPassword(account.userId);

    // Assert
    const item = await itemOf(account.userId);
    expect(reset.state).toBe('RESET_REQUIRED');
    expect(item).toMatchObject({ failedSignIns: 0, sessionsEndedAt: reset.updatedAt });
    expect(item.lockedUntil).toBeUndefined();
    expect(mail.sent).toHaveLength(2);
    const newPassword = passwordIn(mail.sent[1]);
    expect(newPassword).not.toBe(passwordIn(mail.sent[0]));
    expect(await verifyPassword(newPassword, String(item.passwordHash))).toBe(true);
  });

  it('sets the enterprise an account files as', async () => {
    // Arrange
    const { directory } = setUp();
    const account = await directory.invite(regulator());

    // Act
    const linked = await directory.setEnterprise(account.userId, 'enterprise-first');

    // Assert
    expect(linked.enterpriseId).toBe('enterprise-first');
  });

  it('signs the account out everywhere, and an identity without an account has nothing to end', async () => {
    // Arrange
    const { directory } = setUp();
    const account = await directory.invite(regulator());

    // Act
    await directory.signOutEverywhere(account.userId);
    const withoutAccount = directory.signOutEverywhere('local:admin:admin');

    // Assert
    expect((await itemOf(account.userId)).sessionsEndedAt).toEqual(expect.any(String));
    await expect(withoutAccount).resolves.toBeUndefined();
  });

  it('applies a change on top of one made meanwhile (a sign-in counting a failure), never over it', async () => {
    // Arrange
    const { directory } = setUp();
    const account = await directory.invite(regulator());
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: accountKey(account.userId),
        UpdateExpression: 'SET failedSignIns = :n, version = :v',
        ExpressionAttributeValues: { ':n': 2, ':v': 2 },
      }),
    );

    // Act
    await directory.setEnabled(account.userId, false);

    // Assert
    expect(await itemOf(account.userId)).toMatchObject({ failedSignIns: 2, enabled: false, version: 3 });
  });

  it('answers NotFound for an unknown account', async () => {
    // Arrange
    const { directory } = setUp();

    // Act
    const disabling = directory.setEnabled('no-such-account', false);

    // Assert
    await expect(disabling).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads the items the contract describes: the e-mail marker names the account', async () => {
    // Arrange
    const { directory } = setUp();
    const invitation = regulator();

    // Act
    const account = await directory.invite(invitation);

    // Assert
    const marker = await documentClient.send(
      new GetCommand({ TableName: tableName, Key: accountEmailKey(invitation.email) }),
    );
    expect(marker.Item?.userId).toBe(account.userId);
    expect(await directory.get(account.userId)).toEqual(account);
    expect(Object.keys(accountItem(account))).toEqual(expect.arrayContaining(['gsi4pk', 'searchText']));
  });
});

describe('DynamoAccountAudit', () => {
  it('chains the account events: each links the one before, keyed with the audit key', async () => {
    // Arrange
    const seal = testAuditSeal();
    const audit = new DynamoAccountAudit(documentClient, tableName, seal);
    const actor = { role: 'campaign-admin' as const, subject: 'admin-1' };

    // Act
    await Promise.all([
      audit.record(
        { type: 'ACCOUNT_INVITED', actor, data: { userId: 'u-1', role: 'regulator' } },
        '2026-11-20T02:00:00.000Z',
      ),
      audit.record(
        { type: 'ACCOUNT_DISABLED', actor, data: { userId: 'u-2', role: 'association' } },
        '2026-11-20T02:00:01.000Z',
      ),
    ]);

    // Assert
    const get = async (key: object) =>
      (await documentClient.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })))
        .Item ?? {};
    const [first, second, head] = await Promise.all([
      get(accountEventKey(1)),
      get(accountEventKey(2)),
      get(accountAuditHeadKey),
    ]);
    expect(first.previousHash).toBe(genesisHash);
    expect(second.previousHash).toBe(first.hash);
    expect(head).toMatchObject({ seq: 2, link: second.hash });
    const { pk: _pk, sk: _sk, entity: _entity, hash, ...unlinked } = second;
    expect(await keyedLinkOf(unlinked, seal)).toBe(hash);
  });
});
