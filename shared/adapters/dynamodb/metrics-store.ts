/**
 * Sharded counters in the single table: `METRICS#<scope>` / `SHARD#n` (an association's figures are one
 * item each, `association-figures.ts`). A change's delta goes to one shard per scope (chosen by the
 * change id, spreading hot counters), together with a marker for the change in one transaction, so a
 * redelivered change finds its marker and adds nothing.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { figuresUpdate } from '#shared/adapters/dynamodb/association-figures';
import { transact } from '#shared/adapters/dynamodb/table-io';
import { ConflictError } from '#shared/domain/errors';
import type { MetricsStore } from '#shared/metrics/aggregate';
import { creditCodeOfScope } from '#shared/metrics/association-figures';
import type { Counters, ScopedCounters } from '#shared/metrics/counters';

export const metricShards = 8;
/** Stream records live 24 hours; markers outlive any redelivery. */
const markerTtlSeconds = 3 * 24 * 60 * 60;

export const metricsPartition = (scope: string) => `METRICS#${scope}`;

export class DynamoMetricsStore implements MetricsStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** DynamoDB transactions hold at most 100 items. */
  readonly maxItemsPerWrite = 100;

  async applyOnce(changeIds: readonly string[], delta: ScopedCounters): Promise<'applied' | 'duplicate'> {
    const shard =
      createHash('sha256')
        .update(changeIds[0] ?? '')
        .digest()
        .readUInt32BE(0) % metricShards;
    const TableName = this.tableName;
    const updates = Object.entries(delta).map(([scope, counters]) => {
      // An association's figures are one item of their own, which the ranking reads.
      const creditCode = creditCodeOfScope(scope);
      if (creditCode) return { Update: figuresUpdate(TableName, creditCode, counters) };
      const entries = Object.entries(counters);
      return {
        Update: {
          TableName,
          Key: { pk: metricsPartition(scope), sk: `SHARD#${shard}` },
          UpdateExpression: `SET entity = :entity ADD ${entries.map((_, i) => `#c${i} :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#c${i}`, `c.${name}`])),
          ExpressionAttributeValues: {
            ':entity': 'MetricsShard',
            ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
          },
        },
      };
    });
    const expiresAt = Math.floor(this.now().getTime() / 1000) + markerTtlSeconds;
    const markers = changeIds.map((changeId) => ({
      Put: {
        TableName,
        Item: { pk: `CHANGE#${changeId}`, sk: 'METRICS', entity: 'AppliedChange', expiresAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    const outcome = await transact(this.db, [...markers, ...updates]);
    if (outcome.committed) return 'applied';
    if (outcome.reasons.slice(0, markers.length).some((reason) => reason.Code === 'ConditionalCheckFailed')) {
      return 'duplicate';
    }
    // Another write held the same counter item (a transaction conflict): the change is retried.
    throw new ConflictError('Counters were busy; the change will be retried');
  }

  /** The summed counters of one scope: always `metricShards` items at most, however many cases exist. */
  async read(scope: string): Promise<Counters> {
    const { Items = [] } = await callDependency('DynamoDB', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': metricsPartition(scope) },
        }),
      ),
    );
    const total: Counters = {};
    for (const item of Items) {
      for (const [name, value] of Object.entries(item)) {
        if (name.startsWith('c.') && typeof value === 'number')
          total[name.slice(2)] = (total[name.slice(2)] ?? 0) + value;
      }
    }
    return total;
  }
}
