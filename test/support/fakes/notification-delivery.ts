/**
 * Notification delivery in memory, for unit tests: a directory of subscribers and complainant
 * contacts, sent markers that keep the DynamoDB adapter's claim/confirm/release promises, and
 * mailboxes that record what was sent and fail on demand.
 */
import type {
  DeliveryKey,
  DeliveryMarkers,
  EmailMessage,
  EmailSender,
  RecipientDirectory,
  SmsMessage,
  SmsSender,
  Subscriber,
} from '#shared/deliver-notifications/ports';
import type { Notification, NotificationRecipient } from '#shared/domain/notification';
import { recipientKey } from '#shared/domain/notification';

export class InMemoryRecipientDirectory implements RecipientDirectory {
  readonly parties = new Map<string, Subscriber[]>();
  /** By complaint id: the enterprise that filed it and its contact. */
  readonly complainants = new Map<string, { enterpriseId: string; phone: string; email?: string }>();

  subscribe(recipient: NotificationRecipient, ...subscribers: Subscriber[]): this {
    this.parties.set(recipientKey(recipient), subscribers);
    return this;
  }

  async subscribers(recipient: NotificationRecipient): Promise<Subscriber[]> {
    return structuredClone(this.parties.get(recipientKey(recipient)) ?? []);
  }

  async complainant(complaintId: string) {
    return this.complainants.get(complaintId);
  }
}

export class InMemoryDeliveryMarkers implements DeliveryMarkers {
  readonly markers = new Map<string, { status: 'CLAIMED' | 'SENT'; claimedUntil?: number }>();
  /** Makes the next `confirm` fail as if the process died after the send. */
  failNextConfirm = false;

  private key(delivery: DeliveryKey) {
    return `${delivery.notificationId} ${delivery.channel} ${delivery.address.toLowerCase()}`;
  }

  async claim(delivery: DeliveryKey, now: Date) {
    const marker = this.markers.get(this.key(delivery));
    if (marker?.status === 'SENT') return 'sent' as const;
    if (marker && (marker.claimedUntil ?? 0) >= now.getTime()) return 'busy' as const;
    this.markers.set(this.key(delivery), { status: 'CLAIMED', claimedUntil: now.getTime() + 300_000 });
    return 'claimed' as const;
  }

  async confirm(delivery: DeliveryKey): Promise<void> {
    if (this.failNextConfirm) {
      this.failNextConfirm = false;
      throw new Error('lost before the marker was written');
    }
    this.markers.set(this.key(delivery), { status: 'SENT' });
  }

  async release(delivery: DeliveryKey): Promise<void> {
    if (this.markers.get(this.key(delivery))?.status === 'CLAIMED') this.markers.delete(this.key(delivery));
  }
}

/** Records every message; `failures` makes the next sends throw. */
export class RecordingMailbox implements EmailSender, SmsSender {
  readonly sent: (EmailMessage | SmsMessage)[] = [];
  failures = 0;

  async send(message: EmailMessage | SmsMessage): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      const error = new Error('provider unavailable');
      error.name = 'ServiceUnavailable';
      throw error;
    }
    this.sent.push(message);
  }
}

export const aNotification = (changes: Partial<Notification> = {}): Notification => ({
  notificationId: 'n-1',
  recipient: { party: 'enterprise', enterpriseId: 'enterprise-1' },
  kind: 'COMPLAINT_RECEIVED',
  at: '2026-06-02T08:00:00.000Z',
  read: false,
  complaintId: 'c-1',
  params: { reference: '2026-44-000123', dueAt: '2026-06-23T15:59:59.999Z' },
  ...changes,
});
