/**
 * The case journal: filings (and officials' downloads, pending-case-events.ts) leave their audit event
 * pending beside the case (`CASE#<id>` / `PENDING#...`) instead of advancing the case's chain
 * themselves, so complaints about one fee never contend on the case item. A stream consumer links the
 * pending events of a case into its chain, in groups: one write puts the linked events, deletes their
 * pending items (on condition they still exist) and moves the case's head and counts (on condition of
 * its version). A redelivered or concurrent linking finds the pending items gone or the version moved
 * and links nothing twice. A filing linked onto a case that has closed also gets the outcome onto its
 * complaint, and the case's closing figures count it.
 * docs/hot-fee.md has the design and its arithmetic.
 */

import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { callDependency } from '#shared/adapters/aws-errors';
import {
  complaintOutcomeUpdate,
  eventItem,
  feeCaseFromItem,
  versionedCasePut,
} from '#shared/adapters/dynamodb/items';
import {
  caseKey,
  feeKeyItemKey,
  pendingCaseEventKey,
  pendingCaseEventPrefix,
} from '#shared/adapters/dynamodb/keys';
import { type Item, type TransactItem, transact } from '#shared/adapters/dynamodb/table-io';
import { unanchoredMarkerPut } from '#shared/adapters/dynamodb/unanchored-chains';
import { type AuditSeal, type CaseEvent, type CaseEventDraft, chainEvent } from '#shared/domain/case-event';
import { closingFiguresOf, complaintOutcomeOf } from '#shared/domain/closing-figures';
import { ConflictError } from '#shared/domain/errors';
import type { FeeCase } from '#shared/domain/fee-case';

export const pendingCaseEventEntity = 'PendingCaseEvent';

/** What linking a pending event adds to the case's counts: a joining enterprise's complaint. */
export interface PendingCounts {
  complaintCount: number;
  enterpriseCount: number;
  claimedFen: number;
}

export interface PendingCaseEvent {
  caseId: string;
  /** Unique per pending event (the filing's complaint id). */
  id: string;
  at: string;
  draft: CaseEventDraft;
  counts?: PendingCounts;
}

/** The put of a pending event, for the transaction of whoever records what it tells. */
export const pendingEventPut = (TableName: string, pending: PendingCaseEvent): TransactItem => ({
  Put: {
    TableName,
    Item: {
      ...pendingCaseEventKey(pending.caseId, pending.at, pending.id, pending.draft.type === 'CASE_OPENED'),
      entity: pendingCaseEventEntity,
      caseId: pending.caseId,
      pendingId: pending.id,
      at: pending.at,
      // The draft's fields at the top, as on a linked event, so readers filter both alike by type.
      ...pending.draft,
      ...(pending.counts ? { counts: pending.counts } : {}),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

export const pendingFromItem = (item: Item): PendingCaseEvent & { key: { pk: string; sk: string } } => ({
  key: { pk: item.pk as string, sk: item.sk as string },
  caseId: item.caseId as string,
  id: item.pendingId as string,
  at: item.at as string,
  draft: {
    type: item.type as string,
    actor: item.actor as CaseEventDraft['actor'],
    ...(item.stage ? { stage: item.stage as CaseEventDraft['stage'] } : {}),
    ...(item.data ? { data: item.data as Record<string, unknown> } : {}),
  },
  ...(item.counts ? { counts: item.counts as PendingCounts } : {}),
});

/** Filings that joined or added to the case, which a case's closing figures and notices count. */
const filingTypes: ReadonlySet<string> = new Set(['COMPLAINT_JOINED', 'INFORMATION_ADDED']);

/**
 * A filing linked onto a case that has closed: it joined as the case closed (its fee's pointer read
 * just before, or its linking behind the closing), and says so in the trail, for the notifier.
 */
const linkedAfterClosing = (draft: CaseEventDraft): CaseEventDraft =>
  filingTypes.has(draft.type) ? { ...draft, data: { ...draft.data, linkedAfterClosing: true } } : draft;

/** Events linked per write: two items each (event, pending delete) plus the case and the anchor marker. */
const linkedPerWrite = 40;
/** On a closed case a filing also writes the outcome onto its complaint: three items each. */
const linkedPerWriteOnClosedCase = 30;
/** Writes that lost to another writer of the case before the linking gives up (and is retried). */
const maxConflicts = 20;

export class DynamoCaseJournal {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auditSeal: AuditSeal,
  ) {}

  /**
   * Links every pending event of the case into its chain, the opening first and then by filing time,
   * and returns how many it linked. Throws a ConflictError when the case kept moving: the caller
   * retries, and nothing was linked twice.
   */
  async linkPending(caseId: string): Promise<number> {
    let linked = 0;
    let conflicts = 0;
    for (;;) {
      const pending = await this.readPending(caseId);
      if (pending.length === 0) return linked;
      const feeCase = await this.caseOf(caseId);
      if (!feeCase) throw new ConflictError(`Case ${caseId} has pending events but is not stored yet`);
      const group = feeCase.stage === 'CLOSED' ? pending.slice(0, linkedPerWriteOnClosedCase) : pending;
      if (await this.linkGroup(feeCase, group)) {
        linked += group.length;
        continue;
      }
      conflicts += 1;
      if (conflicts >= maxConflicts) {
        throw new ConflictError('The case kept moving; its pending events will be linked on the retry');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(500, 10 * 2 ** conflicts)));
    }
  }

  /** Keeps the fee's pointer naming the office of its open case, for the filings that read only it. */
  async followOffice(feeCase: Pick<FeeCase, 'caseId' | 'feeKey' | 'agency' | 'province'>): Promise<void> {
    try {
      await callDependency('DynamoDB', () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: feeKeyItemKey(feeCase.feeKey),
            UpdateExpression: feeCase.agency
              ? 'SET province = :province, agency = :agency'
              : 'SET province = :province REMOVE agency',
            ConditionExpression: 'caseId = :caseId AND #open = :true',
            ExpressionAttributeNames: { '#open': 'open' },
            ExpressionAttributeValues: {
              ':province': feeCase.province,
              ':caseId': feeCase.caseId,
              ':true': true,
              ...(feeCase.agency ? { ':agency': feeCase.agency } : {}),
            },
          }),
        ),
      );
    } catch (error) {
      // The pointer names a newer case, or this one closed: nothing to follow.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    }
  }

  private async readPending(caseId: string) {
    const { Items = [] } = await callDependency('DynamoDB', () =>
      this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pending)',
          ExpressionAttributeValues: { ':pk': caseKey(caseId).pk, ':pending': pendingCaseEventPrefix },
          ConsistentRead: true,
          Limit: linkedPerWrite,
        }),
      ),
    );
    return Items.map(pendingFromItem);
  }

  async caseOf(caseId: string): Promise<FeeCase | undefined> {
    const { Item } = await callDependency('DynamoDB', () =>
      this.db.send(new GetCommand({ TableName: this.tableName, Key: caseKey(caseId), ConsistentRead: true })),
    );
    return Item ? feeCaseFromItem(Item) : undefined;
  }

  /** One write linking `pending` (in key order: the opening first) onto the case as read. */
  private async linkGroup(feeCase: FeeCase, pending: ReturnType<typeof pendingFromItem>[]): Promise<boolean> {
    const TableName = this.tableName;
    const events: CaseEvent[] = [];
    const closedWith = feeCase.stage === 'CLOSED' ? feeCase.outcome : undefined;
    let head = { caseId: feeCase.caseId, eventSeq: feeCase.eventSeq, lastEventHash: feeCase.lastEventHash };
    for (const entry of pending) {
      const event = await chainEvent(
        head,
        closedWith ? linkedAfterClosing(entry.draft) : entry.draft,
        entry.at,
        this.auditSeal,
      );
      events.push(event);
      head = { caseId: feeCase.caseId, eventSeq: event.seq, lastEventHash: event.hash };
    }
    const counts = pending.reduce(
      (sum, entry) => ({
        complaintCount: sum.complaintCount + (entry.counts?.complaintCount ?? 0),
        enterpriseCount: sum.enterpriseCount + (entry.counts?.enterpriseCount ?? 0),
        claimedFen: sum.claimedFen + (entry.counts?.claimedFen ?? 0),
      }),
      { complaintCount: 0, enterpriseCount: 0, claimedFen: 0 },
    );
    const latest = events.at(-1) as CaseEvent;
    const counted: FeeCase = {
      ...feeCase,
      complaintCount: feeCase.complaintCount + counts.complaintCount,
      enterpriseCount: feeCase.enterpriseCount + counts.enterpriseCount,
      claimedFen: feeCase.claimedFen + counts.claimedFen,
      version: feeCase.version + 1,
      updatedAt: latest.at.localeCompare(feeCase.updatedAt) > 0 ? latest.at : feeCase.updatedAt,
      eventSeq: latest.seq,
      lastEventHash: latest.hash,
    };
    // Complainants of a closed case are helped by its outcome: those linked after it closed too.
    const after: FeeCase = closedWith ? { ...counted, ...closingFiguresOf(counted, closedWith) } : counted;
    const items: TransactItem[] = [
      versionedCasePut(TableName, after, feeCase.version),
      unanchoredMarkerPut(TableName, latest),
      ...events.map((event) => ({
        Put: { TableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
      ...pending.map((entry) => ({
        Delete: { TableName, Key: entry.key, ConditionExpression: 'attribute_exists(pk)' },
      })),
      // Its complaint records the closing, as the closing wrote onto those it found.
      ...(closedWith
        ? pending
            .filter((entry) => filingTypes.has(entry.draft.type))
            .map((entry) => ({
              Update: complaintOutcomeUpdate(TableName, entry.id, complaintOutcomeOf(after)),
            }))
        : []),
    ];
    return (await transact(this.db, items)).committed;
  }
}
