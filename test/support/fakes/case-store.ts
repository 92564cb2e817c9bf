/**
 * The case store and the complaint reads in memory, for unit tests of the use cases. They keep the
 * DynamoDB adapters' promises that use cases rely on: every write is conditional (a case on the
 * version it was read at, a task on its version and, for a completion, on being open and unheld or
 * held by the writer) and a failed condition answers `moved` and changes nothing; a commit advances
 * the version and the audit chain; reads hand out copies; inboxes list by due date with cursors bound
 * to their inbox. A test can put a concurrent writer between a read and the next write, or lose the
 * answer of a write that landed.
 */
import { decodeCursor, encodeCursor } from '#shared/adapters/dynamodb/cursor';
import { type AuditSeal, type CaseEvent, type CaseEventDraft, chainEvent } from '#shared/domain/case-event';
import type { ComplaintOutcome } from '#shared/domain/closing-figures';
import type { FeeCase } from '#shared/domain/fee-case';
import type {
  CaseCommit,
  CaseStore,
  CommitResult,
  InboxQuery,
  PendingCaseEvents,
  StoredTask,
  TaskWrite,
} from '#shared/ports/cases';
import type { ComplaintReads, ComplaintRecord, Page, ReferenceTarget } from '#shared/ports/complaints';
import { testAuditSeal } from '#test/support/fakes/keys';

const copy = <T>(value: T): T => structuredClone(value);

/** The inbox a task is listed in and its place there, as the table's task indexes key them. */
const inboxHolds = (inbox: InboxQuery, task: StoredTask): boolean => {
  if (task.status !== inbox.status || (inbox.kind && task.kind !== inbox.kind)) return false;
  switch (inbox.owner) {
    case 'regulator':
      return task.agency === inbox.agency && task.province === inbox.province;
    case 'association':
      return task.associationCreditCode === inbox.creditCode;
    case 'enterprise':
      return task.enterpriseId === inbox.enterpriseId;
    case 'everyone':
      return true;
  }
};
const dueOrder = (task: StoredTask) => `${task.dueAt}#${task.taskId}`;

/**
 * Cursors as the adapters write them, shaped as an index key whose partition is the listing: one from
 * another listing, or made up, is refused with the adapters' own error.
 */
const cursorAfter = (listing: string, key: string) =>
  encodeCursor({ pk: key, sk: key, gsi1pk: listing, gsi1sk: key });
const keyOfCursor = (cursor: string, listing: string) => decodeCursor(cursor, listing, 'gsi1pk').gsi1sk;

/** One page of `items` (already in listing order, keyed by `keyOf`) after the cursor. */
const pageOf = <T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  listing: string,
  limit: number,
  cursor?: string,
): Page<T> => {
  const after = cursor === undefined ? undefined : keyOfCursor(cursor, listing);
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) === after) + 1;
  const page = items.slice(start, start + limit);
  const last = page.at(-1);
  const more = start + limit < items.length;
  return { items: page.map(copy), cursor: more && last ? cursorAfter(listing, keyOf(last)) : null };
};

export class InMemoryCaseStore implements CaseStore, PendingCaseEvents {
  private readonly cases = new Map<string, FeeCase>();
  private readonly tasks = new Map<string, StoredTask>();
  private readonly complaints = new Map<string, ComplaintRecord>();
  private readonly events = new Map<string, CaseEvent[]>();
  /** The fee's pointer to its open case, which intake writes and closing a case closes. */
  private readonly feePointers = new Map<string, { caseId: string; open: boolean }>();
  private readonly outcomes = new Map<string, ComplaintOutcome>();
  private readonly concurrentWriters: (() => Promise<void> | void)[] = [];
  private lostAnswer: Error | undefined;

  constructor(readonly auditSeal: AuditSeal = testAuditSeal()) {}

  /** Arrange: a case as intake leaves it, with its fee pointer open. */
  addCase(feeCase: FeeCase): void {
    this.cases.set(feeCase.caseId, copy(feeCase));
    this.feePointers.set(feeCase.feeKey, { caseId: feeCase.caseId, open: true });
  }

  addComplaint(complaint: ComplaintRecord): void {
    this.complaints.set(complaint.complaintId, copy(complaint));
  }

  addTask(task: StoredTask): void {
    this.tasks.set(task.taskId, copy(task));
  }

  /** Runs `write` just before the next write's conditions are checked, as a concurrent writer would. */
  interleave(write: () => Promise<void> | void): void {
    this.concurrentWriters.push(write);
  }

  /** The next write lands, but its caller is answered with `error`, as when a response is lost. */
  loseNextAnswer(error: Error): void {
    this.lostAnswer = error;
  }

  /** Assert: the audit trail of a case, in order. */
  eventsOf(caseId: string): CaseEvent[] {
    return copy(this.events.get(caseId) ?? []);
  }

  outcomeOf(complaintId: string): ComplaintOutcome | undefined {
    return copy(this.outcomes.get(complaintId));
  }

  feePointerOf(feeKey: string) {
    return copy(this.feePointers.get(feeKey));
  }

  private async beforeWrite(): Promise<void> {
    const write = this.concurrentWriters.shift();
    if (write) await write();
  }

  private answer<T>(result: T): T {
    const lost = this.lostAnswer;
    this.lostAnswer = undefined;
    if (lost) throw lost;
    return result;
  }

  private taskWriteHolds(write: TaskWrite): boolean {
    const stored = this.tasks.get(write.task.taskId);
    if (write.expected === 'new') return stored === undefined;
    if (stored?.version !== write.expected) return false;
    return (
      !write.holder ||
      (stored.status === 'OPEN' && (stored.assignee === undefined || stored.assignee === write.holder))
    );
  }

  async getCase(caseId: string): Promise<FeeCase | undefined> {
    return copy(this.cases.get(caseId));
  }

  async getTask(taskId: string): Promise<StoredTask | undefined> {
    return copy(this.tasks.get(taskId));
  }

  async getTasks(taskIds: readonly string[]): Promise<StoredTask[]> {
    return [...new Set(taskIds)]
      .flatMap((taskId) => this.tasks.get(taskId) ?? [])
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(copy);
  }

  /** Every complaint, for the read side over the same records. */
  async allComplaints(): Promise<ComplaintRecord[]> {
    return [...this.complaints.values()].map(copy);
  }

  async listComplaints(caseId: string): Promise<ComplaintRecord[]> {
    return [...this.complaints.values()]
      .filter((complaint) => complaint.caseId === caseId)
      .sort((a, b) => a.filedAt.localeCompare(b.filedAt))
      .map(copy);
  }

  async commit(change: CaseCommit): Promise<CommitResult> {
    await this.beforeWrite();
    const { before, at } = change;
    const event = await chainEvent(before, change.event, at, this.auditSeal);
    const after: FeeCase = {
      ...change.after,
      version: before.version + 1,
      eventSeq: event.seq,
      lastEventHash: event.hash,
      updatedAt: at,
    };
    const writes = change.tasks ?? [];
    const pointer = this.feePointers.get(after.feeKey);
    // As the adapter's condition: the complaint exists and has no feedback yet.
    const feedbackOn = change.feedback && this.complaints.get(change.feedback.complaintId);
    // As the adapter's condition: the complaint has as many files as when it was read.
    const attachingTo =
      change.complaintAttachments && this.complaints.get(change.complaintAttachments.complaintId);
    const holds =
      this.cases.get(before.caseId)?.version === before.version &&
      writes.every((write) => this.taskWriteHolds(write)) &&
      (!change.closeFeeKey || pointer?.caseId === after.caseId) &&
      (!change.feedback || (feedbackOn !== undefined && feedbackOn.feedback === undefined)) &&
      (!change.complaintAttachments ||
        (attachingTo?.attachments ?? []).length === change.complaintAttachments.attachedBefore);
    if (!holds) return this.answer({ status: 'moved' });
    this.cases.set(after.caseId, copy(after));
    this.events.set(after.caseId, [...(this.events.get(after.caseId) ?? []), copy(event)]);
    for (const write of writes) this.tasks.set(write.task.taskId, copy(write.task));
    if (change.closeFeeKey && pointer) pointer.open = false;
    if (feedbackOn && change.feedback) feedbackOn.feedback = copy(change.feedback.feedback);
    // The uploads themselves are the adapter's (test/integration/evidence-attaching.test.ts).
    if (attachingTo && change.complaintAttachments)
      attachingTo.attachments = [
        ...(attachingTo.attachments ?? []),
        ...copy(change.complaintAttachments.added),
      ];
    return this.answer({ status: 'committed', feeCase: copy(after) });
  }

  /**
   * A pending event, on the adapter's condition that the case's office is unchanged, linked into the
   * case's chain at once: the case journal does that moments later.
   */
  async recordPending(feeCase: FeeCase, draft: CaseEventDraft, at: string): Promise<'recorded' | 'moved'> {
    await this.beforeWrite();
    const stored = this.cases.get(feeCase.caseId);
    if (!stored || stored.agency !== feeCase.agency || stored.province !== feeCase.province)
      return this.answer('moved');
    const event = await chainEvent(stored, draft, at, this.auditSeal);
    this.cases.set(stored.caseId, {
      ...stored,
      version: stored.version + 1,
      eventSeq: event.seq,
      lastEventHash: event.hash,
    });
    this.events.set(stored.caseId, [...(this.events.get(stored.caseId) ?? []), copy(event)]);
    return this.answer('recorded');
  }

  async updateTask(write: TaskWrite): Promise<'updated' | 'moved'> {
    await this.beforeWrite();
    if (!this.taskWriteHolds(write)) return this.answer('moved');
    this.tasks.set(write.task.taskId, copy(write.task));
    return this.answer('updated');
  }

  async listTasks(inbox: InboxQuery, limit: number, cursor?: string) {
    const { kind: _filter, ...partition } = inbox;
    const listed = [...this.tasks.values()]
      .filter((task) => inboxHolds(inbox, task))
      .sort((a, b) => dueOrder(a).localeCompare(dueOrder(b)));
    return pageOf(listed, dueOrder, JSON.stringify(partition), limit, cursor);
  }

  async recordComplaintOutcome(complaintId: string, outcome: ComplaintOutcome): Promise<void> {
    await this.beforeWrite();
    // The adapter's update is conditional on the complaint existing.
    if (!this.complaints.has(complaintId)) throw new Error(`No complaint ${complaintId} to record on`);
    this.outcomes.set(complaintId, copy(outcome));
    this.answer(undefined);
  }

  async listOpenCases(): Promise<FeeCase[]> {
    return [...this.cases.values()].filter((feeCase) => feeCase.stage !== 'CLOSED').map(copy);
  }
}

/** The read side over the same records as an in-memory case store. */
export class InMemoryComplaintReads implements ComplaintReads {
  constructor(private readonly store: InMemoryCaseStore) {}

  /** The complaint carrying the reference, named as the adapter's lookup item names it. */
  async findReference(reference: string): Promise<ReferenceTarget | undefined> {
    const complaint = (await this.store.allComplaints()).find(
      (candidate) => candidate.reference === reference,
    );
    return complaint
      ? {
          reference,
          caseId: complaint.caseId,
          complaintId: complaint.complaintId,
          enterpriseCreditCode: complaint.enterpriseCreditCode,
          enterpriseId: complaint.enterpriseId,
        }
      : undefined;
  }

  async getComplaint(complaintId: string): Promise<ComplaintRecord | undefined> {
    return (await this.store.allComplaints()).find((complaint) => complaint.complaintId === complaintId);
  }

  getCase(caseId: string): Promise<FeeCase | undefined> {
    return this.store.getCase(caseId);
  }

  async getCases(caseIds: readonly string[]): Promise<Map<string, FeeCase>> {
    const found = await Promise.all([...new Set(caseIds)].map((caseId) => this.store.getCase(caseId)));
    return new Map(found.flatMap((feeCase) => (feeCase ? [[feeCase.caseId, feeCase] as const] : [])));
  }

  async listEvents(caseId: string): Promise<CaseEvent[]> {
    return this.store.eventsOf(caseId);
  }

  async isComplainant(caseId: string, enterpriseId: string): Promise<boolean> {
    return (await this.store.listComplaints(caseId)).some(
      (complaint) => complaint.enterpriseId === enterpriseId,
    );
  }

  /** Newest first, as the enterprise account's complaint index orders them. */
  async listByEnterprise(
    enterpriseId: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<ComplaintRecord>> {
    const filingOrder = (complaint: ComplaintRecord) => `${complaint.filedAt}#${complaint.complaintId}`;
    const own = (await this.store.allComplaints())
      .filter((complaint) => complaint.enterpriseId === enterpriseId)
      .sort((a, b) => filingOrder(b).localeCompare(filingOrder(a)));
    return pageOf(own, filingOrder, `ENTERPRISE#${enterpriseId}`, limit, cursor);
  }
}
