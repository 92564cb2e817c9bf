/** The case store: cases, their tasks and complaints, changed together with the event that records why. */
import type { CaseEventDraft } from '#shared/domain/case-event';
import type { ClosingFeedback } from '#shared/domain/closing-feedback';
import type { ComplaintOutcome } from '#shared/domain/closing-figures';
import type { AttachmentRecord } from '#shared/domain/evidence';
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask, TaskKind, TaskStatus } from '#shared/domain/fee-task';
import type { EvidenceAttachment } from '#shared/evidence/attach';
import type { ComplaintRecord } from '#shared/ports/complaints';

/** A task with its workflow token: the token is written and read only by the server. */
export interface StoredTask extends FeeTask {
  taskToken: string;
  /** The completion body as submitted. */
  submission?: Record<string, unknown>;
}

export interface TaskWrite {
  task: StoredTask;
  /** `new` puts it only if absent; a number requires that version. */
  expected: 'new' | number;
  /** Completion: also require the task to be open and unheld or held by this subject. */
  holder?: string;
}

export interface CaseCommit {
  /** The case as read; the write fails with `moved` if its version changed since. */
  before: FeeCase;
  /** The case after the change (version and audit chain are advanced by the store). */
  after: FeeCase;
  event: CaseEventDraft;
  at: string;
  tasks?: TaskWrite[];
  /** Marks the fee's dedupe pointer closed, so a later complaint opens a new case. */
  closeFeeKey?: boolean;
  /** Records a complaint's closing feedback; the write fails with `moved` if it already has one. */
  feedback?: { complaintId: string; feedback: ClosingFeedback };
  /**
   * Appends files to a complaint that had `attachedBefore` of them; the write fails with `moved` if it
   * has another number by then.
   */
  complaintAttachments?: { complaintId: string; attachedBefore: number; added: AttachmentRecord[] };
  /**
   * Attaches the uploads a completion, request or complaint names, in the same write; uploads that may
   * no longer be named, or too many bytes on the case, are a ConflictError rather than `moved`.
   */
  evidence?: EvidenceAttachment;
}

export type CommitResult = { status: 'committed'; feeCase: FeeCase } | { status: 'moved' };

/**
 * Events the case journal links into a case's chain moments later, sealing them with the audit key
 * that the writer does not hold; writing one never touches the case item, so it contends with nobody.
 */
export interface PendingCaseEvents {
  /** Records the event unless the case's office (agency, province) changed since `feeCase` was read. */
  recordPending(feeCase: FeeCase, event: CaseEventDraft, at: string): Promise<'recorded' | 'moved'>;
}

export interface CaseStore {
  getCase(caseId: string): Promise<FeeCase | undefined>;
  getTask(taskId: string): Promise<StoredTask | undefined>;
  getTasks(taskIds: readonly string[]): Promise<StoredTask[]>;
  /** Complaints of a case in filing order. */
  listComplaints(caseId: string): Promise<ComplaintRecord[]>;
  commit(change: CaseCommit): Promise<CommitResult>;
  /** Changes a task alone (token refresh, claim); `moved` if its version or holder changed. */
  updateTask(write: TaskWrite): Promise<'updated' | 'moved'>;
  listTasks(
    inbox: InboxQuery,
    limit: number,
    cursor?: string,
  ): Promise<{ items: StoredTask[]; cursor: string | null }>;
  /** Writes the case outcome onto one complaint; a repeat changes nothing. */
  recordComplaintOutcome(complaintId: string, outcome: ComplaintOutcome): Promise<void>;
  /** Cases not yet closed, for resuming their workflows. */
  listOpenCases(): Promise<FeeCase[]>;
}

export type InboxQuery = { status: TaskStatus; kind?: TaskKind } & (
  | { owner: 'regulator'; agency: string; province: string }
  | { owner: 'association'; creditCode: string }
  | { owner: 'enterprise'; enterpriseId: string }
  | { owner: 'everyone' }
);
