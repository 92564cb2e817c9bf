/**
 * The stateless stack: one function per entry of `functions`, one API method per entry of `routes`,
 * one state machine per entry of `workflows`, one event source mapping per entry of `streamConsumers`
 * and one EventBridge rule per entry of `schedules` (all from `infra/system.ts`), the Cognito user
 * pool that issues the tokens the API checks, the WAF in front of the API stage, and the campaign
 * dashboard with its alarms.
 */
import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Size,
  Stack,
  type StackProps,
  TimeZone,
  Validations,
} from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
  UserPoolOperation,
  VerificationEmailStyle,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, type IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { ScheduleExpression, Schedule as SchedulerSchedule } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { CampaignFunction } from '#infra/aws/campaign-function';
import { CampaignMessaging } from '#infra/aws/campaign-messaging';
import { CampaignMonitoring } from '#infra/aws/campaign-monitoring';
import { CampaignQueue } from '#infra/aws/campaign-queue';
import { CampaignStreamConsumer } from '#infra/aws/campaign-stream-consumer';
import { CampaignWorkflow, stateMachineArnOf } from '#infra/aws/campaign-workflow';
import { auditAnchorsBucketName, evidenceBucketName } from '#infra/aws/data-stack';
import {
  addressRateRules,
  bodySizeRule,
  managedRuleGroup,
  throttledResponseBody,
  visibility,
} from '#infra/aws/web-acl-rules';
import {
  apiMinCompressionBytes,
  deliveryQueue,
  evidenceBucket,
  type FunctionName,
  feeCaseWorkflow,
  functions,
  queues,
  routes,
  schedules,
  streamConsumers,
  workflows,
} from '#infra/system';
import { roles } from '#shared/domain/principal';
import { type ApiRoute, apiRoutes, binaryMediaTypes, routeKey } from '#shared/http/routes';

/** What a user may change about themselves: never the attributes that carry their role and tenancy. */
/** The user pool step each trigger of `functions` runs at. */
const triggerOperations = {
  preSignUp: UserPoolOperation.PRE_SIGN_UP,
  postConfirmation: UserPoolOperation.POST_CONFIRMATION,
} as const;

/**
 * What the app clients may write: e-mail, name, and the credit code, which is immutable and so only
 * ever set at sign-up. Agency, province and the linked enterprise are the admins' alone.
 */
export const userWritableAttributes = () =>
  new ClientAttributes()
    .withStandardAttributes({ email: true, fullname: true })
    .withCustomAttributes('creditCode');

/**
 * Routes limited per client address (the WAF rules) are also capped as a whole at the stage, so
 * that guessing from many addresses at once stays slow: 5 a second, bursts of 10. A method's settings
 * replace the stage's, so it logs as every other method does.
 */
const lookupMethodThrottling = Object.fromEntries(
  apiRoutes
    .filter((route: ApiRoute) => route.requestsPerMinutePerAddress !== undefined)
    .map((route) => [
      `${route.path}/${route.method}`,
      {
        throttlingRateLimit: 5,
        throttlingBurstLimit: 10,
        loggingLevel: MethodLoggingLevel.INFO,
        metricsEnabled: true,
        dataTraceEnabled: false,
      },
    ]),
);

export interface CampaignStackProps extends StackProps {
  table: ITable;
  /** Encrypts the table and the audit anchors, and seals complainant contact details. */
  contactKey: IKey;
  /** The audit chain's HMAC key. */
  auditKey: IKey;
  /** Encrypts the evidence files (the data stack's evidence bucket, named by evidenceBucketName). */
  evidenceKey: IKey;
  /** Steady-state requests per second for the whole stage. */
  throttlingRateLimit?: number;
  throttlingBurstLimit?: number;
  /** Requests one IP may send in five minutes before WAF blocks it. */
  wafRequestsPerIpPer5Minutes?: number;
  /** Subscribed by e-mail to the alarm topic (context `campaign:alarmEmail`); the topic exists without it. */
  alarmEmail?: string;
  /** The notification sender's e-mail address (context `campaign:mailFrom`); its domain becomes the SES identity. */
  mailFrom?: string;
  /** The SMS origination identity (context `campaign:smsOriginationIdentity`). */
  smsOriginationIdentity?: string;
}

const errorTemplate = (code: string, message: string) => ({
  'application/json': `{"error":{"code":"${code}","message":${message}}}`,
});
// `messageString` is API Gateway's own message, already a quoted JSON string.
const gatewayMessage = '$context.error.messageString';

const pascalCase = (name: string) =>
  name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());

export class CampaignStack extends Stack {
  readonly api: RestApi;
  readonly functions: Record<FunctionName, CampaignFunction>;
  /** By workflow name. */
  readonly workflows: Record<string, CampaignWorkflow>;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly webAcl: CfnWebACL;
  /** By stream consumer name. */
  readonly streamConsumers: Record<string, CampaignStreamConsumer>;
  /** By queue name. */
  readonly queues: Record<string, CampaignQueue>;
  /** The identities notifications are sent from. */
  readonly messaging: CampaignMessaging;
  /**
   * By schedule name: the EventBridge rule (every few minutes) or the EventBridge Scheduler schedule
   * (daily at a China time) that runs its function.
   */
  readonly schedules: Record<string, Rule | SchedulerSchedule>;
  /** Starts the screener for each object created under the screening prefix of the evidence bucket. */
  readonly screening: Rule;
  readonly monitoring: CampaignMonitoring;
  /** Every campaign alarm notifies it, on ALARM and on OK. */
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: CampaignStackProps) {
    super(scope, id, props);

    // `access.workflow` means the fee-case workflow; its ARN comes from the state machine's fixed name.
    const feeCaseStateMachineArn = stateMachineArnOf(this, feeCaseWorkflow);
    // The data stack's anchor bucket, by its name (see auditAnchorsBucketName).
    const auditAnchors = Bucket.fromBucketAttributes(this, 'AuditAnchors', {
      bucketName: auditAnchorsBucketName(this),
      encryptionKey: props.contactKey,
    });
    const evidence = Bucket.fromBucketAttributes(this, 'Evidence', {
      bucketName: evidenceBucketName(this),
      encryptionKey: props.evidenceKey,
    });
    this.queues = {};
    for (const description of queues) {
      this.queues[description.name] = new CampaignQueue(this, `Queue-${description.name}`, { description });
    }
    this.messaging = new CampaignMessaging(this, 'Messaging', {
      mailFrom: props.mailFrom,
      smsOriginationIdentity: props.smsOriginationIdentity,
    });
    // Before the functions: the users API administers it; its triggers are added once they exist.
    this.userPool = this.buildUserPool();
    const built: Partial<Record<FunctionName, CampaignFunction>> = {};
    for (const description of functions) {
      built[description.name] = new CampaignFunction(this, `Fn-${description.name}`, {
        description,
        table: props.table,
        contactKey: props.contactKey,
        auditKey: props.auditKey,
        auditAnchors,
        stateMachineArn: feeCaseStateMachineArn,
        readsStream: streamConsumers.some((consumer) => consumer.function === description.name),
        deliveryQueue: this.queues[deliveryQueue.name]?.queue,
        messaging: this.messaging,
        evidence,
        userPool: this.userPool,
      });
    }
    this.functions = built as Record<FunctionName, CampaignFunction>;
    for (const description of functions) {
      if (!('userPoolTrigger' in description)) continue;
      this.userPool.addTrigger(
        triggerOperations[description.userPoolTrigger],
        this.functions[description.name].function,
      );
    }
    this.screening = this.buildScreeningRule(evidence.bucketName);
    for (const queue of Object.values(this.queues)) {
      queue.consumeWith(this.functions[queue.description.function].function);
    }

    this.workflows = {};
    for (const description of workflows) {
      const workflow = new CampaignWorkflow(this, `Workflow-${description.name}`, {
        description,
        functions: this.functions,
      });
      this.workflows[description.name] = workflow;
      new CfnOutput(this, `StateMachineArn${pascalCase(description.name)}`, {
        value: workflow.stateMachine.stateMachineArn,
        description: `ARN of the ${description.name} state machine`,
      });
    }

    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      writeAttributes: userWritableAttributes(),
    });

    this.api = this.buildApi(props);
    this.webAcl = this.buildWebAcl(props.wafRequestsPerIpPer5Minutes ?? 1000);
    new CfnWebACLAssociation(this, 'ApiWebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });

    this.streamConsumers = {};
    for (const description of streamConsumers) {
      this.streamConsumers[description.name] = new CampaignStreamConsumer(
        this,
        `StreamConsumer-${description.name}`,
        { description, table: props.table, function: this.functions[description.function] },
      );
    }

    this.schedules = {};
    for (const description of schedules) {
      const fn = this.functions[description.function].function;
      if ('everyMinutes' in description) {
        this.schedules[description.name] = new Rule(this, `Schedule-${description.name}`, {
          description: `Runs ${description.function} every ${description.everyMinutes} minutes`,
          schedule: Schedule.rate(Duration.minutes(description.everyMinutes)),
          // A failed run is tried again; a run that keeps failing leaves its work for the next one.
          targets: [new LambdaFunction(fn, { retryAttempts: 2 })],
        });
        continue;
      }
      const [hour, minute] = description.dailyAtChinaTime.split(':');
      // Scheduler keeps the China time itself; its role may invoke this one function and nothing else.
      const role = new Role(this, `ScheduleRole-${description.name}`, {
        assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      });
      this.schedules[description.name] = new SchedulerSchedule(this, `Schedule-${description.name}`, {
        description: `Runs ${description.function} daily at ${description.dailyAtChinaTime} China time`,
        schedule: ScheduleExpression.cron({ hour, minute, timeZone: TimeZone.ASIA_SHANGHAI }),
        target: new LambdaInvoke(fn, { role, retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      });
      Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${this.resolve(this.getLogicalId(fn.node.defaultChild as CfnFunction))}.Arn>:*]`,
        reason:
          'lambda:InvokeFunction on the one scheduled function; `ARN:*` only spans versions and aliases of that function.',
      });
    }

    // Alarms that notify nobody are only seen by whoever happens to open the dashboard.
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Fee campaign alarms',
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.monitoring = new CampaignMonitoring(this, 'Monitoring', {
      api: this.api,
      functions: this.functions,
      workflows: this.workflows,
      streamConsumers: Object.values(this.streamConsumers),
      queues: Object.values(this.queues),
      schedules: schedules.map((description) => ({
        name: description.name,
        function: this.functions[description.function],
      })),
      alarmTopic: this.alarmTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.urlForPath('/api'), description: 'Base URL of the API' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'DashboardName', {
      value: this.monitoring.dashboard.dashboardName,
      description: 'CloudWatch dashboard of the campaign',
    });
  }

  /**
   * The evidence bucket sends its events to EventBridge (a bucket notification would close a cycle
   * between the stacks); this rule hands each object created under the screening prefix to the
   * screener in the shape of an S3 notification, the shape the local runtime hands over too.
   */
  private buildScreeningRule(bucketName: string): Rule {
    const { prefix, function: screener } = evidenceBucket.screening;
    return new Rule(this, 'EvidenceScreening', {
      description: `Screens each evidence file uploaded under ${prefix}`,
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [bucketName] }, object: { key: [{ prefix }] } },
      },
      targets: [
        new LambdaFunction(this.functions[screener].function, {
          retryAttempts: 2,
          event: RuleTargetInput.fromObject({
            Records: [
              {
                eventSource: 'aws:s3',
                eventName: `ObjectCreated:${EventField.fromPath('$.detail.reason')}`,
                eventTime: EventField.time,
                awsRegion: EventField.region,
                s3: {
                  bucket: { name: EventField.fromPath('$.detail.bucket.name') },
                  object: {
                    key: EventField.fromPath('$.detail.object.key'),
                    size: EventField.fromPath('$.detail.object.size'),
                  },
                },
              },
            ],
          }),
        }),
      ],
    });
  }

  private buildUserPool(): UserPool {
    const pool = new UserPool(this, 'Users', {
      // Enterprises only: the pre-sign-up trigger refuses any other sign-up (docs/accounts.md, "On AWS").
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      userVerification: {
        emailStyle: VerificationEmailStyle.CODE,
        emailSubject: '【涉企收费治理】注册验证码 / Your verification code',
        emailBody:
          '您正在注册行业协会商会涉企收费治理平台企业账号，验证码为 {####}，请在页面中输入以完成注册。如非本人操作，请忽略本邮件。\n\nYour verification code for the fee campaign platform is {####}.',
      },
      userInvitation: {
        emailSubject: '【涉企收费治理】账号开通通知 / Your account is ready',
        emailBody:
          '您好！行业协会商会涉企收费治理平台已为您开通账号。登录账号：{username}，临时密码：{####}。首次登录时须设置新密码。\n\nAn account of the fee campaign platform has been opened for you. User name: {username}; temporary password: {####}. You set a new password at your first sign-in.',
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      customAttributes: {
        // Set at sign-up (or by the admin who invites an association) and never again.
        creditCode: new StringAttribute({ minLen: 18, maxLen: 18, mutable: false }),
        agency: new StringAttribute({ mutable: true }),
        province: new StringAttribute({ minLen: 2, maxLen: 2, mutable: true }),
        /** The account whose complaints an enterprise account files and sees, when an admin linked it. */
        enterpriseId: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
      },
      // Identities of every complainant and regulator live here: never lost to a stack deletion.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA stays optional by product decision (accounts are created by administrators for many small enterprises); every user can enrol TOTP, and PLUS-plan threat protection in ENFORCED mode acts on risky and compromised-credential sign-ins.',
    });
    for (const role of roles) {
      new UserPoolGroup(this, `Group-${role}`, { userPool: pool, groupName: role });
    }
    return pool;
  }

  private buildApi(props: CampaignStackProps): RestApi {
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: RetentionDays.ONE_MONTH });
    const api = new RestApi(this, 'Api', {
      restApiName: `${this.stackName}-api`,
      description: 'Fee-burden campaign API',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      binaryMediaTypes: [...binaryMediaTypes],
      // CloudFront passes the API through uncached, so it compresses nothing: the API does.
      minCompressionSize: Size.bytes(apiMinCompressionBytes),
      // Execution logging (INFO) needs the account-level CloudWatch role.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: 'prod',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            ip: AccessLogField.contextIdentitySourceIp(),
            requestTime: AccessLogField.contextRequestTime(),
            method: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            errorType: AccessLogField.contextErrorResponseType(),
            wafStatus: AccessLogField.contextWafStatus(),
            xrayTraceId: AccessLogField.contextXrayTraceId(),
            // The Cognito subject, not the e-mail: enough to trace abuse without logging contact details.
            sub: AccessLogField.contextAuthorizerClaims('sub'),
          }),
        ),
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit ?? 100,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
        methodOptions: lookupMethodThrottling,
      },
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level API Gateway logging role uses the AWS managed policy API Gateway documents for it; execution logging needs it.',
    });

    this.addGatewayResponses(api);

    const authorizer = new CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [this.userPool],
      identitySource: 'method.request.header.Authorization',
    });
    const validator = new RequestValidator(this, 'RequestValidator', {
      restApi: api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const integrations = new Map<FunctionName, LambdaIntegration>();
    const integrationFor = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new LambdaIntegration(this.functions[name].function, {
          proxy: true,
          allowTestInvoke: false,
        });
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of routes) {
      const resource = api.root.resourceForPath(route.path);
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const requestParameters = Object.fromEntries(
        pathParameters.map((name) => [`method.request.path.${name}`, true] as const),
      );
      const common = {
        operationName: route.operationId,
        requestValidator: validator,
        requestParameters,
      };
      if (route.access !== 'public') {
        resource.addMethod(route.method, integrationFor(route.function), {
          ...common,
          authorizationType: AuthorizationType.COGNITO,
          authorizer,
        });
        continue;
      }
      const method = resource.addMethod(route.method, integrationFor(route.function), {
        ...common,
        authorizationType: AuthorizationType.NONE,
      });
      const why = `${routeKey(route)} (${route.operationId}) is public in the route description; public routes never return complainant data.`;
      Validations.of(method).acknowledge(
        { id: 'AwsSolutions-APIG4', reason: why },
        { id: 'AwsSolutions-COG4', reason: why },
      );
    }
    return api;
  }

  /** API Gateway's own refusals answer in the API's error shape, like the handlers do. */
  private addGatewayResponses(api: RestApi): void {
    const responses = [
      { id: 'Unauthorized', type: ResponseType.UNAUTHORIZED, status: '401', code: 'UNAUTHENTICATED' },
      { id: 'AccessDenied', type: ResponseType.ACCESS_DENIED, status: '403', code: 'FORBIDDEN' },
      // An unknown path or method: API Gateway says 403 "Missing Authentication Token", which misleads.
      {
        id: 'MissingAuthenticationToken',
        type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
        status: '404',
        code: 'NOT_FOUND',
      },
      { id: 'BadRequestBody', type: ResponseType.BAD_REQUEST_BODY, status: '400', code: 'VALIDATION_FAILED' },
      {
        id: 'BadRequestParameters',
        type: ResponseType.BAD_REQUEST_PARAMETERS,
        status: '400',
        code: 'VALIDATION_FAILED',
      },
      {
        id: 'RequestTooLarge',
        type: ResponseType.REQUEST_TOO_LARGE,
        status: '413',
        code: 'PAYLOAD_TOO_LARGE',
      },
      { id: 'Throttled', type: ResponseType.THROTTLED, status: '429', code: 'THROTTLED' },
      { id: 'WafFiltered', type: ResponseType.WAF_FILTERED, status: '403', code: 'REQUEST_BLOCKED' },
      // The defaults keep API Gateway's status and name the response type as the code.
      { id: 'Default4xx', type: ResponseType.DEFAULT_4XX, code: '$context.error.responseType' },
      { id: 'Default5xx', type: ResponseType.DEFAULT_5XX, code: '$context.error.responseType' },
    ];
    for (const response of responses) {
      api.addGatewayResponse(response.id, {
        type: response.type,
        ...(response.status ? { statusCode: response.status } : {}),
        responseHeaders: {
          'Content-Type': "'application/json'",
          ...(response.status === '429' ? { 'Retry-After': "'1'" } : {}),
        },
        templates: errorTemplate(response.code, gatewayMessage),
      });
    }
  }

  private buildWebAcl(requestsPerIpPer5Minutes: number): CfnWebACL {
    return new CfnWebACL(this, 'ApiWebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('FeeCampaignApi'),
      customResponseBodies: { throttled: throttledResponseBody },
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'throttled',
                responseHeaders: [{ name: 'Retry-After', value: '300' }],
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: requestsPerIpPer5Minutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: visibility('RatePerIp'),
        },
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 1, [bodySizeRule]),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 2),
        ...addressRateRules(apiRoutes, 3, 'FORWARDED_IP'),
      ],
    });
  }
}
