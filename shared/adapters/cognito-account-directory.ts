/**
 * The user pool behind the user-management port (docs/accounts.md, "On AWS"). An account is a Cognito
 * user: its `sub` is the account id (the pool signs in by e-mail, so the admin APIs take the `sub` as
 * the user name), its group the role, its custom attributes the rest. Cognito e-mails the invitation
 * and the reset code itself.
 *
 * Listing is what ListUsers allows: it filters on standard attributes only and on one at a time, so
 * `q` alone matches the start of the e-mail (`email ^= q`); a role lists that group (ListUsersInGroup,
 * which filters nothing) and `q` and the agency are then matched on each page as read, so such a page
 * may hold fewer accounts than asked, or none, while its cursor leads on.
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
  type AttributeType,
  CognitoIdentityProviderClient,
  InvalidParameterException,
  ListUsersCommand,
  ListUsersInGroupCommand,
  UserNotFoundException,
  UsernameExistsException,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { callDependency } from '#shared/adapters/aws-errors';
import type { AccountQuery, AccountState, NewAccount, UserAccount } from '#shared/domain/account';
import { ConflictError, NotFoundError, ValidationError } from '#shared/domain/errors';
import { type Agency, type Role, roles } from '#shared/domain/principal';
import type { AccountDirectory } from '#shared/ports/accounts';

export const cognitoClient = new CognitoIdentityProviderClient({});

const states: Record<string, AccountState> = {
  FORCE_CHANGE_PASSWORD: 'INVITED',
  UNCONFIRMED: 'UNCONFIRMED',
  RESET_REQUIRED: 'RESET_REQUIRED',
  CONFIRMED: 'CONFIRMED',
};

/** What a user looks like in either answer: ListUsers' `Attributes`, AdminGetUser's `UserAttributes`. */
interface CognitoUser {
  Username?: string | undefined;
  Attributes?: AttributeType[] | undefined;
  Enabled?: boolean | undefined;
  UserStatus?: string | undefined;
  UserCreateDate?: Date | undefined;
  UserLastModifiedDate?: Date | undefined;
}

const attributesOf = (account: NewAccount): AttributeType[] => [
  { Name: 'email', Value: account.email },
  { Name: 'email_verified', Value: 'true' },
  { Name: 'name', Value: account.name },
  ...(account.role === 'regulator'
    ? [
        { Name: 'custom:agency', Value: account.agency },
        { Name: 'custom:province', Value: account.province },
      ]
    : []),
  ...(account.role === 'association' ? [{ Name: 'custom:creditCode', Value: account.creditCode }] : []),
];

const accountOf = (user: CognitoUser, role: Role): UserAccount => {
  const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
  const optional = <K extends keyof UserAccount>(key: K, name: string) => {
    const value = attribute(name);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    userId: attribute('sub') ?? user.Username ?? '',
    email: attribute('email') ?? '',
    name: attribute('name') ?? '',
    role,
    ...optional('creditCode', 'custom:creditCode'),
    ...(optional('agency', 'custom:agency') as { agency?: Agency }),
    ...optional('province', 'custom:province'),
    ...optional('enterpriseId', 'custom:enterpriseId'),
    enabled: user.Enabled !== false,
    // A state user management has no word for (an external or archived user) reads as in use.
    state: states[user.UserStatus ?? ''] ?? 'CONFIRMED',
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
    updatedAt: (user.UserLastModifiedDate ?? user.UserCreateDate ?? new Date(0)).toISOString(),
  };
};

const matches = (account: UserAccount, query: AccountQuery): boolean =>
  (query.agency === undefined || account.agency === query.agency) &&
  (query.q === undefined ||
    [account.email, account.name, account.creditCode ?? ''].some((field) =>
      field.toLowerCase().startsWith(query.q?.toLowerCase() ?? ''),
    ));

/** A filter value inside ListUsers' quoted string. */
const quoted = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`;

/** Puts a user in the group of its role (the pool's post-confirmation trigger, for a signed-up enterprise). */
export const addToGroup = async (
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
  role: Role,
): Promise<void> => {
  await callDependency('Cognito', () =>
    cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: role }),
    ),
  );
};

/** Cognito's page size limit. */
const maxPage = 60;

export class CognitoAccountDirectory implements AccountDirectory {
  constructor(
    private readonly cognito: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async invite(account: NewAccount): Promise<UserAccount> {
    const created = await this.call(() =>
      this.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: account.email,
          UserAttributes: attributesOf(account),
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      ),
    );
    const user = created.User ?? {};
    const invited = accountOf(user, account.role);
    await this.call(() => addToGroup(this.cognito, this.userPoolId, invited.userId, account.role));
    return invited;
  }

  async get(userId: string): Promise<UserAccount | undefined> {
    try {
      const user = await this.call(() =>
        this.cognito.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: userId })),
      );
      return accountOf({ ...user, Attributes: user.UserAttributes }, await this.roleOf(userId));
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async list(query: AccountQuery): Promise<{ items: UserAccount[]; cursor?: string }> {
    const limit = Math.min(query.limit, maxPage);
    const cursor = query.cursor;
    try {
      if (query.role) {
        const role = query.role;
        const page = await callDependency('Cognito', () =>
          this.cognito.send(
            new ListUsersInGroupCommand({
              UserPoolId: this.userPoolId,
              GroupName: role,
              Limit: limit,
              NextToken: cursor,
            }),
          ),
        );
        return {
          items: (page.Users ?? []).map((user) => accountOf(user, role)).filter((a) => matches(a, query)),
          ...(page.NextToken ? { cursor: page.NextToken } : {}),
        };
      }
      const page = await callDependency('Cognito', () =>
        this.cognito.send(
          new ListUsersCommand({
            UserPoolId: this.userPoolId,
            Limit: limit,
            PaginationToken: cursor,
            ...(query.q ? { Filter: `email ^= ${quoted(query.q.toLowerCase())}` } : {}),
          }),
        ),
      );
      const users: UserType[] = page.Users ?? [];
      const items = await Promise.all(
        users.map(async (user) => accountOf(user, await this.roleOf(user.Username ?? ''))),
      );
      return { items, ...(page.PaginationToken ? { cursor: page.PaginationToken } : {}) };
    } catch (error) {
      // Cognito refuses a pagination token it did not hand out, as the table refuses a foreign cursor.
      if (cursor !== undefined && error instanceof InvalidParameterException)
        throw new ValidationError(
          'The cursor is not valid',
          [{ path: 'cursor', code: 'unknown_cursor', message: 'unknown cursor' }],
          { cause: error },
        );
      throw error;
    }
  }

  async setEnabled(userId: string, enabled: boolean): Promise<UserAccount> {
    const input = { UserPoolId: this.userPoolId, Username: userId };
    if (enabled) {
      await this.call(() => this.cognito.send(new AdminEnableUserCommand(input)));
    } else {
      await this.call(() => this.cognito.send(new AdminDisableUserCommand(input)));
      // A disabled user cannot sign in, but its refresh tokens would still work until revoked.
      await this.call(() => this.cognito.send(new AdminUserGlobalSignOutCommand(input)));
    }
    return this.current(userId);
  }

  async resetPassword(userId: string): Promise<UserAccount> {
    await this.call(() =>
      this.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: userId })),
    );
    return this.current(userId);
  }

  async setEnterprise(userId: string, enterpriseId: string): Promise<UserAccount> {
    await this.call(() =>
      this.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: this.userPoolId,
          Username: userId,
          UserAttributes: [{ Name: 'custom:enterpriseId', Value: enterpriseId }],
        }),
      ),
    );
    return this.current(userId);
  }

  async signOutEverywhere(userId: string): Promise<void> {
    await this.call(() =>
      this.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: userId })),
    );
  }

  private async current(userId: string): Promise<UserAccount> {
    const account = await this.get(userId);
    if (!account) throw new NotFoundError('No such account');
    return account;
  }

  /** The role is the user's group; a user in none signed itself up and awaits its group (an enterprise). */
  private async roleOf(userId: string): Promise<Role> {
    const { Groups } = await this.call(() =>
      this.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: userId })),
    );
    const names = (Groups ?? []).map((group) => group.GroupName);
    return roles.find((role) => names.includes(role)) ?? 'enterprise';
  }

  /** One admin call, with Cognito's answers for a taken address and an unknown user in the campaign's words. */
  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await callDependency('Cognito', send);
    } catch (error) {
      if (error instanceof UsernameExistsException)
        throw new ConflictError('This e-mail address already has an account', {
          reason: 'account_exists',
          cause: error,
        });
      if (error instanceof UserNotFoundException)
        throw new NotFoundError('No such account', { cause: error });
      throw error;
    }
  }
}
