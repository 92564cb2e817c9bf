/**
 * E-mail delivery: Amazon SES v2 on AWS; SMTP (nodemailer) in the local runtime, to its own loopback
 * SMTP server or wherever SMTP_URL points. Neither logs the address or the text.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { createTransport, type Transporter } from 'nodemailer';
import { callDependency } from '#shared/adapters/aws-errors';
import type { EmailMessage, EmailSender } from '#shared/deliver-notifications/ports';

export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {}

  async send(message: EmailMessage): Promise<void> {
    await callDependency('SES', () =>
      this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
              Headers: [{ Name: 'Content-Language', Value: message.language }],
            },
          },
        }),
      ),
    );
  }
}

export class SmtpEmailSender implements EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    // Well inside the sender's 30 s timeout (nodemailer waits minutes by default): a dead server fails
    // the attempt, and the queue brings the message back, instead of the function timing out mid-send.
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 15_000,
    });
  }

  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      headers: { 'Content-Language': message.language },
    });
  }
}

export const sesClient = new SESv2Client({});

export const emailSenderFor = (config: { MAIL_FROM: string; SMTP_URL?: string | undefined }): EmailSender =>
  config.SMTP_URL
    ? new SmtpEmailSender(config.SMTP_URL, config.MAIL_FROM)
    : new SesEmailSender(sesClient, config.MAIL_FROM);
