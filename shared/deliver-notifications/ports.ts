/** What delivering notifications needs from the outside world. */
import type { Notification, NotificationRecipient } from '#shared/domain/notification';
import type { NotificationLanguage, NotificationSettings } from '#shared/domain/notification-settings';

export type DeliveryChannel = 'email' | 'sms';

/** One person of a party who saved notification settings. */
export interface Subscriber {
  subject: string;
  settings: NotificationSettings;
}

/** Where a party's people can be reached. Contact details never leave the sending function. */
export interface RecipientDirectory {
  /** Users of the party who saved settings, most recently saved first. */
  subscribers(recipient: NotificationRecipient): Promise<Subscriber[]>;
  /**
   * The enterprise account that filed the complaint and its contact, opened from its sealed form;
   * undefined for an unknown complaint.
   */
  complainant(
    complaintId: string,
  ): Promise<{ enterpriseId: string; phone: string; email?: string } | undefined>;
}

/**
 * The record that a notification went to an address over a channel, written once. `claim` takes the
 * right to send: `claimed`, or `sent` when it went out before, or `busy` while another attempt holds
 * a claim that has not expired; `confirm` turns the claim into the sent marker; `release` gives a
 * claim back after a failed send.
 */
export interface DeliveryMarkers {
  claim(delivery: DeliveryKey, now: Date): Promise<'claimed' | 'sent' | 'busy'>;
  confirm(delivery: DeliveryKey, now: Date): Promise<void>;
  release(delivery: DeliveryKey): Promise<void>;
}

export interface DeliveryKey {
  notificationId: string;
  channel: DeliveryChannel;
  /** The address or number, hashed by the store: the marker never holds it in clear. */
  address: string;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  language: NotificationLanguage;
}

export interface SmsMessage {
  to: string;
  text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}

/** The delivery queue: one message per notification; duplicates are absorbed by the markers. */
export interface DeliveryQueue {
  enqueue(notifications: readonly Notification[]): Promise<void>;
}
