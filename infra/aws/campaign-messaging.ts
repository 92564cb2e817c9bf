/**
 * What the notification sender sends from: the SES email identity of the campaign's sending domain
 * (context `campaign:mailFrom`, DKIM records to be published in its DNS) and the End User Messaging SMS
 * origination identity (context `campaign:smsOriginationIdentity`: a pool, phone number or sender ID,
 * by id or ARN, registered in the console beforehand, as SMS registration requires). The sender's
 * grants name exactly these two identities.
 */
import { Annotations, ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface CampaignMessagingProps {
  mailFrom?: string;
  smsOriginationIdentity?: string;
}

/** Stand-ins that synthesize; a deployment names the real ones in context. */
export const exampleMailFrom = 'noreply@notify.fee-campaign.example.cn';
export const exampleSmsOriginationIdentity = 'pool-feecampaignexample0000000000';

export class CampaignMessaging extends Construct {
  readonly mailFrom: string;
  readonly emailIdentity: EmailIdentity;
  /** As SendTextMessage takes it. */
  readonly smsOriginationIdentity: string;
  /** What IAM authorizes SendTextMessage on. */
  readonly smsOriginationIdentityArn: string;

  constructor(scope: Construct, id: string, props: CampaignMessagingProps) {
    super(scope, id);
    if (!props.mailFrom || !props.smsOriginationIdentity) {
      Annotations.of(this).addInfo(
        'Notifications are sent from example identities: set the context values campaign:mailFrom and campaign:smsOriginationIdentity to deploy.',
      );
    }
    this.mailFrom = props.mailFrom ?? exampleMailFrom;
    const domain = this.mailFrom.split('@')[1];
    if (!domain) throw new Error(`campaign:mailFrom is not an e-mail address: ${this.mailFrom}`);
    this.emailIdentity = new EmailIdentity(this, 'EmailIdentity', { identity: Identity.domain(domain) });
    this.smsOriginationIdentity = props.smsOriginationIdentity ?? exampleSmsOriginationIdentity;
    this.smsOriginationIdentityArn = this.originationArn(this.smsOriginationIdentity);

    this.emailIdentity.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${i + 1} to publish in the DNS of ${domain}, so SES may send as ${this.mailFrom}`,
      });
    });
  }

  private originationArn(identity: string): string {
    if (identity.startsWith('arn:')) return identity;
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'sms-voice',
        resource,
        resourceName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    if (identity.startsWith('pool-')) return arn('pool', identity);
    if (identity.startsWith('phone-')) return arn('phone-number', identity);
    throw new Error(
      `campaign:smsOriginationIdentity ${identity}: give a pool or phone number id, or the ARN of a sender ID`,
    );
  }
}
