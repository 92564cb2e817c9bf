/**
 * The users API over HTTP on the local runtime, with development tokens: campaign admins manage every
 * account and national regulators their agency's regulators, over the table's account store; every
 * change leaves an event on the accounts' audit trail. A development token's subject
 * (`local:admin:<name>`) is the account id the rules compare with; such an identity has no account
 * item unless a test puts one, and signing it out everywhere then ends nothing and still answers 200.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterpriseCode } from '#infra/local/campaign-fixtures';
import { accountAuditPartition } from '#shared/adapters/dynamodb/account-audit';
import { accountItem } from '#shared/adapters/dynamodb/account-items';
import type { UserAccount } from '#shared/domain/account';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
const tokens = { admin: '', national: '', provincial: '', enterprise: '', self: '' };
let sequence = 0;

beforeAll(async () => {
  harness = await startTestRuntime();
  [tokens.admin, tokens.national, tokens.provincial, tokens.enterprise, tokens.self] = await Promise.all([
    harness.token({ role: 'campaign-admin' }),
    harness.token({ role: 'regulator', agency: 'NDRC', province: '00' }),
    harness.token({ role: 'regulator', agency: 'NDRC', province: '44' }),
    harness.token({ role: 'enterprise', creditCode: enterpriseCode('44', 9_100_001) }),
    harness.token({ role: 'campaign-admin', name: 'self' }),
  ]);
});
afterAll(() => harness.stop());

const regulatorInvitation = (agency = 'NDRC') => {
  sequence += 1;
  return {
    role: 'regulator',
    email: `Officer.${sequence}.${Date.now()}@Example.com`,
    name: `王${sequence}`,
    agency,
    province: '44',
  };
};

const invite = async (token: string, body: object) =>
  harness.request('POST', '/api/admin/users', { token, body });

/** An account the tests need but nobody invites (an enterprise signs itself up; an admin's own account). */
const putAccount = async (fields: Partial<UserAccount> & Pick<UserAccount, 'userId' | 'role'>) => {
  const at = new Date().toISOString();
  const account: UserAccount = {
    email: `${fields.userId.replaceAll(':', '-')}@example.com`,
    name: fields.userId,
    enabled: true,
    state: 'CONFIRMED',
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
  await harness.documentClient.send(
    new PutCommand({ TableName: harness.tableName, Item: accountItem(account) }),
  );
  return account;
};

const auditEvents = async () =>
  (
    await harness.documentClient.send(
      new QueryCommand({
        TableName: harness.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :event)',
        ExpressionAttributeValues: { ':pk': accountAuditPartition, ':event': 'EVENT#' },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

describe('POST /api/admin/users', () => {
  it('invites a regulator: 201 with the account, its e-mail in lower case, no password anywhere', async () => {
    // Arrange
    const invitation = regulatorInvitation();

    // Act
    const response = await invite(tokens.admin, invitation);

    // Assert
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      email: invitation.email.toLowerCase(),
      role: 'regulator',
      agency: 'NDRC',
      province: '44',
      enabled: true,
      state: 'INVITED',
    });
    expect(response.text).not.toMatch(/password/i);
  });

  it('answers 409 account_exists for an address that has an account', async () => {
    // Arrange
    const invitation = regulatorInvitation();
    await invite(tokens.admin, invitation);

    // Act
    const response = await invite(tokens.admin, { ...invitation, name: 'Someone else' });

    // Assert
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'CONFLICT', reason: 'account_exists' });
  });

  it("refuses a national regulator another agency's regulator with 403", async () => {
    // Act
    const response = await invite(tokens.national, regulatorInvitation('SAMR'));

    // Assert
    expect(response.status).toBe(403);
  });
});

describe('GET /api/admin/users', () => {
  it("shows a national regulator its agency's regulators only, searched by the start of the name", async () => {
    // Arrange
    const marker = `检索${Date.now()}`;
    const own = await invite(tokens.admin, { ...regulatorInvitation('NDRC'), name: `${marker}甲` });
    await invite(tokens.admin, { ...regulatorInvitation('SAMR'), name: `${marker}乙` });
    await invite(tokens.admin, {
      role: 'campaign-admin',
      email: `admin.${Date.now()}@example.com`,
      name: `${marker}丙`,
    });

    // Act
    const response = await harness.request('GET', `/api/admin/users?q=${encodeURIComponent(marker)}`, {
      token: tokens.national,
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body.items.map((account: UserAccount) => account.userId)).toEqual([own.body.userId]);
  });

  it('shows a campaign admin every account, newest first', async () => {
    // Arrange
    const marker = `everyone${Date.now()}`;
    const first = await invite(tokens.admin, { ...regulatorInvitation('SAMR'), name: `${marker} one` });
    const second = await invite(tokens.admin, { ...regulatorInvitation('MCA'), name: `${marker} two` });

    // Act
    const response = await harness.request('GET', `/api/admin/users?q=${marker}&limit=5`, {
      token: tokens.admin,
    });

    // Assert
    expect(response.body).toEqual({ items: [second.body, first.body], cursor: null });
  });

  it('refuses a provincial regulator with 403', async () => {
    // Act
    const response = await harness.request('GET', '/api/admin/users', { token: tokens.provincial });

    // Assert
    expect(response.status).toBe(403);
  });
});

describe('account changes', () => {
  it('deactivates, reactivates and resets an account, each change audited by id and role', async () => {
    // Arrange
    const { body: account } = await invite(tokens.admin, regulatorInvitation());
    const path = `/api/admin/users/${account.userId}`;

    // Act
    const disabled = await harness.request('POST', `${path}/disable`, { token: tokens.national });
    const enabled = await harness.request('POST', `${path}/enable`, { token: tokens.national });
    const reset = await harness.request('POST', `${path}/reset`, { token: tokens.national });

    // Assert
    expect([disabled.body.enabled, enabled.body.enabled, reset.body.state]).toEqual([
      false,
      true,
      'RESET_REQUIRED',
    ]);
    const events = (await auditEvents()).filter((event) => event.data.userId === account.userId);
    expect(events.map((event) => [event.type, event.actor.subject, event.data])).toEqual([
      ['ACCOUNT_INVITED', 'local:admin:admin', { userId: account.userId, role: 'regulator' }],
      ['ACCOUNT_DISABLED', 'local:regulator:NDRC:00:officer', { userId: account.userId, role: 'regulator' }],
      ['ACCOUNT_ENABLED', 'local:regulator:NDRC:00:officer', { userId: account.userId, role: 'regulator' }],
      [
        'ACCOUNT_PASSWORD_RESET',
        'local:regulator:NDRC:00:officer',
        { userId: account.userId, role: 'regulator' },
      ],
    ]);
    expect(JSON.stringify(events)).not.toContain(account.email);
  });

  it('refuses an admin to deactivate its own account with 409 own_account', async () => {
    // Arrange
    await putAccount({ userId: 'local:admin:self', role: 'campaign-admin' });

    // Act
    const response = await harness.request(
      'POST',
      `/api/admin/users/${encodeURIComponent('local:admin:self')}/disable`,
      {
        token: tokens.self,
      },
    );

    // Assert
    expect(response.status).toBe(409);
    expect(response.body.error.reason).toBe('own_account');
  });

  it('answers 404 for an unknown account', async () => {
    // Act
    const response = await harness.request('POST', '/api/admin/users/no-such-account/disable', {
      token: tokens.admin,
    });

    // Assert
    expect(response.status).toBe(404);
  });
});

describe('POST /api/admin/users/{id}/link', () => {
  it('links an enterprise account to another with the same credit code, and refuses another code with 409', async () => {
    // Arrange
    const code = enterpriseCode('44', 9_200_000 + (Date.now() % 1000));
    const suffix = Date.now();
    const first = await putAccount({ userId: `first-${suffix}`, role: 'enterprise', creditCode: code });
    const second = await putAccount({ userId: `second-${suffix}`, role: 'enterprise', creditCode: code });
    const stranger = await putAccount({
      userId: `stranger-${suffix}`,
      role: 'enterprise',
      creditCode: enterpriseCode('44', 9_300_000 + (Date.now() % 1000)),
    });

    // Act
    const linked = await harness.request('POST', `/api/admin/users/${second.userId}/link`, {
      token: tokens.admin,
      body: { enterpriseOf: first.userId },
    });
    const refused = await harness.request('POST', `/api/admin/users/${stranger.userId}/link`, {
      token: tokens.admin,
      body: { enterpriseOf: first.userId },
    });

    // Assert
    expect(linked.status).toBe(200);
    expect(linked.body.enterpriseId).toBe(first.userId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.reason).toBe('not_same_enterprise');
  });
});

describe('POST /api/session/sign-out', () => {
  it('answers every role with the time its sessions ended, even an identity with no account here', async () => {
    // Act
    const response = await harness.request('POST', '/api/session/sign-out', { token: tokens.enterprise });

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ signedOutAt: expect.any(String) });
  });
});
