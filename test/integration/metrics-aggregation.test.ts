/**
 * Exactly-once aggregation: after real workflows ran, the counters read by the API equal the truth
 * computed from the cases; and every stream batch delivered three times, with failures injected
 * before and after writes, still leaves the counters exact.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreImage } from '#infra/local/stream-poller';
import { countedItemOf } from '#shared/adapters/dynamodb/items';
import { DynamoMetricsStore } from '#shared/adapters/dynamodb/metrics-store';
import { aggregateChanges, type ItemChange, type MetricsStore } from '#shared/metrics/aggregate';
import { addCounters, type Counters, cloudWatchCounters } from '#shared/metrics/counters';
import {
  completeTask,
  decisions,
  fileComplaint,
  newScenario,
  openTaskOf,
  waitForStage,
} from '#test/support/campaign-actors';
import { filingsTruth, scanEntities, truthFromTable, withoutZeros } from '#test/support/metrics-truth';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
/** The annual fee abolished in the scenarios, which one of its enterprises complained about twice. */
let abolishedCaseId: string;

/** Cases along several paths, some left open, so every kind of counter moves. */
const runScenarios = async () => {
  const abolished = await newScenario(harness);
  const a = await fileComplaint(harness, abolished);
  abolishedCaseId = a.caseId;
  // The same enterprise files about the same fee again, claiming more: it must count once.
  await fileComplaint(harness, abolished, { amountFen: 900_000 });
  await fileComplaint(harness, {
    ...(await newScenario(harness)),
    associationCode: abolished.associationCode,
  });
  const review = await openTaskOf(harness, abolished.regulator, a.caseId, 'REVIEW');
  await completeTask(harness, abolished.regulator, review.taskId, decisions.abolish);
  const order = await openTaskOf(harness, abolished.association, a.caseId, 'RECTIFICATION');
  await completeTask(harness, abolished.association, order.taskId, decisions.refunded(750_000));
  const check = await openTaskOf(harness, abolished.regulator, a.caseId, 'VERIFICATION');
  await completeTask(harness, abolished.regulator, check.taskId, decisions.accept);
  await waitForStage(harness, abolished.regulator, a.caseId, 'CLOSED');

  const dismissed = await newScenario(harness, 'SAMR', '44');
  const d = await fileComplaint(harness, dismissed, { category: 'RATING_AWARD', facts: {} });
  const dismissReview = await openTaskOf(harness, dismissed.regulator, d.caseId, 'REVIEW');
  await completeTask(harness, dismissed.regulator, dismissReview.taskId, {
    verdict: 'DISMISSED',
    ruleIds: [],
    reason: 'No fee charged',
  });
  await waitForStage(harness, dismissed.regulator, d.caseId, 'CLOSED');

  const waiting = await newScenario(harness, 'MCA', '31');
  const w = await fileComplaint(harness, waiting);
  await openTaskOf(harness, waiting.regulator, w.caseId, 'REVIEW');
};

beforeAll(async () => {
  harness = await startTestRuntime();
  await runScenarios();
  await harness.runtime.drainStreams();
}, 120_000);
afterAll(() => harness.stop());

const readStream = async (): Promise<StreamRecord[]> => {
  const endpoint = harness.endpoint;
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const { Table } = await harness.client.send(new DescribeTableCommand({ TableName: harness.tableName }));
  const streams = new DynamoDBStreamsClient(config);
  const { StreamDescription } = await streams.send(
    new DescribeStreamCommand({ StreamArn: Table?.LatestStreamArn }),
  );
  const records: StreamRecord[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: Table?.LatestStreamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  streams.destroy();
  return records;
};

const imageOf = (image: unknown) => {
  const restored = restoreImage(image as Parameters<typeof restoreImage>[0]);
  return restored ? unmarshall(restored as unknown as Record<string, AttributeValue>) : undefined;
};

/** A stream record as a change of a replay of its own (`run`), so markers of other replays do not match. */
const toChange = (record: StreamRecord, run = 'replay'): ItemChange => ({
  changeId: `${run}-${record.eventID}`,
  before: countedItemOf(imageOf(record.dynamodb?.OldImage)),
  after: countedItemOf(imageOf(record.dynamodb?.NewImage)),
});

/** Counters under a scope prefix of its own, so the replay does not mix with the live counters. */
class ReplayScopes implements MetricsStore {
  readonly maxItemsPerWrite = 100;
  constructor(
    private readonly inner: DynamoMetricsStore,
    private readonly prefix = 'REPLAY',
  ) {}
  applyOnce(changeIds: readonly string[], delta: Record<string, Record<string, number>>) {
    return this.inner.applyOnce(
      changeIds,
      Object.fromEntries(Object.entries(delta).map(([scope, c]) => [`${this.prefix}/${scope}`, c])),
    );
  }
}

/** Fails one call in three: half of them before the write, half after it (the caller never hears it succeeded). */
class FlakyStore implements MetricsStore {
  readonly maxItemsPerWrite = 100;
  calls = 0;
  injected = 0;
  constructor(private readonly inner: MetricsStore) {}
  async applyOnce(changeIds: readonly string[], delta: Record<string, Record<string, number>>) {
    this.calls += 1;
    if (this.calls % 3 === 0) {
      this.injected += 1;
      if (this.calls % 2 === 0) throw new Error('injected: before the write');
      await this.inner.applyOnce(changeIds, delta);
      throw new Error('injected: after the write');
    }
    return this.inner.applyOnce(changeIds, delta);
  }
}

describe('metrics aggregation', () => {
  it('makes every counter equal the truth computed from the cases and tasks', async () => {
    const truth = await truthFromTable(harness);
    const store = new DynamoMetricsStore(harness.documentClient, harness.tableName);

    for (const scope of Object.keys(truth)) {
      expect(withoutZeros(await store.read(scope)), scope).toEqual(truth[scope]);
    }
    expect(Object.keys(truth).length).toBeGreaterThan(8);
  });

  it('reports through the API what the closed cases say', async () => {
    const admin = await harness.token({ role: 'campaign-admin' });
    const cases = await scanEntities(harness, 'FeeCase');
    const abolished = cases.filter((item) => item.outcome === 'ABOLISHED');

    const { body } = await harness.request('GET', '/api/metrics', { token: admin });

    expect(body.figures.casesOpened).toBe(cases.length);
    expect(body.figures.feesAbolished).toBe(abolished.length);
    expect(body.figures.refundedFen).toBe(
      abolished.reduce((sum, item) => sum + (item.refundedFen as number), 0),
    );
    expect(body.figures.outcomes).toEqual({ ABOLISHED: 1, DISMISSED: 1 });
    expect(body.figures.openTasks).toBe(1);
  });

  it('counts an enterprise that filed about a case twice once, with its first figure', async () => {
    const admin = await harness.token({ role: 'campaign-admin' });
    const filings = await filingsTruth(harness);
    const cases = await scanEntities(harness, 'FeeCase');

    const { body } = await harness.request('GET', '/api/metrics', { token: admin });

    expect(body.figures.complaintsReceived).toBe(filings.complaintsReceived);
    for (const feeCase of cases)
      expect(feeCase.claimedFen, feeCase.caseId as string).toBe(
        filings.claimedFenByCase[feeCase.caseId as string],
      );
    // No figure was reported: the abolished annual fee removes what its enterprises first claimed.
    expect(body.figures.annualFenRemoved).toBe(filings.claimedFenByCase[abolishedCaseId]);
  });

  it('stays exact when every batch arrives three times and a third of the writes fail', async () => {
    const records = await readStream();
    const truth = await truthFromTable(harness);
    const flaky = new FlakyStore(
      new ReplayScopes(new DynamoMetricsStore(harness.documentClient, harness.tableName)),
    );
    const batches: ItemChange[][] = [];
    for (let i = 0; i < records.length; i += 10)
      batches.push(records.slice(i, i + 10).map((record) => toChange(record)));

    for (let delivery = 0; delivery < 3; delivery++) {
      for (const batch of batches) {
        let pending = batch;
        while (pending.length > 0) {
          const failed = new Set((await aggregateChanges(flaky, pending)).failed);
          pending = pending.filter((change) => failed.has(change.changeId));
        }
      }
    }
    const store = new DynamoMetricsStore(harness.documentClient, harness.tableName);

    expect(flaky.injected).toBeGreaterThan(10);
    for (const scope of Object.keys(truth)) {
      expect(withoutZeros(await store.read(`REPLAY/${scope}`)), scope).toEqual(truth[scope]);
    }
  });

  it('reports each campaign-wide change for CloudWatch once, however often its batch arrives', async () => {
    const records = await readStream();
    const truth = await truthFromTable(harness);
    const store = new ReplayScopes(new DynamoMetricsStore(harness.documentClient, harness.tableName), 'ONCE');
    const batches: ItemChange[][] = [];
    for (let i = 0; i < records.length; i += 10)
      batches.push(records.slice(i, i + 10).map((record) => toChange(record, 'once')));
    const reported: { ALL: Counters } = { ALL: {} };

    for (let delivery = 0; delivery < 3; delivery++) {
      for (const batch of batches)
        addCounters(reported, { ALL: (await aggregateChanges(store, batch)).counted });
    }

    for (const counter of Object.values(cloudWatchCounters)) {
      expect(reported.ALL[counter] ?? 0, counter).toBe(truth.ALL?.[counter] ?? 0);
    }
    expect(reported.ALL.complaintsReceived).toBeGreaterThan(0);
  });
});
