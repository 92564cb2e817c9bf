/**
 * The campaign's account directory: Cognito's admin APIs on AWS, the local identity provider's account
 * items in the table on one machine. The use cases in `shared/accounts` manage users only through it.
 */
import type { AccountQuery, NewAccount, UserAccount } from '#shared/domain/account';

export interface AccountDirectory {
  /**
   * Creates the account, in its role, with a temporary password the directory sends to the e-mail
   * address itself (Cognito's invitation message; locally an e-mail through the campaign's SMTP).
   * @throws ConflictError (`reason: account_exists`) when the e-mail already has an account.
   */
  invite(account: NewAccount): Promise<UserAccount>;
  get(userId: string): Promise<UserAccount | undefined>;
  list(query: AccountQuery): Promise<{ items: UserAccount[]; cursor?: string }>;
  /** A disabled account cannot sign in; its tokens lapse at expiry. @throws NotFoundError */
  setEnabled(userId: string, enabled: boolean): Promise<UserAccount>;
  /** Sends a new temporary password; the old password stops working. @throws NotFoundError */
  resetPassword(userId: string): Promise<UserAccount>;
  /** Sets whose complaints an enterprise account sees (`custom:enterpriseId`). @throws NotFoundError */
  setEnterprise(userId: string, enterpriseId: string): Promise<UserAccount>;
  /** Ends every session and refresh token of the account (Cognito's AdminUserGlobalSignOut). */
  signOutEverywhere(userId: string): Promise<void>;
}
