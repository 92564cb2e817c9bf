/**
 * One SQS work queue per entry of `queues` (infra/system.ts): the queue, its dead-letter queue after
 * `maxReceives` receives, and the consumer's event source mapping reporting partial batch failures,
 * so only the messages that failed come back. Both queues are encrypted (SSE-SQS) and refuse anything
 * but TLS. Alarms watch the dead letters, the age of the oldest waiting message and the consumer's errors.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmOnAny } from '#infra/aws/alarms';
import type { QueueDescription } from '#infra/system';

export interface CampaignQueueProps {
  description: QueueDescription;
  /** A message waiting longer than this alarms. Default: 15 minutes. */
  oldestMessageThreshold?: Duration;
}

export class CampaignQueue extends Construct {
  readonly description: QueueDescription;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;
  readonly oldestMessageAlarm: Alarm;
  private consumerAlarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: CampaignQueueProps) {
    super(scope, id);
    const { description } = props;
    this.description = description;

    // Messages carry notification parameters (references, fee and office names), never contact
    // details: SQS-managed encryption suffices and keeps the data key's grants to what `access` names.
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter queue of ${description.name}: a message lands here after ${description.maxReceives} failed receives, for an operator to redrive once the cause is fixed; a further DLQ behind it would only move those messages again.`,
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(description.visibilityTimeoutSeconds),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: description.maxReceives },
    });

    const period = Duration.minutes(5);
    this.deadLetterAlarm = alarmOnAny(
      this,
      'DeadLetterDepth',
      `${description.name}: messages failed ${description.maxReceives} times and wait in the dead-letter queue`,
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    );
    const oldest = props.oldestMessageThreshold ?? Duration.minutes(15);
    this.oldestMessageAlarm = new Alarm(this, 'OldestMessage', {
      alarmDescription: `${description.name}: a message has waited more than ${oldest.toHumanString()}`,
      metric: this.queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
      threshold: oldest.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** Makes `fn` the queue's consumer (it receives the grants to receive and delete). */
  consumeWith(fn: IFunction): void {
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: this.description.batchSize,
        reportBatchItemFailures: true,
      }),
    );
    // Partial batch failures are answers, not errors: this counts invocations that threw or timed out.
    this.consumerAlarms.push(
      alarmOnAny(
        this,
        'Errors',
        `${this.description.name}: invocations of ${this.description.function} failed`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      ),
    );
  }

  get alarms(): Alarm[] {
    return [this.deadLetterAlarm, this.oldestMessageAlarm, ...this.consumerAlarms];
  }
}
