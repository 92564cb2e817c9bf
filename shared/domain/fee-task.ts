/**
 * Human steps of the fee-case workflow. A task waits in an inbox (agency + province for regulators,
 * the association for its rectification orders, the complainant for information requests) until
 * someone with the right to complete it does so; its workflow token stays on the server.
 */
import type { FeeCategory } from '#shared/domain/complaint';
import type { AttachmentRecord } from '#shared/domain/evidence';
import type { Agency } from '#shared/domain/principal';

/** The kinds of task a fee case's workflow opens and waits on. */
export const caseTaskKinds = [
  'REVIEW',
  'RECTIFICATION',
  'VERIFICATION',
  'INFO',
  /** The regulators decide an association's request for more time on its rectification order. */
  'EXTENSION',
  /** Four-eyes: a second regulator of the agency confirms or refuses an UNLAWFUL decision. */
  'SECOND_REVIEW',
] as const;
export type CaseTaskKind = (typeof caseTaskKinds)[number];

export const taskKinds = [
  ...caseTaskKinds,
  /**
   * The association did not declare its fees by the self-inspection deadline: its registering
   * authority's regulators follow it up (督促申报). No workflow waits on it; the declaration closes it.
   */
  'DECLARATION',
] as const;
export type TaskKind = (typeof taskKinds)[number];

/** TRANSFERRED: the case went to another office (转办), where the same work opened as a new task. */
export const taskStatuses = ['OPEN', 'COMPLETED', 'TRANSFERRED'] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export interface FeeTask {
  taskId: string;
  caseId: string;
  kind: TaskKind;
  status: TaskStatus;
  agency: Agency;
  province: string;
  dueAt: string;
  createdAt: string;
  completedAt?: string;
  /** Subject of the person who claimed or completed it. */
  assignee?: string;
  escalated: boolean;
  overdue: boolean;
  /** The association a RECTIFICATION task is addressed to (its credit code). */
  associationCreditCode?: string;
  /** The complainant an INFO task is addressed to: its credit code, as regulators see it. */
  enterpriseCreditCode?: string;
  /** The complainant's account an INFO task is addressed to: only it sees and answers the task. */
  enterpriseId?: string;
  /**
   * What the task is about, copied from its case when the task opens so that an inbox lists tasks
   * without reading their cases (absent on tasks stored before these fields existed).
   */
  feeName?: string;
  associationName?: string;
  category?: FeeCategory;
  /** The case's reference number. */
  caseReference?: string;
  /** For an INFO task: what the regulator asks the complainant (the reason of its NEEDS_INFO decision). */
  question?: string;
  /** For a RECTIFICATION task: what the order tells the association (never the regulator's reason). */
  orderText?: string;
  /** For a SECOND_REVIEW task: the subject who made the decision under review; they cannot confirm it. */
  firstReviewer?: string;
  /** For an EXTENSION task: what the association asked for, on which rectification task. */
  extension?: ExtensionRequestRecord;
  /** For a DECLARATION task: the year whose declaration is missing. */
  declarationYear?: number;
  /** For a RECTIFICATION task: the EXTENSION task of its one request for more time. */
  extensionTaskId?: string;
  /** For a TRANSFERRED task: the office the case went to and the task that opened there. */
  transferredTo?: { agency: Agency; province: string; taskId: string };
  /** Files the completion (or, for an EXTENSION task, the association's request) named. */
  attachments?: AttachmentRecord[];
  /** What the completer submitted, as the workflow received it. */
  result?: Record<string, unknown>;
  version: number;
}

/** An association's request for more time, as its EXTENSION task keeps it. */
export interface ExtensionRequestRecord {
  rectificationTaskId: string;
  /** Working days asked for beyond the order's current due date (1 to `MAX_EXTENSION_WORKING_DAYS`). */
  days: number;
  reason: string;
  /** The order's due date when asked, and the one a grant gives. */
  currentDueAt: string;
  requestedDueAt: string;
}

/** The most working days an extension may add to a rectification order's due date. */
export const MAX_EXTENSION_WORKING_DAYS = 30;

/** Working days the regulators have to review a complaint: the workflow's review SLA, and a transferred review's. */
export const REVIEW_SLA_DAYS = 15;

/**
 * Working days the regulators have to verify a rectification report: the workflow's verification SLA, and
 * the due date of a verification reopened by a complainant's feedback.
 */
export const VERIFICATION_SLA_DAYS = 10;

/** A task's id: its case, its kind and which round of that kind it is (the first is 1). */
export const taskIdOf = (caseId: string, kind: TaskKind, round: number): string =>
  `${caseId}.${kind.toLowerCase()}.${round}`;

/** Stage a case is in while a task of this kind is open. */
export const stageOfTaskKind = {
  REVIEW: 'UNDER_REVIEW',
  INFO: 'INFO_REQUESTED',
  RECTIFICATION: 'RECTIFYING',
  VERIFICATION: 'VERIFYING',
  EXTENSION: 'RECTIFYING',
  SECOND_REVIEW: 'UNDER_REVIEW',
} as const satisfies Record<CaseTaskKind, string>;

/** The DECLARATION task of an association and year: one, whatever retries or reruns the schedule makes. */
export const missingDeclarationTaskId = (creditCode: string, year: number): string =>
  `declaration.${creditCode}.${year}`;

/** What a DECLARATION task is about in place of a case: the association's declaration for the year. */
export const declarationSubjectOf = (creditCode: string, year: number): string =>
  `declaration:${creditCode}:${year}`;
