/** The campaign's most common alarm: anything at all of a metric in five minutes is worth a look. */
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';

/** Alarms when `metric` reaches 1 in one evaluation period; no data is not a breach. */
export const alarmOnAny = (scope: Construct, id: string, alarmDescription: string, metric: IMetric): Alarm =>
  new Alarm(scope, id, {
    alarmDescription,
    metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
