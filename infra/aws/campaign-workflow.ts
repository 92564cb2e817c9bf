/**
 * One state machine per entry of `workflows` (infra/system.ts): the ASL file deployed as it is, its
 * `${Name}` placeholders filled by `definitionSubstitutions` (settings, and the ARNs of the functions
 * it names), logging every event without execution data, traced, and alarms on failed and timed-out
 * executions.
 *
 * The state machine has a fixed name, so its ARN is known before it exists: functions carry that ARN
 * (env, grants) without referencing the state machine resource. The state machine in turn references
 * the functions it invokes; were the functions to reference it back, CloudFormation would refuse the
 * template as a circular dependency.
 */
import { join } from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type CampaignFunction, repoRoot } from '#infra/aws/campaign-function';
import type { FunctionName, WorkflowDescription } from '#infra/system';

/** `FeeCampaign-fee-case`: the stack name, like the functions, then the workflow's name. */
export const stateMachineNameOf = (stack: Stack, workflow: Pick<WorkflowDescription, 'name'>): string =>
  `${stack.stackName}-${workflow.name}`;

/** The ARN the state machine will have, built from its fixed name (no reference to the resource). */
export const stateMachineArnOf = (stack: Stack, workflow: Pick<WorkflowDescription, 'name'>): string =>
  stack.formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineNameOf(stack, workflow),
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

export interface CampaignWorkflowProps {
  description: WorkflowDescription;
  /** The deployed functions; the definition may invoke only those its description names. */
  functions: Record<FunctionName, CampaignFunction>;
}

export class CampaignWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;
  readonly failedExecutionsAlarm: Alarm;
  readonly timedOutExecutionsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: CampaignWorkflowProps) {
    super(scope, id);
    const { description } = props;
    const stack = Stack.of(this);
    const stateMachineName = stateMachineNameOf(stack, description);

    const invoked = Object.entries(description.functionArns).map(([substitution, name]) => ({
      substitution,
      fn: props.functions[name].function,
    }));

    // Step Functions' own advice: a /aws/vendedlogs/ name keeps the CloudWatch Logs resource policy
    // that log delivery writes from growing with every log group.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: RetentionDays.ONE_MONTH,
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(join(repoRoot, description.definition)),
      definitionSubstitutions: {
        ...description.settings,
        ...Object.fromEntries(invoked.map(({ substitution, fn }) => [substitution, fn.functionArn])),
      },
      // Every event, but no state input/output: nothing of a case leaves the execution history.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    // lambda:InvokeFunction on each named function and its versions/aliases (`ARN:*`), nothing else.
    for (const { fn } of invoked) fn.grantInvoke(this.stateMachine);

    const policy = this.stateMachine.role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Log delivery (logs:CreateLogDelivery, PutResourcePolicy, DescribeLogGroups, ...) and X-Ray (PutTraceSegments, PutTelemetryRecords, GetSampling*) support no resource-level permissions; Step Functions needs them for logging level ALL and tracing.',
      },
      ...invoked.map(({ fn }) => ({
        id: `AwsSolutions-IAM5[Resource::<${stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnFunction))}.Arn>:*]`,
        reason:
          'The lambda:invoke integration calls the function the definition names; `ARN:*` only spans versions and aliases of that one function.',
      })),
    );

    this.failedExecutionsAlarm = new Alarm(this, 'ExecutionsFailed', {
      alarmDescription: `${stateMachineName}: executions failed (a case is flagged for attention or a step kept failing)`,
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    // The SLAs live in the tasks (heartbeats, deadlines), not in an execution timeout; an execution
    // that still times out was cut short by Step Functions itself (e.g. the one-year limit).
    this.timedOutExecutionsAlarm = new Alarm(this, 'ExecutionsTimedOut', {
      alarmDescription: `${stateMachineName}: executions timed out (a case stopped without an outcome)`,
      metric: this.stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** Every alarm of this workflow, for the dashboard and for alarm actions. */
  get alarms(): Alarm[] {
    return [this.failedExecutionsAlarm, this.timedOutExecutionsAlarm];
  }
}
