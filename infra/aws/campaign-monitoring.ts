/**
 * The campaign dashboard and the alarms that are not owned by one workflow, stream consumer or queue.
 *
 * Business figures come from what the handlers publish with Powertools Metrics (EMF): namespace
 * `FeeCampaign`, dimension `service` = `fee-campaign`, plus `kind` on TasksCompleted and `outcome` on
 * CasesClosed. CloudWatch keeps one series per exact dimension set, so every metric here names the
 * same set its handler emits. The figures are operational (rates, trends); the exact campaign figures
 * are the counters behind `GET /api/metrics`.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type CampaignFunction, metricsNamespace, powertoolsServiceName } from '#infra/aws/campaign-function';
import type { CampaignQueue } from '#infra/aws/campaign-queue';
import type { CampaignStreamConsumer } from '#infra/aws/campaign-stream-consumer';
import type { CampaignWorkflow } from '#infra/aws/campaign-workflow';
import type { FunctionName } from '#infra/system';
import { outcomes } from '#shared/domain/fee-case';
import { taskKinds } from '#shared/domain/fee-task';

export interface CampaignMonitoringProps {
  api: RestApi;
  functions: Record<FunctionName, CampaignFunction>;
  /** By workflow name. */
  workflows: Record<string, CampaignWorkflow>;
  streamConsumers: readonly CampaignStreamConsumer[];
  /** Work queues: their dead letters, oldest message and consumer errors alarm. */
  queues?: readonly CampaignQueue[];
  /** Functions run by a schedule: a failed run (the audit anchors not written) alarms. */
  schedules?: readonly { name: string; function: CampaignFunction }[];
  /** When given, every alarm notifies it on ALARM and on OK. */
  alarmTopic?: ITopic;
  /** The API alarms when 5xx answers reach this share of requests (percent)... */
  apiServerErrorPercent?: number;
  /** ...and number at least this many in the five minutes. */
  apiServerErrorMinimum?: number;
}

const period = Duration.minutes(5);
const width = 8;
const height = 6;

/** A business metric as Powertools publishes it: `service` plus the dimensions the handler adds. */
export const businessMetric = (metricName: string, label: string, dimensions: Record<string, string> = {}) =>
  new Metric({
    namespace: metricsNamespace,
    metricName,
    dimensionsMap: { service: powertoolsServiceName, ...dimensions },
    statistic: 'Sum',
    period,
    label,
  });

/** `recordOutcome` publishes UNKNOWN when a closed case carries no outcome: visible, never expected. */
const closedOutcomes = [...outcomes, 'UNKNOWN'] as const;

export class CampaignMonitoring extends Construct {
  readonly dashboard: Dashboard;
  readonly apiServerErrorsAlarm: Alarm;
  /** Every campaign alarm: workflows, stream consumers, schedules and the API. */
  readonly alarms: Alarm[];

  constructor(scope: Construct, id: string, props: CampaignMonitoringProps) {
    super(scope, id);
    const { api } = props;
    const workflows = Object.entries(props.workflows);
    const consumers = props.streamConsumers;

    // 5xx answers as a share of requests, counted once there are at least `minimum` of them: a share
    // alone pages on one failure among a handful of night-time requests, a count alone stays silent
    // while a busy day fails a steady fraction and pages on noise at high volume.
    const percent = props.apiServerErrorPercent ?? 1;
    const minimum = props.apiServerErrorMinimum ?? 5;
    const serverErrors = api.metricServerError({ period, statistic: 'Sum' });
    const requests = api.metricCount({ period, statistic: 'Sum' });
    this.apiServerErrorsAlarm = new Alarm(this, 'ApiServerErrors', {
      alarmDescription: `${api.restApiName}: ${percent}% or more of requests answered 5xx (at least ${minimum} in five minutes)`,
      metric: new MathExpression({
        expression: `IF(errors >= ${minimum}, 100 * errors / requests, 0)`,
        usingMetrics: { errors: serverErrors, requests },
        period,
        label: `5xx % of requests (from ${minimum} errors)`,
      }),
      threshold: percent,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const scheduleAlarms = (props.schedules ?? []).map(
      (schedule) =>
        new Alarm(this, `ScheduleErrors-${schedule.name}`, {
          alarmDescription: `${schedule.name}: a scheduled run of its function failed`,
          metric: schedule.function.function.metricErrors({ period, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
    );

    this.alarms = [
      ...workflows.flatMap(([, workflow]) => workflow.alarms),
      ...scheduleAlarms,
      ...consumers.flatMap((consumer) => consumer.alarms),
      ...(props.queues ?? []).flatMap((queue) => queue.alarms),
      this.apiServerErrorsAlarm,
    ];
    if (props.alarmTopic) {
      const action = new SnsAction(props.alarmTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }

    const graph = (title: string, left: IMetric[], options: { stacked?: boolean; right?: IMetric[] } = {}) =>
      new GraphWidget({ title, left, width, height, period, ...options });

    const functions = Object.entries(props.functions);
    const perFunction = (metric: (fn: CampaignFunction, name: string) => IMetric) =>
      functions.map(([name, fn]) => metric(fn, name));

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: [
          '# Fee-burden campaign',
          `Business metrics: namespace \`${metricsNamespace}\`, service \`${powertoolsServiceName}\`, sums per five minutes; intake, abolished fees and refunds are published by the stream consumer from the exactly-once counters. Verdicts by category and province, overdue tasks and times to decision come from \`GET /api/metrics\`.`,
        ].join('\n\n'),
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      graph('Intake', [
        businessMetric('ComplaintsReceived', 'Complaints received'),
        businessMetric('CasesOpened', 'Cases opened'),
      ]),
      graph(
        'Tasks completed by kind',
        taskKinds.map((kind) => businessMetric('TasksCompleted', kind, { kind })),
        { stacked: true },
      ),
      graph(
        'Cases closed by outcome',
        closedOutcomes.map((outcome) => businessMetric('CasesClosed', outcome, { outcome })),
        { stacked: true },
      ),
    );
    this.dashboard.addWidgets(
      graph('Escalations and cases needing attention', [
        businessMetric('TasksEscalated', 'Tasks escalated past their deadline'),
        businessMetric('CasesNeedingAttention', 'Cases needing attention'),
      ]),
      graph('Changes counted and notifications written', [
        businessMetric('ChangesCounted', 'Stream changes counted'),
        businessMetric('NotificationsWritten', 'Notifications written'),
      ]),
      graph(
        'Fees abolished and refunds',
        [
          businessMetric('FeesAbolished', 'Fees abolished'),
          businessMetric('EnterprisesHelped', 'Enterprises helped'),
        ],
        {
          right: [
            businessMetric('RefundedFen', 'Refunded (fen)'),
            businessMetric('AnnualFenRemoved', 'Annual charges removed (fen)'),
          ],
        },
      ),
      graph(
        'Stream consumer lag (iterator age, ms)',
        consumers.map((consumer) =>
          consumer.function.metric('IteratorAge', {
            period,
            statistic: 'Maximum',
            label: consumer.description.name,
          }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Workflow executions',
        workflows.flatMap(([name, { stateMachine }]) => [
          stateMachine.metricStarted({ period, statistic: 'Sum', label: `${name} started` }),
          stateMachine.metricSucceeded({ period, statistic: 'Sum', label: `${name} succeeded` }),
          stateMachine.metricFailed({ period, statistic: 'Sum', label: `${name} failed` }),
          stateMachine.metricTimedOut({ period, statistic: 'Sum', label: `${name} timed out` }),
        ]),
      ),
      graph(
        'API errors',
        [
          api.metricClientError({ period, statistic: 'Sum', label: '4XX' }),
          api.metricServerError({ period, statistic: 'Sum', label: '5XX' }),
        ],
        { right: [api.metricCount({ period, statistic: 'Sum', label: 'Requests' })] },
      ),
      graph(
        'API latency (ms)',
        (['p50', 'p90', 'p99'] as const).map((statistic) =>
          api.metricLatency({ period, statistic, label: statistic }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph('Notifications', [
        businessMetric('NotificationsQueued', 'Queued for delivery'),
        businessMetric('NotificationsDelivered', 'E-mails and SMS sent'),
        businessMetric('DeliveriesAlreadySent', 'Redeliveries that sent nothing'),
      ]),
      graph(
        'Oldest queued message (s)',
        (props.queues ?? []).map((queue) =>
          queue.queue.metricApproximateAgeOfOldestMessage({
            period,
            statistic: 'Maximum',
            label: queue.description.name,
          }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Dead-letter queue depth',
        [...consumers, ...(props.queues ?? [])].map((source) =>
          source.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period,
            statistic: 'Maximum',
            label: source.description.name,
          }),
        ),
      ),
      graph(
        'Lambda errors',
        perFunction((fn, name) => fn.function.metricErrors({ period, statistic: 'Sum', label: name })),
      ),
      graph(
        'Lambda throttles',
        perFunction((fn, name) => fn.function.metricThrottles({ period, statistic: 'Sum', label: name })),
      ),
    );
  }
}
