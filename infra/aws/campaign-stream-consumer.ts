/**
 * One event source mapping per entry of `streamConsumers` (infra/system.ts): the consumer's function
 * reads the table's stream from the oldest record, only the entities it names, one batch per shard at
 * a time (order per item), reporting partial batch failures; a record that keeps failing is split
 * out by bisection, retried a bounded number of times and then handed to an on-failure queue, so it
 * never stalls the shard. Alarms watch that queue, the mapping's lag and the function's errors.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, type IFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmOnAny } from '#infra/aws/alarms';
import type { CampaignFunction } from '#infra/aws/campaign-function';
import type { StreamConsumerDescription } from '#infra/system';

export interface CampaignStreamConsumerProps {
  description: StreamConsumerDescription;
  /** The campaign table; its stream must be enabled. */
  table: ITable;
  /** The function the description names. */
  function: CampaignFunction;
  /** Records older than this go to the on-failure queue unprocessed. Default: one day. */
  maxRecordAge?: Duration;
  /** The mapping's lag (the age of the last record read) above which the consumer alarms. */
  iteratorAgeThreshold?: Duration;
}

/** The filter patterns: a record passes when its new or its old image has one of the entities. */
export const entityFilters = (entities: readonly string[]) =>
  (['NewImage', 'OldImage'] as const).map((image) =>
    FilterCriteria.filter({ dynamodb: { [image]: { entity: { S: FilterRule.or(...entities) } } } }),
  );

export class CampaignStreamConsumer extends Construct {
  readonly description: StreamConsumerDescription;
  /** The function the mapping invokes. */
  readonly function: IFunction;
  readonly deadLetterQueue: Queue;
  readonly eventSource: DynamoEventSource;
  readonly deadLetterAlarm: Alarm;
  readonly iteratorAgeAlarm: Alarm;
  readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: CampaignStreamConsumerProps) {
    super(scope, id);
    const { description, table } = props;
    const fn = props.function.function;
    this.description = description;
    this.function = fn;
    if (!table.tableStreamArn) {
      throw new Error(`${description.name}: the table has no stream to consume`);
    }

    // What lands here is the mapping's record of a failed batch (shard, sequence numbers, stream ARN),
    // not the records themselves: SQS-managed encryption suffices, and keeps the data key's grants to
    // those the function description names (a CMK would need kms:GenerateDataKey for the function).
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure (dead-letter) destination of the stream consumer: each message names the shard and sequence numbers of a batch that could not be counted, for an operator to act on; a further DLQ behind it would only move those messages again.',
    });

    // The mapping reads the stream through a reference that carries the stream ARN but not the key:
    // `grantStreamRead` then adds the stream actions alone, instead of an unconditioned kms:Decrypt on
    // the data key, which would also open sealed contact details. Stream records are decrypted by
    // DynamoDB, through the function's kms:Decrypt conditioned on kms:ViaService (its table access).
    const stream = Table.fromTableAttributes(this, 'Stream', {
      tableArn: table.tableArn,
      tableStreamArn: table.tableStreamArn,
    });
    this.eventSource = new DynamoEventSource(stream, {
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: description.batchSize,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: description.maxRetries,
      maxRecordAge: props.maxRecordAge ?? Duration.days(1),
      // One batch per shard at a time: changes of one item are applied in the order they were made.
      parallelizationFactor: 1,
      onFailure: new SqsDlq(this.deadLetterQueue),
      filters: entityFilters(description.entities),
    });
    fn.addEventSource(this.eventSource);

    const period = Duration.minutes(5);
    this.deadLetterAlarm = alarmOnAny(
      this,
      'DeadLetterDepth',
      `${description.name}: stream records could not be counted and wait in the dead-letter queue`,
      this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    );

    const iteratorAgeThreshold = props.iteratorAgeThreshold ?? Duration.minutes(5);
    this.iteratorAgeAlarm = new Alarm(this, 'IteratorAge', {
      alarmDescription: `${description.name}: the consumer is more than ${iteratorAgeThreshold.toHumanString()} behind the table's stream`,
      metric: fn.metric('IteratorAge', { period, statistic: 'Maximum' }),
      threshold: iteratorAgeThreshold.toMilliseconds(),
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // Partial batch failures are answers, not errors: this counts invocations that threw or timed out.
    this.errorsAlarm = alarmOnAny(
      this,
      'Errors',
      `${description.name}: invocations of ${description.function} failed`,
      fn.metricErrors({ period, statistic: 'Sum' }),
    );
  }

  /** Every alarm of this consumer, for the dashboard and for alarm actions. */
  get alarms(): Alarm[] {
    return [this.deadLetterAlarm, this.iteratorAgeAlarm, this.errorsAlarm];
  }
}
