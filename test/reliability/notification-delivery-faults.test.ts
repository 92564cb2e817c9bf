/**
 * Exactly-once delivery under faults: the real DynamoDB adapters against DynamoDB Local, SES and SMS
 * clients that fail now and then (aws-sdk-client-mock), marker writes that are throttled or time out
 * after they landed, an SMTP server that refuses connections, and every notification delivered three
 * times at once. However the attempts interleave and fail, each address receives each notification
 * exactly once, and nothing the failures log names an address.
 */
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalKeyContactSealer } from '#shared/adapters/contact-sealer';
import { complaintKey } from '#shared/adapters/dynamodb/keys';
import {
  DynamoDeliveryMarkers,
  DynamoRecipientDirectory,
} from '#shared/adapters/dynamodb/notification-delivery-store';
import { SesEmailSender, SmtpEmailSender } from '#shared/adapters/email-senders';
import { EndUserMessagingSmsSender } from '#shared/adapters/sms-senders';
import {
  type DeliveryDeps,
  DeliveryIncompleteError,
  deliverNotification,
} from '#shared/deliver-notifications/deliver-notification';
import { type FaultInjector, injectWriteFaults } from '#test/reliability/support/faults';
import { aNotification } from '#test/support/fakes/notification-delivery';
import { type TestTable, useTestTable } from '#test/support/table';

const contact = { name: 'Zhao Liu', phone: '+86 138 0000 5678', email: 'zhao.liu@example.com' };
const sealer = new LocalKeyContactSealer(Buffer.alloc(32, 7).toString('base64'));
let table: TestTable;
let counter = 0;
const active: FaultInjector[] = [];

/** A provider failure of the kind SES and End User Messaging answer under load. */
const providerFault = (name: string) =>
  Object.assign(new Error(`${name} for ${contact.email}`), { name, $metadata: { httpStatusCode: 503 } });

/** A client whose first `failures` sends fail; counts what it accepted. */
const flakyClient = <C extends SESv2Client | PinpointSMSVoiceV2Client>(
  client: C,
  command: typeof SendEmailCommand | typeof SendTextMessageCommand,
  failures: number,
) => {
  const accepted: unknown[] = [];
  let calls = 0;
  mockClient(client as SESv2Client)
    .on(command as typeof SendEmailCommand)
    .callsFake(async (input: unknown) => {
      calls += 1;
      if (calls <= failures) throw providerFault(calls % 2 ? 'ServiceUnavailable' : 'ThrottlingException');
      accepted.push(input);
      return { MessageId: `m-${calls}` };
    });
  return accepted;
};

/** A complaint as intake stores it: the contact sealed to its id. */
const complaintWithContact = async () => {
  counter += 1;
  const complaintId = `faults-${Date.now()}-${counter}`;
  await table.documentClient.send(
    new PutCommand({
      TableName: table.tableName,
      Item: {
        ...complaintKey(complaintId),
        entity: 'Complaint',
        complaintId,
        sealedContact: await sealer.seal(contact, complaintId),
      },
    }),
  );
  return complaintId;
};

/** Tries again, as the queue redelivers, until an attempt completes; returns the failures seen. */
const untilDelivered = async (deps: DeliveryDeps, notification: ReturnType<typeof aNotification>) => {
  const failures: unknown[] = [];
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      await deliverNotification(deps, notification);
      return failures;
    } catch (error) {
      failures.push(error);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  throw new Error('never delivered');
};

beforeAll(async () => {
  table = await useTestTable();
});

afterEach(() => {
  for (const injector of active.splice(0)) injector.restore();
});

describe('notification delivery under faults', () => {
  it('sends each message once when delivered three times at once while SES, SMS and marker writes fail', async () => {
    // Arrange
    const complaintId = await complaintWithContact();
    const notification = aNotification({ notificationId: `n-${complaintId}`, complaintId });
    const ses = new SESv2Client({ region: 'eu-west-1' });
    const sms = new PinpointSMSVoiceV2Client({ region: 'eu-west-1' });
    const mails = flakyClient(ses, SendEmailCommand, 3);
    const texts = flakyClient(sms, SendTextMessageCommand, 2);
    const claimFaults = injectWriteFaults(DynamoDeliveryMarkers.prototype, 'claim', ({ index }) =>
      index % 3 === 0 ? 'throttled' : undefined,
    );
    // The marker lands but its answer is lost: the retry must find it, not send again.
    const confirmFaults = injectWriteFaults(DynamoDeliveryMarkers.prototype, 'confirm', ({ index }) =>
      index === 0 ? 'timeout-after-write' : undefined,
    );
    active.push(claimFaults, confirmFaults);
    const deps: DeliveryDeps = {
      directory: new DynamoRecipientDirectory(table.documentClient, table.tableName, sealer),
      markers: new DynamoDeliveryMarkers(table.documentClient, table.tableName),
      email: new SesEmailSender(ses, 'noreply@fee-campaign.example'),
      sms: new EndUserMessagingSmsSender(sms, 'pool-campaign'),
    };

    // Act
    const failures = (await Promise.all([1, 2, 3].map(() => untilDelivered(deps, notification)))).flat();

    // Assert
    expect(mails).toEqual([expect.objectContaining({ Destination: { ToAddresses: [contact.email] } })]);
    expect(texts).toEqual([expect.objectContaining({ DestinationPhoneNumber: '+8613800005678' })]);
    expect(claimFaults.total).toBeGreaterThan(0);
    expect(confirmFaults.injected).toEqual({ 'timeout-after-write': 1 });
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(String((failure as Error).message)).not.toContain(contact.email);
  });

  it('gives a delivery back when the SMTP server refuses, and sends it once when mail goes through', async () => {
    // Arrange
    const complaintId = await complaintWithContact();
    const notification = aNotification({ notificationId: `n-${complaintId}`, complaintId });
    const ses = new SESv2Client({ region: 'eu-west-1' });
    const mails = flakyClient(ses, SendEmailCommand, 0);
    const sms = new PinpointSMSVoiceV2Client({ region: 'eu-west-1' });
    const texts = flakyClient(sms, SendTextMessageCommand, 0);
    const base = {
      directory: new DynamoRecipientDirectory(table.documentClient, table.tableName, sealer),
      markers: new DynamoDeliveryMarkers(table.documentClient, table.tableName),
      sms: new EndUserMessagingSmsSender(sms, 'pool-campaign'),
    };
    const refusing = {
      ...base,
      email: new SmtpEmailSender('smtp://127.0.0.1:9', 'noreply@fee-campaign.example'),
    };
    const working = { ...base, email: new SesEmailSender(ses, 'noreply@fee-campaign.example') };

    // Act
    const refused = await deliverNotification(refusing, notification).catch((error: unknown) => error);
    const retries = await Promise.all([1, 2, 3].map(() => untilDelivered(working, notification)));

    // Assert
    expect(refused).toBeInstanceOf(DeliveryIncompleteError);
    expect(retries).toHaveLength(3);
    expect(mails).toHaveLength(1);
    expect(texts).toHaveLength(1);
  });
});
