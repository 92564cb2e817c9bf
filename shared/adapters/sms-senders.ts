/**
 * SMS delivery: AWS End User Messaging SMS (SMS and voice v2) on AWS; in the local runtime a file per
 * message in the outbox folder, which the runtime's outbox page shows. Neither logs the number or text.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { callDependency } from '#shared/adapters/aws-errors';
import { writeWholeFile } from '#shared/adapters/whole-file';
import type { SmsMessage, SmsSender } from '#shared/deliver-notifications/ports';

export class EndUserMessagingSmsSender implements SmsSender {
  constructor(
    private readonly sms: PinpointSMSVoiceV2Client,
    private readonly originationIdentity: string,
    private readonly configurationSet?: string,
  ) {}

  async send(message: SmsMessage): Promise<void> {
    await callDependency('SMS', () =>
      this.sms.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: message.to,
          OriginationIdentity: this.originationIdentity,
          MessageBody: message.text,
          MessageType: 'TRANSACTIONAL',
          ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        }),
      ),
    );
  }
}

/** One outbox file: what a phone would have received. */
export interface OutboxMessage {
  messageId: string;
  at: string;
  to: string;
  text: string;
}

export class LocalOutboxSmsSender implements SmsSender {
  constructor(private readonly outboxDir: string) {}

  async send(message: SmsMessage): Promise<void> {
    await mkdir(this.outboxDir, { recursive: true, mode: 0o700 });
    const at = new Date().toISOString();
    const entry: OutboxMessage = { messageId: randomUUID(), at, ...message };
    const name = `${at.replace(/[:.]/g, '-')}-${entry.messageId}.json`;
    // Written whole: the outbox page never reads half a message.
    await writeWholeFile(join(this.outboxDir, name), JSON.stringify(entry), { mode: 0o600 });
  }
}

export const smsClient = new PinpointSMSVoiceV2Client({});

export const smsSenderFor = (config: {
  SMS_ORIGINATION_IDENTITY?: string | undefined;
  SMS_CONFIGURATION_SET?: string | undefined;
  LOCAL_OUTBOX_DIR?: string | undefined;
}): SmsSender => {
  if (config.LOCAL_OUTBOX_DIR) return new LocalOutboxSmsSender(config.LOCAL_OUTBOX_DIR);
  return new EndUserMessagingSmsSender(
    smsClient,
    config.SMS_ORIGINATION_IDENTITY ?? '',
    config.SMS_CONFIGURATION_SET,
  );
};
