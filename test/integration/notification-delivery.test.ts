/**
 * Notifications delivered for real by the local runtime: a notification written to the table reaches
 * the SMTP server (read back through maildev's REST API) and the SMS outbox, in the recipient's
 * language, once, however often its message is delivered and across a restart.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf } from '#infra/local/campaign-fixtures';
import { deliveryQueue } from '#infra/system';
import { LocalDeliveryQueue } from '#shared/adapters/delivery-queue';
import type { Notification } from '#shared/domain/notification';
import { notificationText } from '#shared/domain/notification-text';
import { fileComplaint, newScenario, type Scenario } from '#test/support/campaign-actors';
import { mailTo } from '#test/support/post-office';
import { startTestRuntime, type TestRuntime } from '#test/support/runtime';

let harness: TestRuntime;
let scenario: Scenario;
let complaintId: string;
let reference: string | undefined;
let counter = 0;
const contact = { name: 'Li Si', phone: '139 0000 1234', email: 'li.si.delivery@example.com' };

const mailsTo = (address: string) => mailTo(harness.runtime, address);

const outbox = async (): Promise<{ to: string; text: string }[]> => {
  const { outboxDir } = harness.runtime.postOffice;
  const names = (await readdir(outboxDir).catch(() => [] as string[])).filter((name) =>
    name.endsWith('.json'),
  );
  return Promise.all(names.map(async (name) => JSON.parse(await readFile(join(outboxDir, name), 'utf8'))));
};

const smsTo = async (phone: string) => (await outbox()).filter((message) => message.to === phone);

const aNotification = (changes: Partial<Notification> = {}): Notification => {
  counter += 1;
  return {
    notificationId: `delivery-test-${Date.now()}-${counter}`,
    // A development token without an account files as its credit code (dev-tokens.ts).
    recipient: { party: 'enterprise', enterpriseId: scenario.enterpriseCode },
    kind: 'COMPLAINT_RECEIVED',
    at: new Date().toISOString(),
    read: false,
    complaintId,
    params: { reference: `2026-65-${String(900_000 + counter)}`, dueAt: '2026-12-23T15:59:59.999Z' },
    ...changes,
  };
};

/** As the notification writer stores it: one item per notification, its fields beside the keys. */
const write = (notification: Notification) =>
  harness.documentClient.send(
    new PutCommand({
      TableName: harness.tableName,
      Item: {
        pk: `NOTIFICATIONS#${notification.notificationId}`,
        sk: 'NOTIFICATION',
        entity: 'Notification',
        ...notification,
      },
    }),
  );

const queueDir = () => join(harness.runtime.dataDir, 'queues', deliveryQueue.name);

beforeAll(async () => {
  harness = await startTestRuntime({ queueRetryDelayMs: () => 10 });
  scenario = await newScenario(harness);
  ({ complaintId, reference } = (await fileComplaint(harness, scenario, { contact })) as {
    complaintId: string;
    reference?: string;
  });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('notification delivery in the local runtime', () => {
  it("e-mails the complainant at the complaint's address through the SMTP server, in Chinese by default", async () => {
    // Arrange
    const notification = aNotification();

    // Act
    await write(notification);
    await harness.runtime.drainQueues();

    // Assert
    const text = notificationText(notification, 'zh-CN');
    const mails = (await mailsTo(contact.email)).filter((mail) => mail.subject === text.title);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text.trim()).toBe(text.body);
    expect(mails[0]?.headers['content-language']).toBe('zh-CN');
  });

  it('writes the SMS to the outbox, to the phone number in E.164 form', async () => {
    // Arrange
    const notification = aNotification();

    // Act
    await write(notification);
    await harness.runtime.drainQueues();

    // Assert
    const text = notificationText(notification, 'zh-CN').sms;
    expect((await smsTo('+8613900001234')).filter((message) => message.text === text)).toHaveLength(1);
  });

  it('sends once when the same notification is queued three times', async () => {
    // Arrange
    const notification = aNotification();
    const queue = new LocalDeliveryQueue(queueDir());

    // Act
    await queue.enqueue([notification, notification, notification]);
    await harness.runtime.drainQueues();

    // Assert
    const { title, sms } = notificationText(notification, 'zh-CN');
    expect((await mailsTo(contact.email)).filter((mail) => mail.subject === title)).toHaveLength(1);
    expect((await smsTo('+8613900001234')).filter((message) => message.text === sms)).toHaveLength(1);
  });

  it('delivers what was queued before a restart, once', async () => {
    // Arrange
    const notification = aNotification();
    await new LocalDeliveryQueue(queueDir()).enqueue([notification, notification]);

    // Act
    await harness.restart({ queueRetryDelayMs: () => 10 });
    await harness.runtime.drainQueues();

    // Assert
    const { title } = notificationText(notification, 'zh-CN');
    expect((await mailsTo(contact.email)).filter((mail) => mail.subject === title)).toHaveLength(1);
  });

  it("e-mails an office's officer at the address they saved, in the language they chose", async () => {
    // Arrange
    const token = await harness.token(claimsOf.regulator('MCA', '31'));
    const settings = {
      email: 'officer.31@mca.example.cn',
      language: 'en',
      emailOptOut: false,
      smsOptOut: true,
    };
    const saved = await harness.request('PUT', '/api/notifications/settings', { token, body: settings });
    const notification = aNotification({
      recipient: { party: 'office', agency: 'MCA', province: '31' },
      kind: 'TASK_OPENED',
      complaintId: undefined,
      params: { taskKind: 'REVIEW', caseReference: '2026-31-000001', dueAt: '2026-12-23T15:59:59.999Z' },
    });

    // Act
    await write(notification);
    await harness.runtime.drainQueues();

    // Assert
    expect(saved.status).toBe(200);
    const { title } = notificationText(notification, 'en');
    expect((await mailsTo(settings.email)).map((mail) => mail.subject)).toEqual([title]);
  });

  it('sends nothing when a notification is marked read (only new notifications are delivered)', async () => {
    // Arrange
    const notification = aNotification();
    await write(notification);
    await harness.runtime.drainQueues();

    // Act
    await write({ ...notification, read: true });
    await harness.runtime.drainQueues();

    // Assert
    const { title } = notificationText(notification, 'zh-CN');
    expect((await mailsTo(contact.email)).filter((mail) => mail.subject === title)).toHaveLength(1);
  });
});

describe('from a filing to the complainant, through every real part', () => {
  it('e-mails and texts the receipt with its reference: audit event, notifier, queue, SMTP server and outbox', async () => {
    // Arrange: the filing in beforeAll wrote its audit event; nothing was written by hand.
    expect(reference).toMatch(/^\d{4}-\d{2}-\d{6}$/);

    // Act
    await harness.runtime.drainQueues();

    // Assert
    const receipts = (await mailsTo(contact.email)).filter((mail) => mail.subject.includes(reference ?? '?'));
    expect(receipts.map((mail) => mail.subject)).toEqual([`投诉已提交（${reference}）`]);
    expect(receipts[0]?.text).toContain('北京市民政局');
    const texts = (await smsTo('+8613900001234')).filter((message) =>
      message.text.includes(reference ?? '?'),
    );
    expect(texts).toHaveLength(1);
    expect(texts[0]?.text.startsWith('【涉企收费治理】')).toBe(true);
  });
});

describe('notification settings', () => {
  it('answers the defaults before anything is saved', async () => {
    // Arrange
    const token = await harness.token(claimsOf.association(scenario.associationCode));

    // Act
    const response = await harness.request('GET', '/api/notifications/settings', { token });

    // Assert
    expect(response.body).toEqual({ language: 'zh-CN', emailOptOut: false, smsOptOut: false });
  });

  it('gives back what the user saved', async () => {
    // Arrange
    const token = await harness.token(claimsOf.association(scenario.associationCode));
    const settings = { phone: '+8613700000001', language: 'en', emailOptOut: true, smsOptOut: false };
    await harness.request('PUT', '/api/notifications/settings', { token, body: settings });

    // Act
    const response = await harness.request('GET', '/api/notifications/settings', { token });

    // Assert
    expect(response.body).toEqual(settings);
  });

  it("refuses an address from an enterprise, whose notices go to its complaint's contact", async () => {
    // Arrange
    const body = { email: 'someone@example.com', language: 'zh-CN', emailOptOut: false, smsOptOut: false };

    // Act
    const response = await harness.request('PUT', '/api/notifications/settings', {
      token: scenario.enterprise,
      body,
    });

    // Assert
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      expect.objectContaining({ path: 'email', code: 'unknown_field' }),
    ]);
  });

  it('refuses a phone number that is not in international form', async () => {
    // Arrange
    const token = await harness.token(claimsOf.admin());
    const body = { phone: '13800138000', language: 'zh-CN', emailOptOut: false, smsOptOut: false };

    // Act
    const response = await harness.request('PUT', '/api/notifications/settings', { token, body });

    // Assert
    expect(response.status).toBe(400);
  });
});
