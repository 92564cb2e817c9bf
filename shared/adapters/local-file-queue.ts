/**
 * The local runtime's durable queue: one JSON file per message in a folder of its own, so messages
 * outlive a restart as they outlive a Lambda crash on SQS. A message is received by pushing its
 * visibility into the future (it comes back if its handler dies), deleted when handled, and moved to
 * the dead letters after too many receives. Sending writes aside and renames: never half a message.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeWholeFile } from '#shared/adapters/whole-file';

export interface QueuedMessage {
  messageId: string;
  body: string;
  sentAt: string;
  receiveCount: number;
  /** Epoch milliseconds before which the message is not handed out. */
  visibleAt: number;
}

const fileMode = 0o600;
const folderMode = 0o700;

export class LocalFileQueue {
  readonly messagesDir: string;
  readonly deadLettersDir: string;

  constructor(readonly dir: string) {
    this.messagesDir = join(dir, 'messages');
    this.deadLettersDir = join(dir, 'dead-letters');
  }

  private async write(folder: string, message: QueuedMessage) {
    await mkdir(folder, { recursive: true, mode: folderMode });
    await writeWholeFile(join(folder, `${message.messageId}.json`), JSON.stringify(message), {
      mode: fileMode,
    });
  }

  async send(body: string, now = Date.now()): Promise<string> {
    const messageId = randomUUID();
    await this.write(this.messagesDir, {
      messageId,
      body,
      sentAt: new Date(now).toISOString(),
      receiveCount: 0,
      visibleAt: now,
    });
    return messageId;
  }

  /** Up to `max` visible messages, each made invisible for `visibilitySeconds` and counted as received. */
  async receive(max: number, visibilitySeconds: number, now = Date.now()): Promise<QueuedMessage[]> {
    const names = await readdir(this.messagesDir).catch(() => [] as string[]);
    const received: QueuedMessage[] = [];
    for (const name of names.filter((file) => file.endsWith('.json')).sort()) {
      if (received.length >= max) break;
      const message = await this.read(join(this.messagesDir, name));
      if (!message || message.visibleAt > now) continue;
      const taken = {
        ...message,
        receiveCount: message.receiveCount + 1,
        visibleAt: now + visibilitySeconds * 1000,
      };
      await this.write(this.messagesDir, taken);
      received.push(taken);
    }
    return received;
  }

  /** Makes a received message visible again after `delayMs` (a failed attempt's back-off). */
  async retryLater(message: QueuedMessage, delayMs: number, now = Date.now()): Promise<void> {
    await this.write(this.messagesDir, { ...message, visibleAt: now + delayMs });
  }

  async delete(message: QueuedMessage): Promise<void> {
    await rm(join(this.messagesDir, `${message.messageId}.json`), { force: true });
  }

  async deadLetter(message: QueuedMessage): Promise<void> {
    await this.write(this.deadLettersDir, message);
    await this.delete(message);
  }

  /** Messages waiting or in flight, and dead letters (tests, the runtime's drain). */
  async depth(): Promise<{ messages: number; deadLetters: number }> {
    const count = async (folder: string) =>
      (await readdir(folder).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).length;
    return { messages: await count(this.messagesDir), deadLetters: await count(this.deadLettersDir) };
  }

  private async read(file: string): Promise<QueuedMessage | undefined> {
    // A file deleted between the listing and the read was handled meanwhile.
    return readFile(file, 'utf8').then(
      (text) => JSON.parse(text) as QueuedMessage,
      () => undefined,
    );
  }
}
