/**
 * Accounts of the campaign: who may sign in, with which role and attributes. On AWS an account is a
 * Cognito user (its `sub` is the account id, its groups the role, its custom attributes the rest);
 * locally it is an item of the campaign's table that the local OpenID Connect provider signs in.
 */
import type { Agency, Role } from '#shared/domain/principal';

/**
 * Where an account stands with its password. INVITED: created by an admin with a temporary password
 * (Cognito's FORCE_CHANGE_PASSWORD), changed at first sign-in; UNCONFIRMED: signed up, e-mail not yet
 * verified; RESET_REQUIRED: an admin reset it, a new temporary password was sent; CONFIRMED: in use.
 */
export const accountStates = ['INVITED', 'UNCONFIRMED', 'RESET_REQUIRED', 'CONFIRMED'] as const;
export type AccountState = (typeof accountStates)[number];

/** Roles an admin creates by invitation; enterprises sign themselves up. */
export const invitedRoles = ['regulator', 'association', 'campaign-admin'] as const satisfies readonly Role[];
export type InvitedRole = (typeof invitedRoles)[number];

export interface UserAccount {
  /** The token's `sub`: a UUID, stable for the account's life. */
  userId: string;
  /** Lower case; the sign-in name, unique across the campaign. */
  email: string;
  name: string;
  role: Role;
  /** Enterprises and associations. Never changes once set (immutable on Cognito). */
  creditCode?: string;
  /** Regulators. */
  agency?: Agency;
  /** Regulators: a province-level division code, or 00 for national. */
  province?: string;
  /**
   * Enterprises: whose complaints this account sees and files as. Its own `userId` unless an admin
   * linked it to another account of the same enterprise (`custom:enterpriseId`).
   */
  enterpriseId?: string;
  enabled: boolean;
  state: AccountState;
  createdAt: string;
  updatedAt: string;
}

/** An invitation as the directory carries it out: the account to create, with its attributes. */
export type NewAccount =
  | { role: 'regulator'; email: string; name: string; agency: Agency; province: string }
  | { role: 'association'; email: string; name: string; creditCode: string }
  | { role: 'campaign-admin'; email: string; name: string };

/** What a caller may see of accounts; listing is paged by an opaque cursor. */
export interface AccountQuery {
  /** Matches the start of the e-mail, the name or the credit code (case-insensitive). */
  q?: string;
  role?: Role;
  /** Regulators of one agency only (a national regulator's view). */
  agency?: Agency;
  limit: number;
  cursor?: string;
}
