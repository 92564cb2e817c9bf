/**
 * What the campaign tells people, and to whom. A notification is written once per source event and
 * recipient (its id is derived from both), shown in the recipient's notification centre, and
 * delivered by e-mail and SMS where the recipient has them and has not opted out. It carries
 * parameters, never rendered text: each reader and each delivery renders it in its own language.
 */
import { hash } from 'node:crypto';
import { NATIONAL_PROVINCE } from '#shared/domain/credit-code';
import type { TaskKind } from '#shared/domain/fee-task';
import type { Agency, Principal } from '#shared/domain/principal';

/**
 * Who receives a notification: a party, not a person. An enterprise is the account that filed the
 * complaint (`enterpriseId`: accounts linked as one enterprise share it), an association its credit
 * code; a regulators' office is an agency in a province (00 for the national level).
 */
export type NotificationRecipient =
  | { party: 'enterprise'; enterpriseId: string }
  | { party: 'association'; creditCode: string }
  | { party: 'office'; agency: Agency; province: string }
  | { party: 'campaign-admins' };

export const notificationKinds = [
  /** complainant: the complaint was received, with its reference and the date a decision is due */
  'COMPLAINT_RECEIVED',
  /** complainant: the regulator asks for information */
  'INFO_REQUESTED',
  /** complainant and association: a rectification order was issued */
  'ORDER_ISSUED',
  /** complainant: the case is closed, with its outcome */
  'CASE_CLOSED',
  /** association: its rectification order is due within 3 working days */
  'ORDER_DUE_SOON',
  /** association: its request for an extension was decided */
  'EXTENSION_DECIDED',
  /** association: the regulator verified its rectification report (accepted or not) */
  'VERIFICATION_RESULT',
  /** association and office: a complainant reported the refund did not arrive; verification reopens */
  'VERIFICATION_REOPENED',
  /** office: a new task is in its inbox */
  'TASK_OPENED',
  /** office: a task is due within 2 working days */
  'TASK_DUE_SOON',
  /** office: a task passed its due date and was escalated to it */
  'TASK_ESCALATED',
  /**
   * office: a task of its inbox was assigned to one of its officers, who is named. Addressed to the
   * office because notification centres are kept per party; an officer's own centre waits for the user
   * directory (issue 17).
   */
  'TASK_ASSIGNED',
  /** complainant: the case was transferred (转办) to another office, which now handles it */
  'CASE_TRANSFERRED',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Kinds that are legally required notices: they are sent even to a recipient who opted out. */
export const legallyRequiredKinds: readonly NotificationKind[] = [
  'COMPLAINT_RECEIVED',
  'INFO_REQUESTED',
  'ORDER_ISSUED',
  'CASE_CLOSED',
];

export interface Notification {
  /** Derived from the source (event or reminder) and the recipient: writing it twice writes it once. */
  notificationId: string;
  recipient: NotificationRecipient;
  kind: NotificationKind;
  at: string;
  read: boolean;
  complaintId?: string;
  caseId?: string;
  taskId?: string;
  /**
   * What the templates fill in: references, fee and association names, the handling office, dates,
   * outcome. Nothing that names or reaches a complainant.
   */
  params: {
    reference?: string;
    caseReference?: string;
    feeName?: string;
    associationName?: string;
    agency?: Agency;
    province?: string;
    taskKind?: TaskKind;
    dueAt?: string;
    outcome?: string;
    granted?: boolean;
    accepted?: boolean;
    /** For TASK_ASSIGNED: the officer's subject (a regulator, never a complainant). */
    assignee?: string;
  };
}

/**
 * A notification as the delivery queue carries it: a complainant's notice names no enterprise (the
 * sender finds it through the complaint), so no queued message tells who complained.
 */
export type QueuedNotification = Omit<Notification, 'recipient'> & {
  recipient: Exclude<NotificationRecipient, { party: 'enterprise' }> | { party: 'enterprise' };
};

export const queuedNotification = (notification: Notification): QueuedNotification =>
  notification.recipient.party === 'enterprise'
    ? { ...notification, recipient: { party: 'enterprise' } }
    : notification;

/** A recipient as one string: the same party always gives the same key, and no two parties share one. */
export const recipientKey = (recipient: NotificationRecipient): string => {
  switch (recipient.party) {
    case 'enterprise':
      return `ENTERPRISE#${recipient.enterpriseId}`;
    case 'association':
      return `ASSOCIATION#${recipient.creditCode}`;
    case 'office':
      return `OFFICE#${recipient.agency}#${recipient.province}`;
    case 'campaign-admins':
      return 'CAMPAIGN_ADMINS';
  }
};

/** The party whose notification centre a signed-in caller reads; nobody's for the anonymous. */
export const recipientOfPrincipal = (
  principal: Exclude<Principal, { role: 'anonymous' }>,
): NotificationRecipient => {
  switch (principal.role) {
    case 'enterprise':
      return { party: 'enterprise', enterpriseId: principal.enterpriseId };
    case 'association':
      return { party: 'association', creditCode: principal.creditCode };
    case 'regulator':
      return { party: 'office', agency: principal.agency, province: principal.province };
    case 'campaign-admin':
      return { party: 'campaign-admins' };
  }
};

/** The national office of an agency, where escalated tasks go. */
export const nationalOffice = (agency: Agency): Extract<NotificationRecipient, { party: 'office' }> => ({
  party: 'office',
  agency,
  province: NATIONAL_PROVINCE,
});

/** A notification id: `<when, 17 digits>-<22 characters>`; URL-safe, sortable by time. */
export const notificationIdPattern = /^\d{17}-[A-Za-z0-9_-]{22}$/;

/**
 * The id of the notification of `kind` that `source` (an audit event, a reminder) gives `recipient`.
 * Its first part is when (so ids sort newest last), its second part names the source and recipient
 * alone: writing the same source and recipient again, at any time, finds the same second part.
 */
export const notificationIdOf = (
  at: string,
  source: string,
  recipient: NotificationRecipient,
  kind: NotificationKind,
): string => {
  const stamp = at.replace(/\D/g, '').padEnd(17, '0').slice(0, 17);
  return `${stamp}-${onceKeyOf(source, recipient, kind)}`;
};

/** The part of a notification id that says what it is about and for whom, whatever its time. */
export const onceKeyOf = (source: string, recipient: NotificationRecipient, kind: NotificationKind) =>
  hash('sha256', `${source}|${recipientKey(recipient)}|${kind}`, 'base64url').slice(0, 22);
