/**
 * Reading the local post office's web inbox from beside the runtime (scripts, tests): the e-mails
 * its SMTP server received, through maildev's API with the post office's basic-auth credentials. A
 * script finds the inbox in the data folder: its port in `post-office.json`, the password
 * `postOfficePassword` in `secrets.json`.
 */
import { readFile } from 'node:fs/promises';
import { postOfficeFile, secretsFile } from '#infra/local/runtime-record';

export const postOfficeUser = 'campaign';

/** What reading the web inbox takes: its address and the post office's credentials. */
export interface PostOfficeInbox {
  inboxUrl: string;
  user: string;
  password: string;
}

/** An e-mail as maildev's `/api/email` lists it (oldest first), by the fields read here. */
export interface ReceivedMail {
  subject: string;
  text: string;
  to: { address: string }[];
  headers: Record<string, string>;
}

/** The e-mails to `address`, oldest first. */
export const mailTo = async (inbox: PostOfficeInbox, address: string): Promise<ReceivedMail[]> => {
  const response = await fetch(`${inbox.inboxUrl}/api/email`, {
    headers: { authorization: `Basic ${Buffer.from(`${inbox.user}:${inbox.password}`).toString('base64')}` },
  });
  if (!response.ok) throw new Error(`The mail inbox at ${inbox.inboxUrl} answered ${response.status}`);
  const mails = (await response.json()) as ReceivedMail[];
  return mails.filter((mail) => mail.to.some((to) => to.address === address));
};

/** The inbox of the runtime that last started on `dataDir`, or undefined if none did. */
export const readPostOfficeInbox = async (dataDir: string): Promise<PostOfficeInbox | undefined> => {
  const read = async <T>(file: string) => JSON.parse(await readFile(file, 'utf8')) as T;
  const [ports, secrets] = await Promise.all([
    read<{ inboxPort: number }>(postOfficeFile(dataDir)),
    read<{ postOfficePassword: string }>(secretsFile(dataDir)),
  ]).catch(() => []);
  if (!ports || !secrets) return undefined;
  return {
    inboxUrl: `http://127.0.0.1:${ports.inboxPort}`,
    user: postOfficeUser,
    password: secrets.postOfficePassword,
  };
};
