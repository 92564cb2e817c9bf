/**
 * The local stand-in for an SQS event source mapping: it receives batches from a durable file queue
 * (shared/adapters/local-file-queue.ts), hands them to the same handler with the SQS event shape,
 * deletes what succeeded, brings partial batch failures back after a short back-off, and moves a
 * message received `maxReceives` times without success to the dead letters. A message in flight when
 * the process dies becomes visible again after its visibility timeout, as on SQS.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { lambdaContext, localAccountId, localRegion } from '#infra/local/lambda-context';
import type { FunctionDescription, QueueDescription } from '#infra/system';
import { LocalFileQueue, type QueuedMessage } from '#shared/adapters/local-file-queue';

export type QueueHandler = (
  event: SQSEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<SQSBatchResponse | undefined>;

export interface QueuePollerOptions {
  dir: string;
  queue: QueueDescription;
  fn: FunctionDescription;
  handler: QueueHandler;
  intervalMs?: number;
  /** Back-off before a failed message is handed out again (SQS waits the visibility timeout). */
  retryDelayMs?: (receiveCount: number) => number;
  log?: (line: string) => void;
}

export const localQueueArn = (name: string) => `arn:aws:sqs:${localRegion}:${localAccountId}:${name}`;

const sqsRecord = (queueName: string, message: QueuedMessage) => ({
  messageId: message.messageId,
  receiptHandle: `${message.messageId}#${message.receiveCount}`,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(Date.parse(message.sentAt)),
    SenderId: localAccountId,
    ApproximateFirstReceiveTimestamp: String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: localQueueArn(queueName),
  awsRegion: localRegion,
});

export class LocalQueuePoller {
  readonly queue: LocalFileQueue;
  private timer: NodeJS.Timeout | undefined;
  private pollInFlight: Promise<number> | undefined;
  private stopped = false;

  constructor(private readonly options: QueuePollerOptions) {
    this.queue = new LocalFileQueue(options.dir);
  }

  start(): void {
    this.schedule();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.poll()
        .catch((error) => this.options.log?.(`queue ${this.options.queue.name}: ${String(error)}`))
        .finally(() => this.schedule());
    }, this.options.intervalMs ?? 200);
    this.timer.unref();
  }

  /** One batch, if any message is visible; returns how many messages it handed over. */
  poll(): Promise<number> {
    this.pollInFlight ??= this.receiveAndHandle().finally(() => {
      this.pollInFlight = undefined;
    });
    return this.pollInFlight;
  }

  /** Polls until no message is waiting or in flight (tests); dead letters do not count. */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.queue.depth()).messages > 0) {
      if (Date.now() > deadline) throw new Error(`Queue ${this.options.queue.name} did not drain in time`);
      if ((await this.poll()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pollInFlight?.catch(() => undefined);
  }

  private async receiveAndHandle(): Promise<number> {
    const { queue, fn, handler } = this.options;
    const messages = await this.queue.receive(queue.batchSize, queue.visibilityTimeoutSeconds);
    if (messages.length === 0) return 0;
    const event: SQSEvent = { Records: messages.map((message) => sqsRecord(queue.name, message)) };
    let failed: Set<string>;
    try {
      const response = await handler(event, lambdaContext(fn.name, fn.timeoutSeconds, fn.memoryMiB));
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch {
      // A thrown handler fails the whole batch, as on AWS.
      failed = new Set(messages.map((message) => message.messageId));
    }
    for (const message of messages) {
      if (!failed.has(message.messageId)) await this.queue.delete(message);
      else if (message.receiveCount >= queue.maxReceives) {
        await this.queue.deadLetter(message);
        this.options.log?.(`queue ${queue.name}: message ${message.messageId} moved to the dead letters`);
      } else {
        const delay =
          this.options.retryDelayMs?.(message.receiveCount) ??
          Math.min(30_000, 500 * 2 ** message.receiveCount);
        await this.queue.retryLater(message, delay);
      }
    }
    return messages.length;
  }
}
