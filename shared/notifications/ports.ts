/** What the notification use cases need from storage. */
import type { ComplaintFacts, Fee } from '#shared/domain/complaint';
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';
import type { Notification, NotificationRecipient } from '#shared/domain/notification';

export interface NotificationPage {
  items: Notification[];
  /** Opaque; null on the last page. */
  cursor: string | null;
  /** The recipient's unread notifications, all pages together. */
  unread: number;
}

export interface NotificationStore {
  /**
   * Writes the notification and counts it unread for its recipient, in one write, unless one with the
   * same source and recipient (the second part of its id) was written before: then nothing is written
   * and `duplicate` is returned.
   */
  writeOnce(notification: Notification): Promise<'written' | 'duplicate'>;
  /** The recipient's notifications, newest first. */
  list(recipient: NotificationRecipient, limit: number, cursor?: string): Promise<NotificationPage>;
  /**
   * Marks the recipient's notification read and counts one unread less, once: an already-read one
   * changes nothing. Undefined when the recipient has no notification of that id.
   */
  markRead(
    recipient: NotificationRecipient,
    notificationId: string,
  ): Promise<{ notification: Notification; unread: number } | undefined>;
}

/**
 * A complaint of a case as notifications need it: whose it is, its reference once it has one, and
 * what it says about the fee (which office its receipt names).
 */
export interface CaseComplaint {
  complaintId: string;
  /** The enterprise account that filed it, which hears of it. */
  enterpriseId: string;
  reference?: string;
  fee: Fee;
  facts: ComplaintFacts;
}

/** What an audit event is about, read when its notifications are written. */
export interface NotificationSources {
  getCase(caseId: string): Promise<(FeeCase & { reference?: string }) | undefined>;
  getTask(taskId: string): Promise<FeeTask | undefined>;
  getComplaint(complaintId: string): Promise<CaseComplaint | undefined>;
  /** Every complaint of the case, earliest first. */
  listComplaints(caseId: string): Promise<CaseComplaint[]>;
  /** Open tasks due from `from` to `until` (ISO instants), by due date. */
  openTasksDueBetween(from: string, until: string): Promise<FeeTask[]>;
}
