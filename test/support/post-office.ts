/**
 * The local runtime's post office as tests read it: the e-mails to one address, from the web inbox's
 * API with the password `npm start` prints (infra/local/post-office-inbox.ts reads it).
 */
import { mailTo as inboxMailTo, type ReceivedMail } from '#infra/local/post-office-inbox';
import type { LocalRuntime } from '#infra/local/runtime';

export const mailTo = (
  { postOffice }: Pick<LocalRuntime, 'postOffice'>,
  address: string,
): Promise<ReceivedMail[]> => inboxMailTo(postOffice, address);
