/** Messages of user management: an account as admins see it, invitations, the list and its query. */

import { accountStates } from '#shared/domain/account';
import { CreditCode, RegulatorProvince } from '#shared/domain/credit-code';
import { PageCursor, PageLimit } from '#shared/domain/paging';
import { agencies, roles } from '#shared/domain/principal';
import * as z from '#shared/domain/schema';

const Email = z
  .email({ message: 'must be an e-mail address' })
  .check(z.maxLength(254))
  .register(z.globalRegistry, { description: 'Sign-in name; stored in lower case' });
const PersonName = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));

export const UserAccountView = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(roles),
    creditCode: z.optional(z.string()),
    agency: z.optional(z.enum(agencies)),
    province: z.optional(z.string()),
    enterpriseId: z.optional(z.string()),
    enabled: z.boolean(),
    state: z.enum(accountStates),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, {
    id: 'UserAccount',
    description: 'An account of the campaign as user management shows it; never a password',
  });

export const UserInvitation = z
  .discriminatedUnion('role', [
    z.strictObject({
      role: z.literal('regulator'),
      email: Email,
      name: PersonName,
      agency: z.enum(agencies),
      province: RegulatorProvince,
    }),
    z.strictObject({
      role: z.literal('association'),
      email: Email,
      name: PersonName,
      creditCode: CreditCode,
    }),
    z.strictObject({ role: z.literal('campaign-admin'), email: Email, name: PersonName }),
  ])
  .register(z.globalRegistry, {
    id: 'UserInvitation',
    description:
      'A new account: a regulator with agency and province, an association with its credit code, or a campaign admin. A temporary password goes to the e-mail address.',
  });

export const UserQuery = z
  .strictObject({
    q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
    role: z.optional(z.enum(roles)),
    limit: PageLimit,
    cursor: PageCursor,
  })
  .register(z.globalRegistry, { id: 'UserQuery' });

export const UserList = z
  .object({ items: z.array(UserAccountView), cursor: z.nullable(z.string()) })
  .register(z.globalRegistry, { id: 'UserList' });

export const UserPath = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(128)) });

export const EnterpriseLink = z
  .strictObject({
    enterpriseOf: z.string().check(z.minLength(1), z.maxLength(128)).register(z.globalRegistry, {
      description: 'Another enterprise account with the same credit code, whose complaints this one shares',
    }),
  })
  .register(z.globalRegistry, { id: 'EnterpriseLink' });

export type UserAccountView = z.infer<typeof UserAccountView>;
export type UserInvitation = z.infer<typeof UserInvitation>;
export type UserQuery = z.infer<typeof UserQuery>;
export type UserList = z.infer<typeof UserList>;
export type EnterpriseLink = z.infer<typeof EnterpriseLink>;
