/** The account directory a function uses: the user pool when one is configured (AWS), else the table's accounts. */
import { CognitoAccountDirectory, cognitoClient } from '#shared/adapters/cognito-account-directory';
import { TableAccountDirectory } from '#shared/adapters/dynamodb/account-directory';
import { documentClient } from '#shared/adapters/dynamodb/document-client';
import { SmtpEmailSender } from '#shared/adapters/email-senders';
import { ConfigurationError } from '#shared/config';
import type { AccountDirectory } from '#shared/ports/accounts';

export const accountDirectoryFor = (config: {
  TABLE_NAME: string;
  USER_POOL_ID?: string | undefined;
  MAIL_FROM?: string | undefined;
  SMTP_URL?: string | undefined;
  SIGN_IN_URL?: string | undefined;
}): AccountDirectory => {
  if (config.USER_POOL_ID) return new CognitoAccountDirectory(cognitoClient, config.USER_POOL_ID);
  const { MAIL_FROM, SMTP_URL, SIGN_IN_URL } = config;
  if (!MAIL_FROM || !SMTP_URL || !SIGN_IN_URL)
    throw new ConfigurationError('The local account store needs MAIL_FROM, SMTP_URL and SIGN_IN_URL');
  return new TableAccountDirectory(
    documentClient,
    config.TABLE_NAME,
    new SmtpEmailSender(SMTP_URL, MAIL_FROM),
    SIGN_IN_URL,
  );
};
