/**
 * Delivering a notification: who gets it on which channel, in which language, what an opt-out
 * stops, and that each delivery goes out once whatever the retries.
 */
import { describe, expect, it } from 'vitest';
import { deliveryMessageBody } from '#shared/adapters/delivery-queue';
import {
  DeliveryIncompleteError,
  deliverNotification,
} from '#shared/deliver-notifications/deliver-notification';
import type { Notification } from '#shared/domain/notification';
import { defaultNotificationSettings } from '#shared/domain/notification-settings';
import {
  aNotification,
  InMemoryDeliveryMarkers,
  InMemoryRecipientDirectory,
  RecordingMailbox,
} from '#test/support/fakes/notification-delivery';

const now = new Date('2026-06-02T08:00:00.000Z');
const office = { party: 'office', agency: 'MCA', province: '44' } as const;
const enterprise = { party: 'enterprise', enterpriseId: 'enterprise-1' } as const;

const setUp = () => {
  const directory = new InMemoryRecipientDirectory();
  directory.complainants.set('c-1', {
    enterpriseId: enterprise.enterpriseId,
    phone: '139 1111 2222',
    email: 'wang@example.com',
  });
  const markers = new InMemoryDeliveryMarkers();
  const email = new RecordingMailbox();
  const sms = new RecordingMailbox();
  let clock = now;
  const deps = { directory, markers, email, sms, now: () => clock };
  return {
    directory,
    markers,
    email,
    sms,
    deps,
    advance: (ms: number) => (clock = new Date(clock.getTime() + ms)),
  };
};

const taskOpened = (changes: Partial<Notification> = {}) =>
  aNotification({
    notificationId: 'n-task',
    recipient: office,
    kind: 'TASK_OPENED',
    complaintId: undefined,
    params: { taskKind: 'REVIEW', caseReference: '2026-44-000123', dueAt: '2026-06-23T15:59:59.999Z' },
    ...changes,
  });

describe('deliverNotification', () => {
  it("sends the complainant an SMS to the complaint's phone, as E.164, and an e-mail to its address", async () => {
    // Arrange
    const { deps, email, sms } = setUp();

    // Act
    const outcome = await deliverNotification(deps, aNotification());

    // Assert
    expect(outcome.sent.sort()).toEqual(['email', 'sms']);
    expect(sms.sent).toEqual([{ to: '+8613911112222', text: expect.stringContaining('2026-44-000123') }]);
    expect(email.sent).toEqual([expect.objectContaining({ to: 'wang@example.com', language: 'zh-CN' })]);
  });

  it("writes in the language the enterprise's user saved last", async () => {
    // Arrange
    const { deps, directory, email } = setUp();
    directory.subscribe(
      enterprise,
      { subject: 'newer', settings: { ...defaultNotificationSettings, language: 'en' } },
      { subject: 'older', settings: defaultNotificationSettings },
    );

    // Act
    await deliverNotification(deps, aNotification());

    // Assert
    expect(email.sent).toEqual([
      expect.objectContaining({ language: 'en', subject: expect.stringMatching(/[A-Za-z]/) }),
    ]);
  });

  it('finds the enterprise through the complaint when the queued message names none', async () => {
    // Arrange
    const { deps, directory, email } = setUp();
    directory.subscribe(enterprise, {
      subject: 'user',
      settings: { ...defaultNotificationSettings, language: 'en' },
    });
    const queued = JSON.parse(deliveryMessageBody(aNotification())).notification;

    // Act
    await deliverNotification(deps, queued);

    // Assert
    expect(JSON.stringify(queued)).not.toContain(enterprise.enterpriseId);
    expect(email.sent).toEqual([expect.objectContaining({ to: 'wang@example.com', language: 'en' })]);
  });

  it('sends a legally required notice even to a complainant who opted out of both channels', async () => {
    // Arrange
    const { deps, directory, email, sms } = setUp();
    directory.subscribe(enterprise, {
      subject: 'u',
      settings: { ...defaultNotificationSettings, emailOptOut: true, smsOptOut: true },
    });

    // Act
    await deliverNotification(deps, aNotification({ kind: 'CASE_CLOSED', params: { outcome: 'ABOLISHED' } }));

    // Assert
    expect([email.sent.length, sms.sent.length]).toEqual([1, 1]);
  });

  it('sends an office member nothing on a channel they opted out of, when the notice is not legally required', async () => {
    // Arrange
    const { deps, directory, email, sms } = setUp();
    directory.subscribe(office, {
      subject: 'officer',
      settings: {
        email: 'officer@mca.gov.cn',
        phone: '+8613800138000',
        language: 'zh-CN',
        emailOptOut: false,
        smsOptOut: true,
      },
    });

    // Act
    await deliverNotification(deps, taskOpened());

    // Assert
    expect(email.sent).toEqual([expect.objectContaining({ to: 'officer@mca.gov.cn' })]);
    expect(sms.sent).toEqual([]);
  });

  it('sends one message to an address two people of the office share', async () => {
    // Arrange
    const { deps, directory, email } = setUp();
    const shared = { ...defaultNotificationSettings, email: 'Inbox@mca.gov.cn' };
    directory.subscribe(
      office,
      { subject: 'a', settings: shared },
      { subject: 'b', settings: { ...shared, email: 'inbox@mca.gov.cn' } },
    );

    // Act
    await deliverNotification(deps, taskOpened());

    // Assert
    expect(email.sent).toHaveLength(1);
  });

  it('sends nothing for a phone number that cannot be read as E.164', async () => {
    // Arrange
    const { deps, directory, sms } = setUp();
    directory.complainants.set('c-1', { enterpriseId: enterprise.enterpriseId, phone: '010 1234' });

    // Act
    const outcome = await deliverNotification(deps, aNotification());

    // Assert
    expect([outcome.sent, sms.sent]).toEqual([[], []]);
  });

  it('sends nothing again when the same notification is delivered three times', async () => {
    // Arrange
    const { deps, email, sms } = setUp();

    // Act
    const outcomes = [];
    for (let i = 0; i < 3; i += 1) outcomes.push(await deliverNotification(deps, aNotification()));

    // Assert
    expect([email.sent.length, sms.sent.length]).toEqual([1, 1]);
    expect(outcomes.map((outcome) => outcome.alreadySent.length)).toEqual([0, 2, 2]);
  });

  it('fails after a failed send, and the retry sends only what did not go out', async () => {
    // Arrange
    const { deps, email, sms } = setUp();
    email.failures = 1;

    // Act
    const first = await deliverNotification(deps, aNotification()).catch((error: unknown) => error);
    const retry = await deliverNotification(deps, aNotification());

    // Assert
    expect(first).toBeInstanceOf(DeliveryIncompleteError);
    expect((first as DeliveryIncompleteError).sent).toEqual(['sms']);
    expect(String((first as Error).message)).not.toContain('wang@example.com');
    expect(retry).toEqual({ sent: ['email'], alreadySent: ['sms'] });
    expect([email.sent.length, sms.sent.length]).toEqual([1, 1]);
  });

  it('refuses to send while another attempt holds the claim, and sends again once that claim expired (the crash window)', async () => {
    // Arrange
    const { deps, markers, sms, advance } = setUp();
    markers.failNextConfirm = true;
    const sent = await deliverNotification(deps, aNotification()).catch((error: unknown) => error);

    // Act
    const whileClaimed = await deliverNotification(deps, aNotification()).catch((error: unknown) => error);
    advance(301_000);
    const afterExpiry = await deliverNotification(deps, aNotification());

    // Assert
    expect(sent).toBeInstanceOf(DeliveryIncompleteError);
    expect(whileClaimed).toBeInstanceOf(DeliveryIncompleteError);
    expect(afterExpiry.sent).toEqual(['sms']);
    expect(sms.sent).toHaveLength(2);
  });
});
