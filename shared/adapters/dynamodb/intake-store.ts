/**
 * IntakeStore over the single table: one atomic counter update drawing the filing's reference numbers,
 * then one TransactWriteItems per accepted complaint.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { attachmentConflict, attachmentItems } from '#shared/adapters/dynamodb/evidence-attachments';
import { caseItem, eventItem } from '#shared/adapters/dynamodb/items';
import {
  caseEnterpriseKey,
  caseKey,
  complaintKey,
  enterpriseComplaintsPartition,
  feeKeyItemKey,
  idempotencyKey,
  referenceKey,
  referenceSequenceKey,
} from '#shared/adapters/dynamodb/keys';
import { pages, type TransactItem, transact } from '#shared/adapters/dynamodb/table-io';
import { unanchoredMarkerPut } from '#shared/adapters/dynamodb/unanchored-chains';
import { type AuditSeal, chainEvent } from '#shared/domain/case-event';
import type { Agency } from '#shared/domain/principal';
import type { ReferenceSeries } from '#shared/domain/reference';
import type {
  FeeStanding,
  IntakeOutcome,
  IntakePlan,
  IntakeStore,
  StoredReceipt,
} from '#shared/file-complaint/ports';
import type { ComplaintRecord } from '#shared/ports/complaints';

/** Receipts are kept a day: long enough for any client retry, short enough not to grow forever. */
const receiptTtlSeconds = 24 * 60 * 60;

/**
 * Marks that an enterprise account complained about a case, naming the complaint of its that counts
 * (and its reference). By account, so another account of the same credit code is never told of it.
 */
const enterpriseMarker = (caseId: string, complaint: ComplaintRecord) => ({
  ...caseEnterpriseKey(caseId, complaint.enterpriseId),
  entity: 'CaseEnterprise',
  complaintId: complaint.complaintId,
  ...(complaint.reference ? { reference: complaint.reference } : {}),
});

/**
 * Names what a reference number points at; put only if absent, so even a counter that was reset could
 * never give two complaints or cases one reference. A complaint's names its enterprise: the credit
 * code, which the public progress lookup checks, and the owning account, which the list filter checks.
 */
const referencePut = (
  TableName: string,
  reference: string,
  target: Record<string, string>,
): TransactItem => ({
  Put: {
    TableName,
    Item: { ...referenceKey(reference), entity: 'Reference', reference, ...target },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

export class DynamoIntakeStore implements IntakeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Links the filing's audit event, as the case store links the events of commits. */
    private readonly auditSeal: AuditSeal,
  ) {}

  async findReceipt(enterpriseId: string, key: string): Promise<StoredReceipt | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: idempotencyKey(enterpriseId, key),
          ConsistentRead: true,
        }),
      ),
    );
    return Item
      ? { requestHash: Item.requestHash as string, receipt: Item.receipt as StoredReceipt['receipt'] }
      : undefined;
  }

  async drawReferences(series: ReferenceSeries, count: number): Promise<number> {
    const { Attributes } = await callDependency('DynamoDB', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: referenceSequenceKey(series.year, series.province),
          UpdateExpression: 'SET entity = :entity ADD #last :count',
          ExpressionAttributeNames: { '#last': 'last' },
          ExpressionAttributeValues: { ':entity': 'ReferenceSequence', ':count': count },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    return Attributes?.last as number;
  }

  async findFeeStanding(feeKey: string, enterpriseId: string): Promise<FeeStanding> {
    const get = (Key: Record<string, string>) =>
      callDependency('DynamoDB', () =>
        this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
      );
    const { Item: pointer } = await get(feeKeyItemKey(feeKey));
    if (!pointer) return { kind: 'none' };
    const caseId = pointer.caseId as string;
    if (!pointer.open) return { kind: 'none', previousCaseId: caseId };
    const [{ Item: feeCase }, { Item: enterprise }] = await Promise.all([
      get(caseKey(caseId)),
      get(caseEnterpriseKey(caseId, enterpriseId)),
    ]);
    if (!feeCase) return { kind: 'none', previousCaseId: caseId };
    const earlierComplaintId = enterprise
      ? ((enterprise.complaintId as string | undefined) ??
        (await this.firstComplaintOn(caseId, enterpriseId)))
      : undefined;
    const earlierReference = enterprise?.reference as string | undefined;
    return {
      kind: 'open',
      caseId,
      version: feeCase.version as number,
      eventSeq: feeCase.eventSeq as number,
      lastEventHash: feeCase.lastEventHash as string,
      ...(feeCase.agency ? { agency: feeCase.agency as Agency } : {}),
      province: feeCase.province as string,
      ...(earlierComplaintId
        ? {
            earlierComplaint: {
              complaintId: earlierComplaintId,
              ...(earlierReference ? { reference: earlierReference } : {}),
            },
          }
        : {}),
    };
  }

  /**
   * The account's first complaint on a case, from its own list: for enterprise markers written
   * before they named the complaint.
   */
  private async firstComplaintOn(caseId: string, enterpriseId: string): Promise<string | undefined> {
    for await (const page of pages(this.db, {
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      FilterExpression: 'caseId = :caseId AND attribute_not_exists(repeatOf)',
      ExpressionAttributeValues: {
        ':pk': enterpriseComplaintsPartition(enterpriseId),
        ':caseId': caseId,
      },
    })) {
      const [first] = page;
      if (first) return first.complaintId as string;
    }
    return undefined;
  }

  async record(plan: IntakePlan): Promise<IntakeOutcome> {
    const { complaint, idempotency, caseChange } = plan;
    const head = caseChange.kind === 'open' ? caseChange.feeCase : caseChange.chainHead;
    const event = await chainEvent(
      { caseId: complaint.caseId, eventSeq: head.eventSeq, lastEventHash: head.lastEventHash },
      plan.event,
      complaint.filedAt,
      this.auditSeal,
    );
    const TableName = this.tableName;
    const nowSeconds = Math.floor(Date.parse(complaint.filedAt) / 1000);
    const items: TransactItem[] = [
      {
        Put: {
          TableName,
          Item: {
            ...idempotencyKey(complaint.enterpriseId, idempotency.key),
            entity: 'IntakeReceipt',
            requestHash: idempotency.requestHash,
            receipt: idempotency.receipt,
            expiresAt: nowSeconds + receiptTtlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName,
          Item: {
            ...complaintKey(complaint.complaintId),
            entity: 'Complaint',
            ...complaint,
            gsi1pk: enterpriseComplaintsPartition(complaint.enterpriseId),
            gsi1sk: `${complaint.filedAt}#${complaint.complaintId}`,
            version: 1,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' } },
      unanchoredMarkerPut(TableName, event),
    ];
    if (complaint.reference) {
      items.push(
        referencePut(TableName, complaint.reference, {
          complaintId: complaint.complaintId,
          caseId: complaint.caseId,
          enterpriseCreditCode: complaint.enterpriseCreditCode,
          enterpriseId: complaint.enterpriseId,
        }),
      );
    }
    if (caseChange.kind === 'open') {
      const feeCase = { ...caseChange.feeCase, eventSeq: event.seq, lastEventHash: event.hash };
      if (feeCase.reference)
        items.push(referencePut(TableName, feeCase.reference, { caseId: feeCase.caseId }));
      items.push(
        { Put: { TableName, Item: caseItem(feeCase), ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName,
            Item: { ...feeKeyItemKey(feeCase.feeKey), entity: 'FeeKey', caseId: feeCase.caseId, open: true },
            // A closed pointer may be taken over by the new case; an open one means we lost a race.
            ConditionExpression: 'attribute_not_exists(pk) OR #open = :false',
            ExpressionAttributeNames: { '#open': 'open' },
            ExpressionAttributeValues: { ':false': false },
          },
        },
        {
          Put: {
            TableName,
            Item: enterpriseMarker(feeCase.caseId, complaint),
          },
        },
      );
    } else {
      // A joining enterprise adds to the counts; added information only moves the audit chain.
      const counts =
        caseChange.kind === 'join'
          ? ', complaintCount = complaintCount + :one, enterpriseCount = enterpriseCount + :one, claimedFen = claimedFen + :amount'
          : '';
      items.push({
        Update: {
          TableName,
          Key: caseKey(caseChange.caseId),
          UpdateExpression: `SET #version = :next, updatedAt = :at, eventSeq = :seq, lastEventHash = :hash${counts}`,
          ConditionExpression: '#version = :expected AND #stage <> :closed',
          ExpressionAttributeNames: { '#version': 'version', '#stage': 'stage' },
          ExpressionAttributeValues: {
            ':next': caseChange.expectedVersion + 1,
            ':expected': caseChange.expectedVersion,
            ':at': caseChange.updatedAt,
            ':seq': event.seq,
            ':hash': event.hash,
            ':closed': 'CLOSED',
            ...(caseChange.kind === 'join' ? { ':one': 1, ':amount': caseChange.amountFen } : {}),
          },
        },
      });
      // The marker decides whether the enterprise account joins or adds information: a join must create it,
      // added information must find it, so concurrent first filings of one account count once.
      const marker = enterpriseMarker(caseChange.caseId, complaint);
      items.push(
        caseChange.kind === 'join'
          ? { Put: { TableName, Item: marker, ConditionExpression: 'attribute_not_exists(pk)' } }
          : {
              ConditionCheck: {
                TableName,
                Key: caseEnterpriseKey(caseChange.caseId, complaint.enterpriseId),
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
      );
    }

    const firstAttachment = items.length;
    items.push(...attachmentItems(TableName, plan.evidence, complaint.filedAt));

    const outcome = await transact(this.db, items);
    if (outcome.committed) return 'recorded';
    // Item 0 is the receipt: someone recorded this very request first (and named its uploads).
    if (outcome.reasons[0]?.Code === 'ConditionalCheckFailed') return 'receipt-exists';
    const refused = attachmentConflict(outcome.reasons, firstAttachment, plan.evidence);
    if (refused) throw refused;
    return 'case-moved';
  }
}
