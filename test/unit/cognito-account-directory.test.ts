/**
 * The user pool as the account directory, with the Cognito client mocked: which admin calls each
 * operation makes, how users read as accounts, and Cognito's errors in the campaign's words.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminResetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  ListUsersCommand,
  ListUsersInGroupCommand,
  UserNotFoundException,
  UsernameExistsException,
  type UserStatusType,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoAccountDirectory } from '#shared/adapters/cognito-account-directory';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { parties } from '#test/support/fakes/records';

const poolId = 'ap-east-1_Campaign1';
const created = new Date('2026-11-01T08:00:00.000Z');
const modified = new Date('2026-11-02T08:00:00.000Z');
const cognito = mockClient(CognitoIdentityProviderClient);
const directory = new CognitoAccountDirectory(new CognitoIdentityProviderClient({}), poolId);

const regulatorUser = (sub: string, agency = 'MCA', status: UserStatusType = 'CONFIRMED') => ({
  Username: sub,
  Attributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: `${sub}@example.com` },
    { Name: 'name', Value: `Officer ${sub}` },
    { Name: 'custom:agency', Value: agency },
    { Name: 'custom:province', Value: '11' },
  ],
  Enabled: true,
  UserStatus: status,
  UserCreateDate: created,
  UserLastModifiedDate: modified,
});

const cognitoError = <E>(Refusal: new (options: { message: string; $metadata: object }) => E) =>
  new Refusal({ message: 'refused', $metadata: {} });

beforeEach(() => {
  cognito.reset();
  cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'regulator' }] });
});

describe('CognitoAccountDirectory.invite', () => {
  it('creates the user by e-mail with its attributes, has Cognito e-mail it, and puts it in its role group', async () => {
    // Arrange
    cognito
      .on(AdminCreateUserCommand)
      .resolves({ User: regulatorUser('sub-1', 'MCA', 'FORCE_CHANGE_PASSWORD') });

    // Act
    const account = await directory.invite({
      role: 'regulator',
      email: 'sub-1@example.com',
      name: 'Officer sub-1',
      agency: 'MCA',
      province: '11',
    });

    // Assert
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: poolId,
      Username: 'sub-1@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'sub-1@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Officer sub-1' },
        { Name: 'custom:agency', Value: 'MCA' },
        { Name: 'custom:province', Value: '11' },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: poolId,
      Username: 'sub-1',
      GroupName: 'regulator',
    });
    expect(account).toEqual({
      userId: 'sub-1',
      email: 'sub-1@example.com',
      name: 'Officer sub-1',
      role: 'regulator',
      agency: 'MCA',
      province: '11',
      enabled: true,
      state: 'INVITED',
      createdAt: created.toISOString(),
      updatedAt: modified.toISOString(),
    });
  });

  it("sets an association's credit code", async () => {
    // Arrange
    cognito.on(AdminCreateUserCommand).resolves({ User: regulatorUser('sub-2') });

    // Act
    await directory.invite({
      role: 'association',
      email: 'a@example.com',
      name: 'A',
      creditCode: parties.associationCode,
    });

    // Assert
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.UserAttributes).toContainEqual({
      Name: 'custom:creditCode',
      Value: parties.associationCode,
    });
  });

  it('answers account_exists when Cognito has the user name already', async () => {
    // Arrange
    cognito.on(AdminCreateUserCommand).rejects(cognitoError(UsernameExistsException));

    // Act
    const inviting = directory.invite({ role: 'campaign-admin', email: 'a@example.com', name: 'A' });

    // Assert
    await expect(inviting).rejects.toMatchObject({ constructor: ConflictError, reason: 'account_exists' });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toEqual([]);
  });
});

describe('CognitoAccountDirectory.get', () => {
  it.each([
    ['FORCE_CHANGE_PASSWORD', 'INVITED'],
    ['UNCONFIRMED', 'UNCONFIRMED'],
    ['RESET_REQUIRED', 'RESET_REQUIRED'],
    ['CONFIRMED', 'CONFIRMED'],
  ] as const)('reads the status %s as %s', async (status, state) => {
    // Arrange
    const { Attributes, ...user } = regulatorUser('sub-1', 'MCA', status);
    cognito.on(AdminGetUserCommand).resolves({ ...user, UserAttributes: Attributes });

    // Act
    const account = await directory.get('sub-1');

    // Assert
    expect(account?.state).toBe(state);
  });

  it('takes the role from the group, and reads a user in no group as an enterprise awaiting its group', async () => {
    // Arrange
    cognito
      .on(AdminGetUserCommand)
      .resolves({ Username: 'sub-9', UserAttributes: [{ Name: 'sub', Value: 'sub-9' }] });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [] });

    // Act
    const account = await directory.get('sub-9');

    // Assert
    expect(account?.role).toBe('enterprise');
  });

  it('answers undefined for an unknown user', async () => {
    // Arrange
    cognito.on(AdminGetUserCommand).rejects(cognitoError(UserNotFoundException));

    // Act
    const account = await directory.get('nobody');

    // Assert
    expect(account).toBeUndefined();
  });
});

describe('CognitoAccountDirectory.list', () => {
  it('filters the whole pool by the start of the e-mail when asked no role, and names each role', async () => {
    // Arrange
    cognito.on(ListUsersCommand).resolves({ Users: [regulatorUser('sub-1')], PaginationToken: 'next' });

    // Act
    const page = await directory.list({ q: 'Sub"1', limit: 20 });

    // Assert
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input).toEqual({
      UserPoolId: poolId,
      Limit: 20,
      PaginationToken: undefined,
      Filter: 'email ^= "sub\\"1"',
    });
    expect(page).toMatchObject({ items: [{ userId: 'sub-1', role: 'regulator' }], cursor: 'next' });
  });

  it("lists a role's group and keeps the agency's accounts matching q among those read", async () => {
    // Arrange
    cognito.on(ListUsersInGroupCommand).resolves({
      Users: [regulatorUser('mca-1'), regulatorUser('samr-1', 'SAMR'), regulatorUser('other', 'MCA')],
    });

    // Act
    const page = await directory.list({
      role: 'regulator',
      agency: 'MCA',
      q: 'officer mca',
      limit: 10,
      cursor: 'token',
    });

    // Assert
    expect(cognito.commandCalls(ListUsersInGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: poolId,
      GroupName: 'regulator',
      Limit: 10,
      NextToken: 'token',
    });
    expect(page.items.map((account) => account.userId)).toEqual(['mca-1']);
    expect(page.cursor).toBeUndefined();
  });

  it('asks Cognito for at most 60 users, its own limit', async () => {
    // Arrange
    cognito.on(ListUsersCommand).resolves({ Users: [] });

    // Act
    await directory.list({ limit: 100 });

    // Assert
    expect(cognito.commandCalls(ListUsersCommand)[0]?.args[0].input.Limit).toBe(60);
  });

  it('refuses a cursor Cognito did not hand out as a validation error', async () => {
    // Arrange
    cognito.on(ListUsersCommand).rejects(cognitoError(InvalidParameterException));

    // Act
    const listing = directory.list({ limit: 20, cursor: 'forged' });

    // Assert
    await expect(listing).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('CognitoAccountDirectory changes', () => {
  beforeEach(() => {
    const { Attributes, ...user } = regulatorUser('sub-1');
    cognito.on(AdminGetUserCommand).resolves({ ...user, UserAttributes: Attributes });
  });

  it('disables the user and signs it out everywhere', async () => {
    // Act
    await directory.setEnabled('sub-1', false);

    // Assert
    const input = { UserPoolId: poolId, Username: 'sub-1' };
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]?.args[0].input).toEqual(input);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual(input);
  });

  it('enables the user', async () => {
    // Act
    await directory.setEnabled('sub-1', true);

    // Assert
    expect(cognito.commandCalls(AdminEnableUserCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)).toEqual([]);
  });

  it('resets the password', async () => {
    // Act
    await directory.resetPassword('sub-1');

    // Assert
    expect(cognito.commandCalls(AdminResetUserPasswordCommand)[0]?.args[0].input).toEqual({
      UserPoolId: poolId,
      Username: 'sub-1',
    });
  });

  it('sets the enterprise the account files as in custom:enterpriseId', async () => {
    // Act
    await directory.setEnterprise('sub-1', 'sub-0');

    // Assert
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input).toEqual({
      UserPoolId: poolId,
      Username: 'sub-1',
      UserAttributes: [{ Name: 'custom:enterpriseId', Value: 'sub-0' }],
    });
  });

  it("signs the caller's user out everywhere", async () => {
    // Act
    await directory.signOutEverywhere('sub-1');

    // Assert
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({
      UserPoolId: poolId,
      Username: 'sub-1',
    });
  });

  it('answers NotFound for a change of an unknown user', async () => {
    // Arrange
    cognito.on(AdminDisableUserCommand).rejects(cognitoError(UserNotFoundException));

    // Act
    const disabling = directory.setEnabled('nobody', false);

    // Assert
    await expect(disabling).rejects.toBeInstanceOf(NotFoundError);
  });
});
