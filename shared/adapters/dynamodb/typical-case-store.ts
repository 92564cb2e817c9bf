/**
 * Typical cases in the single table: one item each, in `gsi4` under `TYPICAL_CASES` by writing time
 * (the admins' list) and, while published, in `gsi1` under `TYPICAL_CASES#PUBLISHED` by publication
 * time (the public list and feed). docs/data-model.md, "Associations".
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor';
import { typicalCaseKey } from '#shared/adapters/dynamodb/keys';
import type { Page } from '#shared/ports/complaints';
import type { TypicalCaseStatus } from '#shared/typical-cases/messages';
import type { TypicalCase, TypicalCaseStore } from '#shared/typical-cases/ports';

type Item = Record<string, unknown>;

export const typicalCasesPartition = 'TYPICAL_CASES';
export const publishedTypicalCasesPartition = 'TYPICAL_CASES#PUBLISHED';

export const typicalCaseItem = (typicalCase: TypicalCase): Item => ({
  ...typicalCaseKey(typicalCase.typicalCaseId),
  entity: 'TypicalCase',
  ...typicalCase,
  gsi4pk: typicalCasesPartition,
  gsi4sk: `${typicalCase.createdAt}#${typicalCase.typicalCaseId}`,
  // Only a published one is in the public index: withdrawing it takes it out with the same write.
  ...(typicalCase.status === 'PUBLISHED'
    ? {
        gsi1pk: publishedTypicalCasesPartition,
        gsi1sk: `${typicalCase.publishedAt}#${typicalCase.typicalCaseId}`,
      }
    : {}),
});

const typicalCaseFromItem = (item: Item): TypicalCase => {
  const {
    pk: _pk,
    sk: _sk,
    entity: _e,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi4pk: _c,
    gsi4sk: _d,
    ...typicalCase
  } = item;
  return typicalCase as unknown as TypicalCase;
};

export class DynamoTypicalCaseStore implements TypicalCaseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(typicalCaseId: string): Promise<TypicalCase | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: typicalCaseKey(typicalCaseId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item ? typicalCaseFromItem(Item) : undefined;
  }

  async save(typicalCase: TypicalCase, from: TypicalCaseStatus | undefined): Promise<boolean> {
    try {
      await callDependency('DynamoDB', () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: typicalCaseItem(typicalCase),
            ...(from === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: '#status = :from',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':from': from },
                }),
          }),
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  listPublished(limit: number, cursor?: string): Promise<Page<TypicalCase>> {
    return this.newestFirst('gsi1', publishedTypicalCasesPartition, limit, cursor);
  }

  listAll(limit: number, cursor?: string): Promise<Page<TypicalCase>> {
    return this.newestFirst('gsi4', typicalCasesPartition, limit, cursor);
  }

  private async newestFirst(
    index: 'gsi1' | 'gsi4',
    partition: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<TypicalCase>> {
    const partitionKey = `${index}pk`;
    const after = cursor === undefined ? undefined : decodeCursor(cursor, partition, partitionKey);
    const page = await callDependency('DynamoDB', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': partitionKey },
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: after,
        }),
      ),
    );
    return {
      items: (page.Items ?? []).map(typicalCaseFromItem),
      cursor: page.LastEvaluatedKey ? encodeCursor(page.LastEvaluatedKey) : null,
    };
  }
}
