/**
 * Self-inspection over the single table (docs/data-model.md, "Associations"): declaration versions
 * under `DECLARATION#<code>` with one head per year, the cases suspect fees open, and the regulators'
 * DECLARATION tasks for declarations that did not arrive.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { registryEntryFromItem } from '#shared/adapters/dynamodb/association-registry';
import { caseOpeningItems } from '#shared/adapters/dynamodb/case-opening';
import { attachUploadItem } from '#shared/adapters/dynamodb/evidence-uploads';
import {
  associationCasesPartition,
  feeCaseFromItem,
  taskFromItem,
  taskItem,
} from '#shared/adapters/dynamodb/items';
import {
  declarationDeadlineRunKey,
  declarationEvidenceKey,
  declarationHeadKey,
  declarationsPartition,
  declarationVersionKey,
  feeKeyItemKey,
  taskKey,
} from '#shared/adapters/dynamodb/keys';
import { allItems, type Item, pages, type TransactItem, transact } from '#shared/adapters/dynamodb/table-io';
import type { RegisteredAssociation } from '#shared/domain/association';
import type { CaseEventDraft } from '#shared/domain/case-event';
import {
  type DeclarationEvidenceTarget,
  MAX_DECLARATION_EVIDENCE_BYTES_PER_YEAR,
} from '#shared/domain/evidence';
import type { FeeCase } from '#shared/domain/fee-case';
import { missingDeclarationTaskId } from '#shared/domain/fee-task';
import type { Declaration } from '#shared/domain/self-inspection';
import { type EvidenceAttachment, uploadMoved } from '#shared/evidence/attach';
import type { StoredTask } from '#shared/ports/cases';
import { declarationBudgetReached } from '#shared/self-inspection/declaration-evidence';
import type {
  ActiveAssociations,
  ClosedCasesOfAssociation,
  DeclarationStore,
  FeePointer,
  MissingDeclarationTasks,
  SelfInspectionCases,
} from '#shared/self-inspection/ports';

const declarationOf = (item: Item): Declaration => {
  const { pk: _pk, sk: _sk, entity: _entity, ...declaration } = item;
  return declaration as unknown as Declaration;
};

const failed = (reasons: readonly { Code?: string }[], index: number) =>
  reasons[index]?.Code === 'ConditionalCheckFailed';

export class DynamoSelfInspectionStore
  implements
    DeclarationStore,
    SelfInspectionCases,
    MissingDeclarationTasks,
    ActiveAssociations,
    ClosedCasesOfAssociation
{
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private get(Key: Item) {
    return callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
    );
  }

  async latest(creditCode: string, year: number): Promise<Declaration | undefined> {
    const { Item: head } = await this.get(declarationHeadKey(creditCode, year));
    if (!head) return undefined;
    const { Item } = await this.get(declarationVersionKey(creditCode, year, head.latestVersion as number));
    return Item ? declarationOf(Item) : undefined;
  }

  async versions(creditCode: string, year?: number): Promise<Declaration[]> {
    const items = await allItems(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'entity = :entity',
      ExpressionAttributeValues: {
        ':pk': declarationsPartition(creditCode),
        ':prefix': year === undefined ? 'YEAR#' : `YEAR#${year}#V#`,
        ':entity': 'Declaration',
      },
      ScanIndexForward: false,
    });
    return items.map(declarationOf);
  }

  async record(
    declaration: Declaration,
    attachment?: EvidenceAttachment<DeclarationEvidenceTarget>,
  ): Promise<'recorded' | 'moved'> {
    const { creditCode, year, version } = declaration;
    const TableName = this.tableName;
    const files = this.attachmentItems(attachment, declaration.declaredAt);
    const outcome = await transact(this.db, [
      {
        Put: {
          TableName,
          Item: {
            ...declarationHeadKey(creditCode, year),
            entity: 'DeclarationHead',
            latestVersion: version,
          },
          ConditionExpression: version === 1 ? 'attribute_not_exists(pk)' : 'latestVersion = :previous',
          ...(version === 1 ? {} : { ExpressionAttributeValues: { ':previous': version - 1 } }),
        },
      },
      {
        Put: {
          TableName,
          Item: {
            ...declarationVersionKey(creditCode, year, version),
            entity: 'Declaration',
            ...declaration,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...files,
    ]);
    if (outcome.committed) return 'recorded';
    if (failed(outcome.reasons, 0) || failed(outcome.reasons, 1)) return 'moved';
    const uploads = files.length - 1;
    if (files.slice(0, uploads).some((_, i) => failed(outcome.reasons, 2 + i))) throw uploadMoved();
    if (uploads >= 0 && failed(outcome.reasons, 2 + uploads)) throw declarationBudgetReached();
    return 'moved';
  }

  /** The newly named uploads' updates, then the year's byte total, under the year's budget. */
  private attachmentItems(
    attachment: EvidenceAttachment<DeclarationEvidenceTarget> | undefined,
    at: string,
  ): TransactItem[] {
    if (!attachment || attachment.uploadIds.length === 0) return [];
    const { target, owner, purpose, bytes } = attachment;
    const TableName = this.tableName;
    return [
      ...attachment.uploadIds.map((uploadId) =>
        attachUploadItem(TableName, { uploadId, owner, purpose, target, at }),
      ),
      {
        Update: {
          TableName,
          Key: declarationEvidenceKey(target.creditCode, target.year),
          UpdateExpression: 'SET entity = :entity ADD #bytes :added',
          ConditionExpression: 'attribute_not_exists(#bytes) OR #bytes <= :room',
          ExpressionAttributeNames: { '#bytes': 'bytes' },
          ExpressionAttributeValues: {
            ':entity': 'DeclarationEvidence',
            ':added': bytes,
            ':room': MAX_DECLARATION_EVIDENCE_BYTES_PER_YEAR - bytes,
          },
        },
      },
    ];
  }

  async feePointer(feeKey: string): Promise<FeePointer> {
    const { Item } = await this.get(feeKeyItemKey(feeKey));
    if (!Item) return { open: false };
    return Item.open
      ? { open: true, caseId: Item.caseId as string }
      : { open: false, previousCaseId: Item.caseId as string };
  }

  async open(feeCase: FeeCase, draft: CaseEventDraft): Promise<'opened' | 'exists' | 'fee-moved'> {
    // The opening event is pending: the case journal links it and starts the workflow.
    const outcome = await transact(
      this.db,
      caseOpeningItems(this.tableName, feeCase, { id: feeCase.caseId, draft }),
    );
    if (outcome.committed) return 'opened';
    if (failed(outcome.reasons, 0)) return 'exists';
    return 'fee-moved';
  }

  async openTask(
    task: StoredTask,
    creditCode: string,
    year: number,
  ): Promise<'opened' | 'exists' | 'declared'> {
    const TableName = this.tableName;
    const outcome = await transact(this.db, [
      { Put: { TableName, Item: taskItem(task), ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        ConditionCheck: {
          TableName,
          Key: declarationHeadKey(creditCode, year),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ]);
    if (outcome.committed) return 'opened';
    return failed(outcome.reasons, 0) ? 'exists' : 'declared';
  }

  async close(creditCode: string, year: number, at: string): Promise<void> {
    const { Item } = await this.get(taskKey(missingDeclarationTaskId(creditCode, year)));
    if (!Item) return;
    const task = taskFromItem(Item);
    if (task.status !== 'OPEN') return;
    const completed: StoredTask = {
      ...task,
      status: 'COMPLETED',
      completedAt: at,
      overdue: false,
      version: task.version + 1,
    };
    await callDependency('DynamoDB', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: taskItem(completed),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': task.version },
        }),
      ),
    ).catch((error: unknown) => {
      // Closed meanwhile by a retry of the same declaration: nothing left to do.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    });
  }

  async yearDone(year: number): Promise<boolean> {
    const { Item } = await this.get(declarationDeadlineRunKey(year));
    return Item !== undefined;
  }

  async markYearDone(year: number, at: string): Promise<void> {
    await callDependency('DynamoDB', () =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...declarationDeadlineRunKey(year), entity: 'DeclarationDeadlineRun', year, at },
        }),
      ),
    );
  }

  /**
   * The register has no index of its own yet: a filtered scan, which the deadline run makes once a
   * year (it then marks the year done).
   */
  async *active(): AsyncIterable<RegisteredAssociation[]> {
    for await (const page of pages(this.db, {
      TableName: this.tableName,
      FilterExpression: 'begins_with(pk, :prefix) AND sk = :sk AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':prefix': 'REGISTRY#', ':sk': 'ASSOCIATION', ':active': 'ACTIVE' },
    })) {
      if (page.length > 0) yield page.map(registryEntryFromItem);
    }
  }

  async closedCases(creditCode: string): Promise<FeeCase[]> {
    const items = await allItems(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :pk',
      FilterExpression: 'entity = :entity AND #stage = :closed',
      ExpressionAttributeNames: { '#stage': 'stage' },
      ExpressionAttributeValues: {
        ':pk': associationCasesPartition(creditCode),
        ':entity': 'FeeCase',
        ':closed': 'CLOSED',
      },
      ScanIndexForward: false,
    });
    return items.map(feeCaseFromItem);
  }
}
