/**
 * The notification store and its sources in memory, for unit tests of the notification use cases.
 * They keep the DynamoDB adapters' promises: a notification is written once per source and recipient
 * (the second part of its id), the unread counter moves with it and never below zero, pages are
 * newest first with cursors bound to the recipient. A test can make the next writes fail.
 */
import type { FeeCase } from '#shared/domain/fee-case';
import type { FeeTask } from '#shared/domain/fee-task';
import { type Notification, type NotificationRecipient, recipientKey } from '#shared/domain/notification';
import type {
  CaseComplaint,
  NotificationPage,
  NotificationSources,
  NotificationStore,
} from '#shared/notifications/ports';

const copy = <T>(value: T): T => structuredClone(value);
const onceKey = (notification: Notification) =>
  `${recipientKey(notification.recipient)}|${notification.notificationId.split('-').slice(1).join('-')}`;

export class InMemoryNotificationStore implements NotificationStore {
  readonly notifications: Notification[] = [];
  private readonly written = new Set<string>();
  private readonly unreadBy = new Map<string, number>();
  /** Writes that fail before anything is written. */
  failNextWrites = 0;

  async writeOnce(notification: Notification): Promise<'written' | 'duplicate'> {
    if (this.failNextWrites > 0) {
      this.failNextWrites -= 1;
      throw new Error('injected: the write failed');
    }
    if (this.written.has(onceKey(notification))) return 'duplicate';
    this.written.add(onceKey(notification));
    this.notifications.push(copy(notification));
    const key = recipientKey(notification.recipient);
    this.unreadBy.set(key, (this.unreadBy.get(key) ?? 0) + 1);
    return 'written';
  }

  private of(recipient: NotificationRecipient) {
    return this.notifications
      .filter((notification) => recipientKey(notification.recipient) === recipientKey(recipient))
      .sort((a, b) => b.notificationId.localeCompare(a.notificationId));
  }

  async list(recipient: NotificationRecipient, limit: number, cursor?: string): Promise<NotificationPage> {
    const all = this.of(recipient);
    const start = cursor === undefined ? 0 : Number(cursor.split('@')[1]);
    if (cursor !== undefined && cursor.split('@')[0] !== recipientKey(recipient))
      throw new Error('cursor of another recipient');
    const items = all.slice(start, start + limit).map(copy);
    const next = start + limit < all.length ? `${recipientKey(recipient)}@${start + limit}` : null;
    return { items, cursor: next, unread: this.unreadBy.get(recipientKey(recipient)) ?? 0 };
  }

  async markRead(recipient: NotificationRecipient, notificationId: string) {
    const stored = this.of(recipient).find((notification) => notification.notificationId === notificationId);
    if (!stored) return undefined;
    const key = recipientKey(recipient);
    if (!stored.read) {
      stored.read = true;
      this.unreadBy.set(key, Math.max(0, (this.unreadBy.get(key) ?? 0) - 1));
    }
    return { notification: copy(stored), unread: this.unreadBy.get(key) ?? 0 };
  }

  /** Every notification of one recipient. */
  to(recipient: NotificationRecipient): Notification[] {
    return this.of(recipient).map(copy);
  }
}

/** Cases, tasks and complaints to read from, as the tests set them up. */
export class InMemoryNotificationSources implements NotificationSources {
  readonly cases = new Map<string, FeeCase & { reference?: string }>();
  readonly tasks = new Map<string, FeeTask>();
  readonly complaints: (CaseComplaint & { caseId: string })[] = [];

  async getCase(caseId: string) {
    const found = this.cases.get(caseId);
    return found && copy(found);
  }

  async getTask(taskId: string) {
    const found = this.tasks.get(taskId);
    return found && copy(found);
  }

  async getComplaint(complaintId: string): Promise<CaseComplaint | undefined> {
    const found = this.complaints.find((complaint) => complaint.complaintId === complaintId);
    if (!found) return undefined;
    const { caseId: _caseId, ...complaint } = found;
    return copy(complaint);
  }

  async listComplaints(caseId: string): Promise<CaseComplaint[]> {
    return this.complaints
      .filter((complaint) => complaint.caseId === caseId)
      .map(({ caseId: _caseId, ...complaint }) => copy(complaint));
  }

  async openTasksDueBetween(from: string, until: string): Promise<FeeTask[]> {
    return [...this.tasks.values()]
      .filter((task) => task.status === 'OPEN' && task.dueAt >= from && task.dueAt <= until)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      .map(copy);
  }
}
