/**
 * User management over an in-memory directory: who may list, invite and change which accounts, the
 * rules of deactivation and enterprise links, and the audit event every change leaves.
 */
import { describe, expect, it } from 'vitest';
import { associationCode, registeredAssociation } from '#infra/local/campaign-fixtures';
import { disableUser, enableUser, linkEnterprise, resetUserPassword } from '#shared/accounts/change-user';
import { inviteUser } from '#shared/accounts/invite-user';
import { listUsers } from '#shared/accounts/list-users';
import { signOutEverywhere } from '#shared/accounts/sign-out-everywhere';
import type { UserAccount } from '#shared/domain/account';
import { ConflictError, ForbiddenRoleError, NotFoundError, ValidationError } from '#shared/domain/errors';
import type { Principal } from '#shared/domain/principal';
import { createdAt, InMemoryAccountDirectory, RecordingAccountAudit } from '#test/support/fakes/accounts';
import { parties, principals } from '#test/support/fakes/records';
import { InMemoryAssociationRegistry } from '#test/support/fakes/registry';

const now = new Date('2026-11-20T02:00:00.000Z');
const at = now.toISOString();

const admin: Principal = { role: 'campaign-admin', subject: 'admin-account' };
const national: Principal = { role: 'regulator', subject: 'national-mca', agency: 'MCA', province: '00' };
const provincial: Principal = { role: 'regulator', subject: 'mca-11', agency: 'MCA', province: '11' };

const account = (userId: string, fields: Partial<UserAccount> = {}): UserAccount => ({
  userId,
  email: `${userId}@example.com`,
  name: userId,
  role: 'regulator',
  agency: 'MCA',
  province: '11',
  enabled: true,
  state: 'CONFIRMED',
  createdAt,
  updatedAt: createdAt,
  ...fields,
});

const accounts = {
  mcaOfficer: account('mca-officer'),
  samrOfficer: account('samr-officer', { agency: 'SAMR' }),
  association: {
    ...account('association'),
    role: 'association',
    creditCode: parties.associationCode,
    agency: undefined,
    province: undefined,
  },
  adminAccount: {
    ...account('admin-account'),
    role: 'campaign-admin',
    agency: undefined,
    province: undefined,
  },
  enterprise: {
    ...account('enterprise-a'),
    role: 'enterprise',
    creditCode: parties.enterpriseCode,
    agency: undefined,
    province: undefined,
  },
  sameEnterprise: {
    ...account('enterprise-b'),
    role: 'enterprise',
    creditCode: parties.enterpriseCode,
    agency: undefined,
    province: undefined,
  },
  otherEnterprise: {
    ...account('enterprise-c'),
    role: 'enterprise',
    creditCode: parties.otherEnterpriseCode,
    agency: undefined,
    province: undefined,
  },
} satisfies Record<string, UserAccount>;

const setUp = () => {
  const directory = new InMemoryAccountDirectory(Object.values(accounts));
  const audit = new RecordingAccountAudit();
  const registry = new InMemoryAssociationRegistry([
    registeredAssociation(parties.associationCode),
    registeredAssociation(parties.otherAssociationCode),
  ]);
  return { directory, audit, deps: { directory, audit, registry, now: () => now } };
};

const regulatorInvitation = (agency: string, province = '11') => ({
  role: 'regulator',
  email: 'New.Officer@Example.com',
  name: '李明',
  agency,
  province,
});

describe('listUsers', () => {
  it('lists every account for a campaign admin, narrowed by the role asked', async () => {
    // Arrange
    const { directory } = setUp();

    // Act
    const page = await listUsers(directory, admin, { role: 'enterprise', q: 'Enterprise' });

    // Assert
    expect(page.items.map((a) => a.userId)).toEqual(['enterprise-a', 'enterprise-b', 'enterprise-c']);
    expect(page.cursor).toBeNull();
    expect(directory.lastQuery).toEqual({ role: 'enterprise', q: 'enterprise', limit: 20 });
  });

  it('lists a national regulator the regulators of its own agency only', async () => {
    // Arrange
    const { directory } = setUp();

    // Act
    const page = await listUsers(directory, national, {});

    // Assert
    expect(page.items.map((a) => a.userId)).toEqual(['mca-officer']);
    expect(directory.lastQuery).toEqual({ role: 'regulator', agency: 'MCA', limit: 20 });
  });

  it('refuses a national regulator the accounts of another role', async () => {
    // Arrange
    const { directory } = setUp();

    // Act
    const listing = listUsers(directory, national, { role: 'association' });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it.each([
    ['a provincial regulator', provincial],
    ['an enterprise', principals.enterprise as Principal],
    ['an association', principals.association as Principal],
  ])('refuses %s', async (_name, caller) => {
    // Arrange
    const { directory } = setUp();

    // Act
    const listing = listUsers(directory, caller, {});

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ForbiddenRoleError);
    expect(directory.lastQuery).toBeUndefined();
  });
});

describe('inviteUser', () => {
  it('creates the account with its e-mail in lower case and audits the invitation by id and role', async () => {
    // Arrange
    const { deps, directory, audit } = setUp();

    // Act
    const invited = await inviteUser(deps, admin, {
      role: 'association',
      email: 'Office@Association.example.com',
      name: '某某行业协会',
      creditCode: parties.otherAssociationCode,
    });

    // Assert
    expect(directory.accounts.get(invited.userId)).toMatchObject({
      email: 'office@association.example.com',
      role: 'association',
      creditCode: parties.otherAssociationCode,
      state: 'INVITED',
    });
    expect(audit.events).toEqual([
      {
        type: 'ACCOUNT_INVITED',
        actor: { role: 'campaign-admin', subject: 'admin-account' },
        data: { userId: invited.userId, role: 'association' },
        at,
      },
    ]);
  });

  it('lets a national regulator invite a regulator of its own agency, in any province', async () => {
    // Arrange
    const { deps, audit } = setUp();

    // Act
    const invited = await inviteUser(deps, national, regulatorInvitation('MCA', '44'));

    // Assert
    expect(invited).toMatchObject({ role: 'regulator', agency: 'MCA', province: '44' });
    expect(audit.events.map((event) => event.actor)).toEqual([
      { role: 'regulator', subject: 'national-mca' },
    ]);
  });

  it.each([
    ['a regulator of another agency', regulatorInvitation('SAMR')],
    ['a campaign admin', { role: 'campaign-admin', email: 'a@example.com', name: 'A' }],
    [
      'an association',
      { role: 'association', email: 'a@example.com', name: 'A', creditCode: parties.otherAssociationCode },
    ],
  ])('refuses a national regulator inviting %s', async (_name, invitation) => {
    // Arrange
    const { deps, directory, audit } = setUp();
    const before = directory.accounts.size;

    // Act
    const inviting = inviteUser(deps, national, invitation);

    // Assert
    await expect(inviting).rejects.toBeInstanceOf(ForbiddenRoleError);
    expect(directory.accounts.size).toBe(before);
    expect(audit.events).toEqual([]);
  });

  it('refuses a provincial regulator, even for its own agency', async () => {
    // Arrange
    const { deps } = setUp();

    // Act
    const inviting = inviteUser(deps, provincial, regulatorInvitation('MCA'));

    // Assert
    await expect(inviting).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it('answers account_exists for an e-mail that has an account, and audits nothing', async () => {
    // Arrange
    const { deps, audit } = setUp();

    // Act
    const inviting = inviteUser(deps, admin, {
      role: 'campaign-admin',
      email: 'MCA-officer@example.com',
      name: 'Again',
    });

    // Assert
    await expect(inviting).rejects.toMatchObject({ constructor: ConflictError, reason: 'account_exists' });
    expect(audit.events).toEqual([]);
  });

  it('refuses an association the register does not list, and creates and audits nothing', async () => {
    // Arrange
    const { deps, directory, audit } = setUp();
    const accountsBefore = directory.accounts.size;

    // Act
    const inviting = inviteUser(deps, admin, {
      role: 'association',
      email: 'office@unlisted.example.com',
      name: '未登记协会',
      creditCode: associationCode('11', 9_999),
    });

    // Assert
    await expect(inviting).rejects.toMatchObject({
      constructor: ValidationError,
      issues: [expect.objectContaining({ path: 'creditCode', code: 'not_registered' })],
    });
    expect(directory.accounts.size).toBe(accountsBefore);
    expect(audit.events).toEqual([]);
  });

  it('refuses an invitation of an enterprise: enterprises sign themselves up', async () => {
    // Arrange
    const { deps } = setUp();

    // Act
    const inviting = inviteUser(deps, admin, {
      role: 'enterprise',
      email: 'e@example.com',
      name: 'E',
      creditCode: parties.enterpriseCode,
    });

    // Assert
    await expect(inviting).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('disableUser', () => {
  it('deactivates the account and audits it by id and role', async () => {
    // Arrange
    const { deps, directory, audit } = setUp();

    // Act
    const disabled = await disableUser(deps, admin, { id: 'association' });

    // Assert
    expect(disabled.enabled).toBe(false);
    expect(directory.accounts.get('association')?.enabled).toBe(false);
    expect(audit.events).toEqual([
      {
        type: 'ACCOUNT_DISABLED',
        actor: { role: 'campaign-admin', subject: 'admin-account' },
        data: { userId: 'association', role: 'association' },
        at,
      },
    ]);
  });

  it('changes and audits nothing for an account already deactivated', async () => {
    // Arrange
    const { deps, audit } = setUp();
    await disableUser(deps, admin, { id: 'association' });

    // Act
    const again = await disableUser(deps, admin, { id: 'association' });

    // Assert
    expect(again.enabled).toBe(false);
    expect(audit.events).toHaveLength(1);
  });

  it('refuses an admin its own account with own_account', async () => {
    // Arrange
    const { deps, directory } = setUp();

    // Act
    const disabling = disableUser(deps, admin, { id: 'admin-account' });

    // Assert
    await expect(disabling).rejects.toMatchObject({ constructor: ConflictError, reason: 'own_account' });
    expect(directory.accounts.get('admin-account')?.enabled).toBe(true);
  });

  it('lets a national regulator deactivate a regulator of its agency', async () => {
    // Arrange
    const { deps } = setUp();

    // Act
    const disabled = await disableUser(deps, national, { id: 'mca-officer' });

    // Assert
    expect(disabled.enabled).toBe(false);
  });

  it.each(['samr-officer', 'association', 'admin-account'])(
    'refuses a national regulator the account %s',
    async (id) => {
      // Arrange
      const { deps, directory } = setUp();

      // Act
      const disabling = disableUser(deps, national, { id });

      // Assert
      await expect(disabling).rejects.toBeInstanceOf(ForbiddenRoleError);
      expect(directory.accounts.get(id)?.enabled).toBe(true);
    },
  );

  it('refuses a provincial regulator before looking the account up', async () => {
    // Arrange
    const { deps } = setUp();

    // Act
    const disabling = disableUser(deps, provincial, { id: 'no-such-account' });

    // Assert
    await expect(disabling).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it('answers NotFound for an unknown account', async () => {
    // Arrange
    const { deps } = setUp();

    // Act
    const disabling = disableUser(deps, admin, { id: 'no-such-account' });

    // Assert
    await expect(disabling).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('enableUser', () => {
  it('reactivates a deactivated account and audits it', async () => {
    // Arrange
    const { deps, audit } = setUp();
    await disableUser(deps, admin, { id: 'mca-officer' });

    // Act
    const enabled = await enableUser(deps, national, { id: 'mca-officer' });

    // Assert
    expect(enabled.enabled).toBe(true);
    expect(audit.events.map((event) => event.type)).toEqual(['ACCOUNT_DISABLED', 'ACCOUNT_ENABLED']);
  });

  it('changes and audits nothing for an account already active', async () => {
    // Arrange
    const { deps, audit } = setUp();

    // Act
    await enableUser(deps, admin, { id: 'mca-officer' });

    // Assert
    expect(audit.events).toEqual([]);
  });
});

describe('resetUserPassword', () => {
  it('has the directory send a new temporary password and audits the reset', async () => {
    // Arrange
    const { deps, directory, audit } = setUp();

    // Act
    const reset = await resetUserPassword(deps, national, { id: 'mca-officer' });

    // Assert
    expect(reset.state).toBe('RESET_REQUIRED');
    expect(directory.resets).toEqual(['mca-officer']);
    expect(audit.events).toEqual([
      {
        type: 'ACCOUNT_PASSWORD_RESET',
        actor: { role: 'regulator', subject: 'national-mca' },
        data: { userId: 'mca-officer', role: 'regulator' },
        at,
      },
    ]);
  });

  it("refuses a national regulator another agency's regulator", async () => {
    // Arrange
    const { deps, directory } = setUp();

    // Act
    const resetting = resetUserPassword(deps, national, { id: 'samr-officer' });

    // Assert
    await expect(resetting).rejects.toBeInstanceOf(ForbiddenRoleError);
    expect(directory.resets).toEqual([]);
  });
});

describe('linkEnterprise', () => {
  it('makes the account file and see complaints as the other account, and audits the link', async () => {
    // Arrange
    const { deps, audit } = setUp();

    // Act
    const linked = await linkEnterprise(
      deps,
      admin,
      { id: 'enterprise-b' },
      { enterpriseOf: 'enterprise-a' },
    );

    // Assert
    expect(linked.enterpriseId).toBe('enterprise-a');
    expect(audit.events).toEqual([
      {
        type: 'ACCOUNT_LINKED',
        actor: { role: 'campaign-admin', subject: 'admin-account' },
        data: { userId: 'enterprise-b', role: 'enterprise', enterpriseId: 'enterprise-a' },
        at,
      },
    ]);
  });

  it('joins the enterprise the other account is already linked to', async () => {
    // Arrange
    const { deps, directory } = setUp();
    directory.accounts.set('enterprise-a', { ...accounts.enterprise, enterpriseId: 'enterprise-first' });

    // Act
    const linked = await linkEnterprise(
      deps,
      admin,
      { id: 'enterprise-b' },
      { enterpriseOf: 'enterprise-a' },
    );

    // Assert
    expect(linked.enterpriseId).toBe('enterprise-first');
  });

  it.each([
    ['another credit code', 'enterprise-c'],
    ['an account that is no enterprise', 'association'],
  ])('refuses a link to %s with not_same_enterprise', async (_name, other) => {
    // Arrange
    const { deps, directory, audit } = setUp();

    // Act
    const linking = linkEnterprise(deps, admin, { id: 'enterprise-a' }, { enterpriseOf: other });

    // Assert
    await expect(linking).rejects.toMatchObject({
      constructor: ConflictError,
      reason: 'not_same_enterprise',
    });
    expect(directory.accounts.get('enterprise-a')?.enterpriseId).toBeUndefined();
    expect(audit.events).toEqual([]);
  });

  it('refuses everyone but a campaign admin, national regulators included', async () => {
    // Arrange
    const { deps } = setUp();

    // Act
    const linking = linkEnterprise(deps, national, { id: 'enterprise-b' }, { enterpriseOf: 'enterprise-a' });

    // Assert
    await expect(linking).rejects.toBeInstanceOf(ForbiddenRoleError);
  });

  it('answers NotFound when the other account is unknown', async () => {
    // Arrange
    const { deps } = setUp();

    // Act
    const linking = linkEnterprise(deps, admin, { id: 'enterprise-b' }, { enterpriseOf: 'nobody' });

    // Assert
    await expect(linking).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('signOutEverywhere', () => {
  it.each([
    ['an enterprise', principals.enterprise as Principal],
    ['an association', principals.association as Principal],
    ['a provincial regulator', provincial],
    ['a campaign admin', admin],
  ])("ends the sessions of the caller's own account for %s, and audits it", async (_name, caller) => {
    // Arrange
    const { deps, directory, audit } = setUp();
    const subject = 'subject' in caller ? caller.subject : '';

    // Act
    const signedOut = await signOutEverywhere(deps, caller);

    // Assert
    expect(signedOut).toEqual({ signedOutAt: at });
    expect(directory.signedOut).toEqual([subject]);
    expect(audit.events).toEqual([
      {
        type: 'ACCOUNT_SIGNED_OUT_EVERYWHERE',
        actor: { role: caller.role, subject },
        data: { userId: subject, role: caller.role },
        at,
      },
    ]);
  });
});
