/**
 * Which audit chains advanced since they were last anchored, found without scanning the table: every
 * transaction that appends an event also puts one small marker item for its case (key
 * `AUDIT_UNANCHORED#<shard>` / `CASE#<id>`, holding the new head). The anchorer queries the few marker
 * partitions, anchors what it finds, and deletes each marker only if it still holds the anchored head,
 * so a chain that advanced meanwhile keeps its marker for the next anchor. This is exact (the marker is
 * written in the event's own transaction, so no advance is missed) and the cheapest such design: one
 * extra small write per event and one delete per case per anchor, with no index to keep. A stream
 * consumer would have to record the same heads somewhere, and a sparse index on the case item would
 * make the anchorer rewrite case items, which the metrics consumer would then see as case changes.
 * The markers are spread over a few partitions so that no single partition takes every event.
 */
import { hash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { allItems, type TransactItem } from '#shared/adapters/dynamodb/table-io';
import type { UnanchoredChains } from '#shared/audit-anchors/ports';
import type { ChainHead } from '#shared/domain/audit-anchor';
import type { CaseEvent } from '#shared/domain/case-event';

const markerShards = 8;

const markerPartition = (shard: number) => `AUDIT_UNANCHORED#${shard}`;

const markerKey = (caseId: string) => ({
  pk: markerPartition((hash('sha256', caseId, 'buffer')[0] ?? 0) % markerShards),
  sk: `CASE#${caseId}`,
});

/** The marker put that goes into the transaction appending `event`. */
export const unanchoredMarkerPut = (tableName: string, event: CaseEvent): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      ...markerKey(event.caseId),
      entity: 'UnanchoredChain',
      caseId: event.caseId,
      seq: event.seq,
      link: event.hash,
    },
  },
});

export class DynamoUnanchoredChains implements UnanchoredChains {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<ChainHead[]> {
    const shards = await Promise.all(
      Array.from({ length: markerShards }, (_, shard) =>
        allItems(this.db, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': markerPartition(shard) },
          ConsistentRead: true,
        }),
      ),
    );
    return shards.flat().map((item) => ({
      caseId: item.caseId as string,
      seq: item.seq as number,
      link: item.link as string,
    }));
  }

  async markAnchored(heads: readonly ChainHead[]): Promise<void> {
    const forget = async (head: ChainHead) => {
      try {
        await callDependency('DynamoDB', () =>
          this.db.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: markerKey(head.caseId),
              ConditionExpression: 'seq = :seq',
              ExpressionAttributeValues: { ':seq': head.seq },
            }),
          ),
        );
      } catch (error) {
        // The chain advanced since it was listed: its marker stays for the next anchor.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    };
    for (let start = 0; start < heads.length; start += 25) {
      await Promise.all(heads.slice(start, start + 25).map(forget));
    }
  }
}
