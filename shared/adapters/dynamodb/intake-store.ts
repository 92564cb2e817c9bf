/**
 * IntakeStore over the single table: one TransactWriteItems per accepted complaint, which touches no
 * item another enterprise's filing touches (receipt, complaint, reference, the account's marker on the
 * case, a pending event), so complaints about one fee never contend. Reads happen only when a
 * condition of that write says they are needed; reference numbers are drawn in blocks.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import { pendingEventPut } from '#shared/adapters/dynamodb/case-journal';
import { caseOpeningItems, referencePut } from '#shared/adapters/dynamodb/case-opening';
import { attachmentConflict, attachmentItems } from '#shared/adapters/dynamodb/evidence-attachments';
import {
  caseEnterpriseKey,
  caseKey,
  complaintKey,
  enterpriseComplaintsPartition,
  feeKeyItemKey,
  idempotencyKey,
  referenceSequenceKey,
} from '#shared/adapters/dynamodb/keys';
import { pages, type TransactItem, transact } from '#shared/adapters/dynamodb/table-io';
import type { Agency } from '#shared/domain/principal';
import type { ReferenceSeries } from '#shared/domain/reference';
import type {
  FeeStanding,
  IntakeOutcome,
  IntakePlan,
  IntakeStore,
  StoredReceipt,
} from '#shared/file-complaint/ports';
import type { ComplaintRecord, EarlierComplaint } from '#shared/ports/complaints';

/** Receipts are kept a day: long enough for any client retry, short enough not to grow forever. */
const receiptTtlSeconds = 24 * 60 * 60;

/**
 * Reference numbers one draw takes from a series' counter: a process hands them out one by one, so
 * most filings draw none. Numbers a process did not hand out before it ended are never used (the
 * series has gaps, as it always had for abandoned attempts).
 */
const referenceBlock = 20;

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

export class DynamoIntakeStore implements IntakeStore {
  /** The rest of the block each series drew last, and a draw under way (one at a time per series). */
  private readonly referenceBlocks = new Map<string, { next: number; last: number }>();
  private readonly referenceDraws = new Map<string, Promise<void>>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findReceipt(enterpriseId: string, key: string, now: Date): Promise<StoredReceipt | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: idempotencyKey(enterpriseId, key),
          ConsistentRead: true,
        }),
      ),
    );
    // DynamoDB's TTL deletes an expired receipt some time after it expires; until then it is ignored.
    return Item && (Item.expiresAt as number) > Math.floor(now.getTime() / 1000)
      ? { requestHash: Item.requestHash as string, receipt: Item.receipt as StoredReceipt['receipt'] }
      : undefined;
  }

  async drawReference(series: ReferenceSeries): Promise<number> {
    const id = `${series.year}#${series.province}`;
    for (;;) {
      const block = this.referenceBlocks.get(id);
      if (block && block.next <= block.last) return block.next++;
      let draw = this.referenceDraws.get(id);
      if (!draw) {
        draw = this.drawBlock(series, id).finally(() => this.referenceDraws.delete(id));
        this.referenceDraws.set(id, draw);
      }
      await draw;
    }
  }

  private async drawBlock(series: ReferenceSeries, id: string): Promise<void> {
    const { Attributes } = await callDependency('DynamoDB', () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: referenceSequenceKey(series.year, series.province),
          UpdateExpression: 'SET entity = :entity ADD #last :count',
          ExpressionAttributeNames: { '#last': 'last' },
          ExpressionAttributeValues: { ':entity': 'ReferenceSequence', ':count': referenceBlock },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    const last = Attributes?.last as number;
    this.referenceBlocks.set(id, { next: last - referenceBlock + 1, last });
  }

  async findFeeStanding(feeKey: string): Promise<FeeStanding> {
    const pointer = await this.get(feeKeyItemKey(feeKey));
    if (!pointer) return { kind: 'none' };
    const caseId = pointer.caseId as string;
    if (!pointer.open) return { kind: 'none', previousCaseId: caseId };
    // Pointers written before they named the office: the case item names it.
    const office = pointer.province ? pointer : await this.get(caseKey(caseId));
    if (!office) return { kind: 'none', previousCaseId: caseId };
    return {
      kind: 'open',
      caseId,
      ...(office.agency ? { agency: office.agency as Agency } : {}),
      province: office.province as string,
    };
  }

  async findEarlierComplaint(caseId: string, enterpriseId: string): Promise<EarlierComplaint | undefined> {
    const marker = await this.get(caseEnterpriseKey(caseId, enterpriseId));
    if (!marker) return undefined;
    const complaintId =
      (marker.complaintId as string | undefined) ?? (await this.firstComplaintOn(caseId, enterpriseId));
    if (!complaintId) return undefined;
    const reference = marker.reference as string | undefined;
    return { complaintId, ...(reference ? { reference } : {}) };
  }

  private async get(Key: Record<string, string>) {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true })),
    );
    return Item;
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
          // An expired receipt the TTL has not deleted yet no longer holds its key.
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
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
    const marker = enterpriseMarker(complaint.caseId, complaint);
    const markerIndex = items.length;
    if (caseChange.kind === 'open') {
      // The account's marker on a case nobody else can see yet needs no condition.
      items.push({ Put: { TableName, Item: marker } });
      items.push(
        ...caseOpeningItems(
          TableName,
          caseChange.feeCase,
          { id: complaint.complaintId, draft: plan.event },
          { firstOfFee: caseChange.firstOfFee },
        ),
      );
    } else {
      // The marker decides whether the account joins or adds information: a join must create it,
      // added information must find it, so concurrent first filings of one account count once.
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
        pendingEventPut(TableName, {
          caseId: caseChange.caseId,
          id: complaint.complaintId,
          at: complaint.filedAt,
          draft: plan.event,
          // A joining enterprise adds to the counts when its event is linked; added information moves none.
          ...(caseChange.kind === 'join'
            ? { counts: { complaintCount: 1, enterpriseCount: 1, claimedFen: caseChange.amountFen } }
            : {}),
        }),
      );
    }

    const firstAttachment = items.length;
    items.push(...attachmentItems(TableName, plan.evidence, complaint.filedAt));

    const outcome = await transact(this.db, items);
    if (outcome.committed) return 'recorded';
    const failed = (index: number | undefined) =>
      index !== undefined && outcome.reasons[index]?.Code === 'ConditionalCheckFailed';
    // Item 0 is the receipt: someone recorded this very request first (and named its uploads).
    if (failed(0)) return 'receipt-exists';
    const refused = attachmentConflict(outcome.reasons, firstAttachment, plan.evidence);
    if (refused) throw refused;
    if (caseChange.kind === 'join' && failed(markerIndex)) return 'already-complained';
    // Another filing opened the fee's case first, or the case closed: where the fee stands moved.
    return 'fee-moved';
  }
}
