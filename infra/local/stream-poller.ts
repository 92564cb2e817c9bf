/**
 * The local stand-in for a DynamoDB Streams event source mapping: it reads the table's stream from
 * DynamoDB Local, drops records of other entities (as the mapping's filter does on AWS), hands
 * batches to the same handler with the same event shape, honours its partial batch failures, retries
 * a failing record a bounded number of times and then sets it aside in a dead-letter file, so one bad
 * record never stalls the shard. Its position is kept in a checkpoint file across restarts; the
 * handler's exactly-once markers absorb any redelivery.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { privateFileMode } from '#infra/local/data-dir';
import { lambdaContext, localRegion } from '#infra/local/lambda-context';
import type { FunctionDescription, StreamConsumerDescription } from '#infra/system';
import { writeWholeFile } from '#shared/adapters/whole-file';

type Wire = Record<string, unknown>;

/**
 * The SDK reads an empty map (`{"M": {}}`) off the stream as `{}`; Lambda hands `{"M": {}}` to a
 * handler. Putting the `M` back keeps the local event identical to the one on AWS.
 */
const restoreEmptyMaps = (value: Wire): Wire => {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: restoreImage(value.M as Record<string, Wire>) };
  if (Array.isArray(value.L)) return { L: (value.L as Wire[]).map(restoreEmptyMaps) };
  return value;
};

export const restoreImage = (image: Record<string, Wire> | undefined): Record<string, Wire> | undefined =>
  image && Object.fromEntries(Object.entries(image).map(([name, value]) => [name, restoreEmptyMaps(value)]));

export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<DynamoDBBatchResponse | undefined>;

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  consumer: StreamConsumerDescription;
  fn: FunctionDescription;
  handler: StreamHandler;
  checkpointFile: string;
  deadLetterFile: string;
  intervalMs?: number;
  log?: (line: string) => void;
}

interface ShardState {
  iterator?: string;
  closed: boolean;
  pending: StreamRecord[];
  attempts: number;
  retryAt: number;
  /** Why the latest delivery failed, for the dead-letter entry. */
  failure?: string;
}

interface Checkpoint {
  streamArn: string;
  shards: Record<string, string>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export class LocalStreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private readonly dynamo: DynamoDBClient;
  private readonly shards = new Map<string, ShardState>();
  private checkpoint: Checkpoint | undefined;
  private timer: NodeJS.Timeout | undefined;
  private tickInFlight: Promise<number> | undefined;
  private stopped = false;
  /** Passes in a row that found nothing, for the back-off. */
  private quietPasses = 0;

  constructor(private readonly options: StreamPollerOptions) {
    this.streams = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: localRegion,
      credentials,
    });
    this.dynamo = new DynamoDBClient({ endpoint: options.endpoint, region: localRegion, credentials });
  }

  async start(): Promise<void> {
    const { Table } = await this.dynamo.send(new DescribeTableCommand({ TableName: this.options.tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`Table ${this.options.tableName} has no stream`);
    const saved = await readFile(this.options.checkpointFile, 'utf8')
      .then((text) => JSON.parse(text) as Checkpoint)
      .catch(() => undefined);
    this.checkpoint = saved?.streamArn === streamArn ? saved : { streamArn, shards: {} };
    this.schedule();
  }

  /**
   * Polls at `intervalMs` while records flow and backs off to 8 times that while the stream is quiet:
   * several consumers poll one DynamoDB Local, and idle polling was most of its load.
   */
  private schedule() {
    if (this.stopped) return;
    const interval = (this.options.intervalMs ?? 200) * Math.min(2 ** this.quietPasses, 8);
    this.timer = setTimeout(() => {
      this.tick()
        .then((moved) => {
          this.quietPasses = moved > 0 ? 0 : this.quietPasses + 1;
        })
        .catch((error) => this.options.log?.(`stream poller: ${String(error)}`))
        .finally(() => this.schedule());
    }, interval);
    this.timer.unref();
  }

  /** One pass over every shard; returns how many records it handed over or set aside. */
  tick(): Promise<number> {
    this.tickInFlight ??= this.pass().finally(() => {
      this.tickInFlight = undefined;
    });
    return this.tickInFlight;
  }

  /** Waits until everything written so far has been delivered (tests, seeding). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quietPasses = 0;
    while (quietPasses < 2) {
      if (Date.now() > deadline) throw new Error('The stream did not drain in time');
      const moved = await this.tick();
      const waiting = [...this.shards.values()].some((shard) => shard.pending.length > 0);
      quietPasses = moved === 0 && !waiting ? quietPasses + 1 : 0;
      if (waiting) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tickInFlight?.catch(() => undefined);
    this.streams.destroy();
    this.dynamo.destroy();
  }

  private async pass(): Promise<number> {
    const checkpoint = this.checkpoint;
    if (!checkpoint || this.stopped) return 0;
    await this.discoverShards(checkpoint.streamArn);
    let moved = 0;
    for (const [shardId, shard] of this.shards) {
      if (shard.pending.length === 0 && !shard.closed) await this.fetch(checkpoint, shardId, shard);
      moved += await this.deliver(checkpoint, shardId, shard);
    }
    return moved;
  }

  private async discoverShards(streamArn: string) {
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }),
      );
      for (const shard of StreamDescription?.Shards ?? []) {
        if (shard.ShardId && !this.shards.has(shard.ShardId)) {
          this.shards.set(shard.ShardId, { closed: false, pending: [], attempts: 0, retryAt: 0 });
        }
      }
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
  }

  private async fetch(checkpoint: Checkpoint, shardId: string, shard: ShardState) {
    if (!shard.iterator) {
      const after = checkpoint.shards[shardId];
      const { ShardIterator } = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: checkpoint.streamArn,
          ShardId: shardId,
          ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
          SequenceNumber: after,
        }),
      );
      shard.iterator = ShardIterator;
    }
    if (!shard.iterator) {
      shard.closed = true;
      return;
    }
    try {
      const { Records = [], NextShardIterator } = await this.streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }),
      );
      shard.pending.push(...Records);
      shard.iterator = NextShardIterator;
      if (!NextShardIterator) shard.closed = true;
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException)) throw error;
      shard.iterator = undefined;
    }
  }

  private wanted(record: StreamRecord): boolean {
    const entities: readonly string[] = this.options.consumer.entities;
    const entityOf = (image: Record<string, { S?: string }> | undefined) => image?.entity?.S;
    const images = [record.dynamodb?.NewImage, record.dynamodb?.OldImage] as (
      | Record<string, { S?: string }>
      | undefined
    )[];
    return images.some((image) => entities.includes(entityOf(image) ?? ''));
  }

  private async deliver(checkpoint: Checkpoint, shardId: string, shard: ShardState): Promise<number> {
    let moved = 0;
    while (shard.pending.length > 0 && Date.now() >= shard.retryAt) {
      const batch: StreamRecord[] = [];
      let skipped = 0;
      while (shard.pending.length > skipped && batch.length < this.options.consumer.batchSize) {
        const record = shard.pending[skipped] as StreamRecord;
        if (this.wanted(record)) batch.push(record);
        skipped += 1;
      }
      const scanned = shard.pending.slice(0, skipped);
      const failure = batch.length > 0 ? await this.invoke(batch) : undefined;
      if (failure === undefined) {
        shard.pending.splice(0, skipped);
        shard.attempts = 0;
        moved += skipped;
        await this.advance(checkpoint, shardId, scanned.at(-1));
        continue;
      }
      // Everything before the first failure is done; the failure and what follows are retried.
      shard.failure = failure.reason;
      const firstFailed = scanned.findIndex((record) => record.dynamodb?.SequenceNumber === failure.at);
      const done = Math.max(0, firstFailed);
      shard.pending.splice(0, done);
      moved += done;
      if (done > 0) {
        shard.attempts = 0;
        await this.advance(checkpoint, shardId, scanned[done - 1]);
      }
      shard.attempts += 1;
      if (shard.attempts > this.options.consumer.maxRetries) {
        const poisoned = shard.pending.shift() as StreamRecord;
        await this.deadLetter(shardId, poisoned, shard.failure);
        shard.attempts = 0;
        moved += 1;
        await this.advance(checkpoint, shardId, poisoned);
      } else {
        shard.retryAt = Date.now() + Math.min(5_000, 50 * 2 ** shard.attempts);
      }
    }
    return moved;
  }

  /** Returns the sequence number of the first failed record, if any, and why it failed. */
  private async invoke(batch: StreamRecord[]): Promise<{ at?: string; reason: string } | undefined> {
    const event = {
      Records: batch.map((record) => ({
        ...record,
        eventSourceARN: this.checkpoint?.streamArn,
        dynamodb: {
          ...record.dynamodb,
          NewImage: restoreImage(record.dynamodb?.NewImage as Record<string, Wire> | undefined),
          OldImage: restoreImage(record.dynamodb?.OldImage as Record<string, Wire> | undefined),
        },
      })),
    } as DynamoDBStreamEvent;
    const { fn } = this.options;
    try {
      const response = await this.options.handler(
        event,
        lambdaContext(fn.name, fn.timeoutSeconds, fn.memoryMiB),
      );
      const failures = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
      const failed = batch.find((record) => failures.includes(record.dynamodb?.SequenceNumber ?? ''));
      // The handler logged its error; the entry says where to look.
      return failed
        ? { at: failed.dynamodb?.SequenceNumber, reason: 'reported failed by the handler (see its log)' }
        : undefined;
    } catch (error) {
      // A thrown handler fails the whole batch, as on AWS.
      // The error's name only: a message can quote what the record held (an address refused).
      return {
        at: batch[0]?.dynamodb?.SequenceNumber,
        reason: `threw ${(error as Error)?.name ?? 'a non-error'}`,
      };
    }
  }

  private async advance(checkpoint: Checkpoint, shardId: string, record: StreamRecord | undefined) {
    const sequence = record?.dynamodb?.SequenceNumber;
    if (!sequence) return;
    checkpoint.shards[shardId] = sequence;
    // Whole: a checkpoint cut short by a kill read as none, and the consumer replayed its whole stream.
    await writeWholeFile(this.options.checkpointFile, JSON.stringify(checkpoint), { mode: privateFileMode });
  }

  /**
   * Like the mapping's on-failure destination: where the record was and why its last delivery
   * failed, never what it held.
   */
  private async deadLetter(shardId: string, record: StreamRecord, failure: string | undefined) {
    const entry = {
      at: new Date().toISOString(),
      consumer: this.options.consumer.name,
      failure,
      streamArn: this.checkpoint?.streamArn,
      shardId,
      sequenceNumber: record.dynamodb?.SequenceNumber,
      eventID: record.eventID,
      eventName: record.eventName,
      keys: record.dynamodb?.Keys,
    };
    await appendFile(this.options.deadLetterFile, `${JSON.stringify(entry)}\n`, { mode: privateFileMode });
    this.options.log?.(
      `stream ${this.options.consumer.name}: record ${record.eventID} set aside after retries`,
    );
  }
}
