/**
 * Delivering one notification by e-mail and SMS: to the complainant at the contact sealed in their
 * complaint, to an association's or office's people at the addresses they saved in their settings; in
 * each recipient's language; never to a channel they opted out of, unless the notice is legally
 * required. Each (notification, channel, address) is sent at most once: a claim is written before the
 * send and confirmed after it, so a redelivered message finds the marker and sends nothing. The one
 * gap is a crash between the provider's acceptance and the confirmation: the claim then expires and
 * the next attempt sends again (at least once, never lost).
 */

import type {
  DeliveryChannel,
  DeliveryMarkers,
  EmailSender,
  RecipientDirectory,
  SmsSender,
} from '#shared/deliver-notifications/ports';
import {
  legallyRequiredKinds,
  type NotificationRecipient,
  type QueuedNotification,
} from '#shared/domain/notification';
import { defaultNotificationSettings, type NotificationLanguage } from '#shared/domain/notification-settings';
import { notificationText } from '#shared/domain/notification-text';
import { e164PhoneNumber } from '#shared/domain/phone-number';

export interface DeliveryDeps {
  directory: RecipientDirectory;
  markers: DeliveryMarkers;
  email: EmailSender;
  sms: SmsSender;
  now?: () => Date;
}

/** One message to send: where, how, in which language. */
export interface Delivery {
  channel: DeliveryChannel;
  address: string;
  language: NotificationLanguage;
}

export interface DeliveryOutcome {
  sent: DeliveryChannel[];
  /** Sent before: a redelivery of the same notification. */
  alreadySent: DeliveryChannel[];
}

/** Some deliveries failed or are still being sent by another attempt; the message is to be retried. */
export class DeliveryIncompleteError extends Error {
  override name = 'DeliveryIncompleteError';
  constructor(
    readonly failures: readonly { channel: DeliveryChannel; reason: string }[],
    /** What this attempt did send before it gave up on the rest. */
    readonly sent: readonly DeliveryChannel[],
    options?: { cause?: unknown },
  ) {
    // Channels and error names only: the addresses stay inside this function.
    super(
      `${failures.length} deliveries not done: ${failures.map((f) => `${f.channel} (${f.reason})`).join(', ')}`,
      options,
    );
  }
}

const isLegallyRequired = (notification: QueuedNotification) =>
  legallyRequiredKinds.includes(notification.kind);

/** The complainant: their complaint's contact, in the language and with the opt-outs of the enterprise account. */
const complainantDeliveries = async (
  directory: RecipientDirectory,
  notification: QueuedNotification,
): Promise<Delivery[]> => {
  if (!notification.complaintId) return [];
  const contact = await directory.complainant(notification.complaintId);
  if (!contact) return [];
  // The enterprise has one contact per complaint, so one preference: the one saved last by its users.
  const [latest] = await directory.subscribers({ party: 'enterprise', enterpriseId: contact.enterpriseId });
  const settings = latest?.settings ?? defaultNotificationSettings;
  const required = isLegallyRequired(notification);
  const deliveries: Delivery[] = [];
  const phone = e164PhoneNumber(contact.phone);
  if (phone && (required || !settings.smsOptOut)) {
    deliveries.push({ channel: 'sms', address: phone, language: settings.language });
  }
  if (contact.email && (required || !settings.emailOptOut)) {
    deliveries.push({ channel: 'email', address: contact.email, language: settings.language });
  }
  return deliveries;
};

/** An association's or office's people (or the campaign admins): each at the addresses they saved. */
const subscriberDeliveries = async (
  directory: RecipientDirectory,
  notification: QueuedNotification,
  recipient: Exclude<NotificationRecipient, { party: 'enterprise' }>,
): Promise<Delivery[]> => {
  const required = isLegallyRequired(notification);
  const deliveries: Delivery[] = [];
  for (const { settings } of await directory.subscribers(recipient)) {
    if (settings.email && (required || !settings.emailOptOut)) {
      deliveries.push({ channel: 'email', address: settings.email, language: settings.language });
    }
    if (settings.phone && (required || !settings.smsOptOut)) {
      deliveries.push({ channel: 'sms', address: settings.phone, language: settings.language });
    }
  }
  return deliveries;
};

/** Every message a notification becomes, one per channel and address (two people may share one). */
export const deliveriesOf = async (
  directory: RecipientDirectory,
  notification: QueuedNotification,
): Promise<Delivery[]> => {
  const { recipient } = notification;
  const all =
    recipient.party === 'enterprise'
      ? await complainantDeliveries(directory, notification)
      : await subscriberDeliveries(directory, notification, recipient);
  const seen = new Set<string>();
  return all.filter((delivery) => {
    const key = `${delivery.channel} ${delivery.address.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

const send = async (deps: DeliveryDeps, notification: QueuedNotification, delivery: Delivery) => {
  const text = notificationText(notification, delivery.language);
  if (delivery.channel === 'email') {
    await deps.email.send({
      to: delivery.address,
      subject: text.title,
      text: text.body,
      language: delivery.language,
    });
  } else {
    await deps.sms.send({ to: delivery.address, text: text.sms });
  }
};

/**
 * Sends what has not been sent yet. Throws DeliveryIncompleteError when a send failed or another
 * attempt is sending the same message right now, after trying every other delivery.
 */
export const deliverNotification = async (
  deps: DeliveryDeps,
  notification: QueuedNotification,
): Promise<DeliveryOutcome> => {
  const now = deps.now ?? (() => new Date());
  const outcome: DeliveryOutcome = { sent: [], alreadySent: [] };
  const failures: { channel: DeliveryChannel; reason: string }[] = [];
  const errors: unknown[] = [];
  for (const delivery of await deliveriesOf(deps.directory, notification)) {
    const key = {
      notificationId: notification.notificationId,
      channel: delivery.channel,
      address: delivery.address,
    };
    const claim = await deps.markers.claim(key, now());
    if (claim === 'sent') {
      outcome.alreadySent.push(delivery.channel);
      continue;
    }
    if (claim === 'busy') {
      failures.push({ channel: delivery.channel, reason: 'being sent by another attempt' });
      continue;
    }
    try {
      await send(deps, notification, delivery);
    } catch (error) {
      // Given back, so the retry may send it; if this fails too the claim simply expires.
      await deps.markers.release(key).catch(() => undefined);
      failures.push({ channel: delivery.channel, reason: error instanceof Error ? error.name : 'failed' });
      errors.push(error);
      continue;
    }
    outcome.sent.push(delivery.channel);
    try {
      await deps.markers.confirm(key, now());
    } catch (error) {
      // Sent but not marked: the claim expires and a retry sends it again (the documented crash window).
      failures.push({ channel: delivery.channel, reason: 'sent, marker not written' });
      errors.push(error);
    }
  }
  if (failures.length > 0) throw new DeliveryIncompleteError(failures, outcome.sent, { cause: errors });
  return outcome;
};
