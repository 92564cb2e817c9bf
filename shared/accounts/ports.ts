/**
 * What user management needs besides the account directory (`#shared/ports/accounts`): the audit
 * trail of account changes.
 */

import type { Role } from '#shared/domain/principal';
import type { AccountDirectory } from '#shared/ports/accounts';
import type { AssociationRegistry } from '#shared/ports/associations';

/** Every change user management makes, and the caller's sign-out everywhere (docs/accounts.md). */
export const accountEventTypes = [
  'ACCOUNT_INVITED',
  'ACCOUNT_DISABLED',
  'ACCOUNT_ENABLED',
  'ACCOUNT_PASSWORD_RESET',
  'ACCOUNT_LINKED',
  'ACCOUNT_SIGNED_OUT_EVERYWHERE',
] as const;
export type AccountEventType = (typeof accountEventTypes)[number];

export interface AccountEventDraft {
  type: AccountEventType;
  /** Who acted: a role and its subject. */
  actor: { role: Role; subject: string };
  /**
   * The account acted on, by id and role only: an auditor follows the id to the account; its e-mail
   * and name stay out of the trail. `enterpriseId` is what a link set.
   */
  data: { userId: string; role: Role; enterpriseId?: string };
}

/** The account changes' own audit chain, linked and keyed as the cases' trails are. */
export interface AccountAudit {
  record(event: AccountEventDraft, at: string): Promise<void>;
}

export interface UserManagementDeps {
  directory: AccountDirectory;
  audit: AccountAudit;
  /** Association accounts are for registered associations only. */
  registry: AssociationRegistry;
  now?: () => Date;
}
