/**
 * The local runtime's post office as tests read it: the e-mails its SMTP server received, from the web
 * inbox's API with the password `npm start` prints.
 */
import type { LocalRuntime } from '#infra/local/runtime';

export interface ReceivedMail {
  subject: string;
  text: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

export const receivedMail = async ({
  postOffice,
}: Pick<LocalRuntime, 'postOffice'>): Promise<ReceivedMail[]> => {
  const response = await fetch(`${postOffice.inboxUrl}/api/email`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${postOffice.user}:${postOffice.password}`).toString('base64')}`,
    },
  });
  return (await response.json()) as ReceivedMail[];
};

export const mailTo = async (
  runtime: Pick<LocalRuntime, 'postOffice'>,
  address: string,
): Promise<ReceivedMail[]> =>
  (await receivedMail(runtime)).filter((mail) => mail.to.some((to) => to.address === address));
