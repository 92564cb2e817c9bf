/**
 * The local runtime's stand-in for SQS and its event source mapping, on real files: a received message
 * stays hidden for its visibility timeout, a failed one comes back, one that keeps failing moves to the
 * dead letters after the queue's maximum receives, and partial batch failures return only what failed.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueuePoller } from '#infra/local/queue-poller';
import { deliveryQueue, functions } from '#infra/system';
import { LocalFileQueue } from '#shared/adapters/local-file-queue';

const fn = functions.find((candidate) => candidate.name === deliveryQueue.function);
if (!fn) throw new Error('the delivery queue has no function');

const newQueueDir = async () => join(await mkdtemp(join(tmpdir(), 'campaign-queue-')), 'queue');

const pollerWith = (dir: string, handler: (event: SQSEvent) => Promise<string[]>) =>
  new LocalQueuePoller({
    dir,
    queue: deliveryQueue,
    fn,
    handler: async (event) => ({
      batchItemFailures: (await handler(event)).map((itemIdentifier) => ({ itemIdentifier })),
    }),
    retryDelayMs: () => 0,
  });

describe('LocalFileQueue', () => {
  it('hides a received message until its visibility timeout passes, then hands it out again', async () => {
    // Arrange
    const queue = new LocalFileQueue(await newQueueDir());
    await queue.send('{"n":1}', 1_000);

    // Act
    const first = await queue.receive(10, 180, 2_000);
    const whileHidden = await queue.receive(10, 180, 2_000 + 179_000);
    const afterTimeout = await queue.receive(10, 180, 2_000 + 180_000);

    // Assert
    expect(first.map((message) => message.receiveCount)).toEqual([1]);
    expect(whileHidden).toEqual([]);
    expect(afterTimeout.map((message) => message.receiveCount)).toEqual([2]);
  });
});

describe('LocalQueuePoller', () => {
  it('hands the handler SQS records and deletes what it handled', async () => {
    // Arrange
    const dir = await newQueueDir();
    const seen: SQSEvent[] = [];
    const poller = pollerWith(dir, async (event) => {
      seen.push(event);
      return [];
    });
    await poller.queue.send('{"notification":1}');

    // Act
    await poller.drain();

    // Assert
    expect(seen[0]?.Records).toEqual([
      expect.objectContaining({
        body: '{"notification":1}',
        eventSource: 'aws:sqs',
        attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }),
      }),
    ]);
    expect(await poller.queue.depth()).toEqual({ messages: 0, deadLetters: 0 });
  });

  it('brings back only the messages a partial batch failure names', async () => {
    // Arrange
    const dir = await newQueueDir();
    const handled: string[] = [];
    const poller = pollerWith(dir, async (event) =>
      event.Records.flatMap((record) => {
        const failsOnce = record.body === 'b' && record.attributes.ApproximateReceiveCount === '1';
        if (!failsOnce) handled.push(record.body);
        return failsOnce ? [record.messageId] : [];
      }),
    );
    for (const body of ['a', 'b', 'c']) await poller.queue.send(body);

    // Act
    await poller.drain();

    // Assert
    expect(handled.sort()).toEqual(['a', 'b', 'c']);
  });

  it('moves a message that keeps failing to the dead letters after the maximum receives', async () => {
    // Arrange
    const dir = await newQueueDir();
    let attempts = 0;
    const poller = pollerWith(dir, async (event) => {
      attempts += 1;
      return event.Records.map((record) => record.messageId);
    });
    await poller.queue.send('poison');

    // Act
    await poller.drain();

    // Assert
    expect(attempts).toBe(deliveryQueue.maxReceives);
    expect(await poller.queue.depth()).toEqual({ messages: 0, deadLetters: 1 });
  });

  it('treats a handler that throws as a failure of the whole batch', async () => {
    // Arrange
    const dir = await newQueueDir();
    let calls = 0;
    const poller = pollerWith(dir, async () => {
      calls += 1;
      if (calls === 1) throw new Error('crashed');
      return [];
    });
    await poller.queue.send('x');
    await poller.queue.send('y');

    // Act
    await poller.drain();

    // Assert
    expect(calls).toBe(2);
    expect(await poller.queue.depth()).toEqual({ messages: 0, deadLetters: 0 });
  });
});
