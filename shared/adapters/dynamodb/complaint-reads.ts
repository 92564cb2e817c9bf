/** Read side of complaints and cases over the single table. */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { pendingCaseEventEntity, pendingFromItem } from '#shared/adapters/dynamodb/case-journal';
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor';
import {
  closedCasesPartition,
  complaintFromItem,
  eventFromItem,
  feeCaseFromItem,
} from '#shared/adapters/dynamodb/items';
import {
  caseEnterpriseKey,
  caseKey,
  complaintKey,
  enterpriseComplaintsPartition,
  pendingCaseEventPrefix,
  referenceKey,
} from '#shared/adapters/dynamodb/keys';
import { allItems, batchGet, pages } from '#shared/adapters/dynamodb/table-io';
import type { CaseEvent } from '#shared/domain/case-event';
import type { FeeCase } from '#shared/domain/fee-case';
import { enterpriseIdOf } from '#shared/domain/ownership';
import type { ClosedCases } from '#shared/metrics/outcomes-csv';
import type { ComplaintReads, ComplaintRecord, Page, ReferenceTarget } from '#shared/ports/complaints';

export class DynamoComplaintReads implements ComplaintReads, ClosedCases {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findReference(reference: string): Promise<ReferenceTarget | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: referenceKey(reference) })),
    );
    return Item
      ? {
          reference,
          caseId: Item.caseId as string,
          ...(typeof Item.complaintId === 'string' ? { complaintId: Item.complaintId } : {}),
          ...(typeof Item.enterpriseCreditCode === 'string'
            ? {
                enterpriseCreditCode: Item.enterpriseCreditCode,
                enterpriseId: enterpriseIdOf({
                  enterpriseCreditCode: Item.enterpriseCreditCode,
                  enterpriseId: typeof Item.enterpriseId === 'string' ? Item.enterpriseId : undefined,
                }),
              }
            : {}),
        }
      : undefined;
  }

  async getComplaint(complaintId: string): Promise<ComplaintRecord | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: complaintKey(complaintId) })),
    );
    return Item ? complaintFromItem(Item) : undefined;
  }

  async getCase(caseId: string): Promise<FeeCase | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: caseKey(caseId) })),
    );
    return Item ? feeCaseFromItem(Item) : undefined;
  }

  async getCases(caseIds: readonly string[]): Promise<Map<string, FeeCase>> {
    const items = await batchGet(this.db, this.tableName, [...new Set(caseIds)].map(caseKey));
    return new Map(items.map(feeCaseFromItem).map((feeCase) => [feeCase.caseId, feeCase]));
  }

  /**
   * The case's events, and after them the filings the case journal has not linked yet (`PENDING#`
   * sorts after `EVENT#`, so one query reads both): a complainant sees its filing at once. A pending
   * filing has no link yet; it is shown, never verified.
   */
  async listEvents(caseId: string): Promise<CaseEvent[]> {
    const items = await allItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :event AND :pending',
      ExpressionAttributeValues: {
        ':pk': caseKey(caseId).pk,
        ':event': 'EVENT#',
        ':pending': `${pendingCaseEventPrefix}~`,
      },
    });
    const linked = items
      .filter((item) => item.entity === 'CaseEvent')
      .map(eventFromItem)
      .sort((a, b) => a.seq - b.seq);
    const linkedComplaints = new Set(linked.map((event) => event.data?.complaintId));
    const pending = items
      .filter((item) => item.entity === pendingCaseEventEntity && !linkedComplaints.has(item.pendingId))
      .map(pendingFromItem);
    const last = linked.at(-1);
    return [
      ...linked,
      ...pending.map((entry, i) => ({
        ...entry.draft,
        caseId,
        seq: (last?.seq ?? 0) + i + 1,
        at: entry.at,
        previousHash: '',
        hash: '',
      })),
    ];
  }

  /** Intake marks each enterprise account on the case it complained about. */
  async isComplainant(caseId: string, enterpriseId: string): Promise<boolean> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: caseEnterpriseKey(caseId, enterpriseId),
          ProjectionExpression: 'pk',
        }),
      ),
    );
    return Item !== undefined;
  }

  async listByEnterprise(
    enterpriseId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<ComplaintRecord>> {
    const partition = enterpriseComplaintsPartition(enterpriseId);
    const after = cursor === undefined ? undefined : decodeCursor(cursor, partition, 'gsi1pk');
    const page = await callDependency('DynamoDB', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: after,
        }),
      ),
    );
    return {
      items: (page.Items ?? []).map(complaintFromItem),
      cursor: page.LastEvaluatedKey ? encodeCursor(page.LastEvaluatedKey) : null,
    };
  }

  async *closed(): AsyncIterable<FeeCase[]> {
    const query = {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :closed',
      ExpressionAttributeValues: { ':closed': closedCasesPartition },
    };
    for await (const page of pages(this.db, query)) yield page.map(feeCaseFromItem);
  }
}
