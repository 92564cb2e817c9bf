/**
 * The house Lambda construct: every function of `infra/system.ts` is built the same way (Node.js 24 on
 * arm64, ESM bundle with the AWS SDK inside, X-Ray, its own log group) and receives exactly the grants
 * its description names.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { type ITable, Table, TableGrants } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import type { CampaignMessaging } from '#infra/aws/campaign-messaging';
import { flattenCfnValue } from '#infra/aws/nag-findings';
import { campaignTable, type FunctionAccess, type FunctionDescription } from '#infra/system';

/** Repository root: entries, the lock file and tsconfig are resolved from here, not from the cwd. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Powertools' service name: the `service` dimension of every business metric the handlers publish. */
export const powertoolsServiceName = 'fee-campaign';
/** The CloudWatch namespace of the handlers' business metrics (Powertools Metrics, EMF). */
export const metricsNamespace = 'FeeCampaign';

/**
 * What each native module of `nativeModules` needs in the function's node_modules: the package, its
 * prebuilt binary and library for Linux x86_64, and its runtime dependencies (sharp's package.json).
 * They are copied from the repository's node_modules, so synthesis stays offline.
 */
export const nativePackages = {
  sharp: [
    'sharp',
    '@img/sharp-linux-x64',
    '@img/sharp-libvips-linux-x64',
    '@img/colour',
    'detect-libc',
    'semver',
  ],
} as const;

// ESM bundles have no `require`; some bundled CommonJS dependencies still call it.
const requireShim = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export interface CampaignFunctionProps {
  description: FunctionDescription;
  table: ITable;
  /** The key that seals complainant contact details; used only when the description asks for it. */
  contactKey: IKey;
  /** The audit chain's HMAC key: GenerateMac or VerifyMac, as `access.auditKey` names. */
  auditKey: IKey;
  /** The Object Lock bucket of the audit anchors, encrypted with the data key, as `access.auditAnchors` names. */
  auditAnchors: IBucket;
  /**
   * ARN of the state machine `access.workflow` refers to, built from its fixed name: a reference to
   * the state machine resource would close a cycle (it invokes the functions it names).
   */
  stateMachineArn?: string;
  /**
   * The function consumes the table's stream (an entry of `streamConsumers`): its policy then also
   * holds `dynamodb:ListStreams`, which has no resource type, and says so in its acknowledgement.
   */
  readsStream?: boolean;
  /** The queue `access.deliveryQueue` sends to. */
  deliveryQueue?: IQueue;
  /** The identities `access.messaging` sends from. */
  messaging?: CampaignMessaging;
  /** The evidence bucket with its KMS key, as `access.evidence` names. */
  evidence?: IBucket;
  /** The user pool `access.accounts: 'manage'` administers. */
  userPool?: IUserPool;
}

/** Exactly the admin actions of the user pool's account directory (shared/adapters/cognito-account-directory.ts). */
export const accountDirectoryActions = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:ListUsers',
  'cognito-idp:ListUsersInGroup',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminResetUserPassword',
  'cognito-idp:AdminUpdateUserAttributes',
  'cognito-idp:AdminUserGlobalSignOut',
] as const;

export class CampaignFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: CampaignFunctionProps) {
    super(scope, id);
    const { description, table, contactKey, stateMachineArn } = props;
    const workflow = description.access.workflow;
    if (workflow && !stateMachineArn) {
      throw new Error(`${description.name} has workflow access but no state machine ARN was given`);
    }

    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });

    // An explicit role instead of AWSLambdaBasicExecutionRole: it may write to its own log group only.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${description.name}`,
    });
    this.logGroup.grantWrite(this.role);

    const environment: Record<string, string> = {
      POWERTOOLS_SERVICE_NAME: powertoolsServiceName,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...(description.access.table ? { TABLE_NAME: table.tableName } : {}),
      ...description.environment,
    };
    if (description.access.contactKey) environment.CONTACT_KEY_ID = contactKey.keyArn;
    if (description.access.auditKey) environment.AUDIT_KEY_ID = props.auditKey.keyArn;
    if (description.access.auditAnchors) environment.AUDIT_ANCHORS_BUCKET = props.auditAnchors.bucketName;
    if (workflow && stateMachineArn) environment.STATE_MACHINE_ARN = stateMachineArn;
    const { deliveryQueue, messaging } = props;
    if (description.access.deliveryQueue && !deliveryQueue) {
      throw new Error(`${description.name} sends to the delivery queue but no queue was given`);
    }
    if (description.access.messaging && !messaging) {
      throw new Error(`${description.name} sends e-mail and SMS but no identities were given`);
    }
    if (description.access.deliveryQueue && deliveryQueue)
      environment.DELIVERY_QUEUE_URL = deliveryQueue.queueUrl;
    if (description.access.messaging && messaging) {
      environment.MAIL_FROM = messaging.mailFrom;
      environment.SMS_ORIGINATION_IDENTITY = messaging.smsOriginationIdentity;
    }
    const { evidence } = props;
    if (description.access.evidence) {
      if (!evidence?.encryptionKey) {
        throw new Error(`${description.name} uses the evidence bucket but no bucket with its key was given`);
      }
      environment.EVIDENCE_BUCKET = evidence.bucketName;
      environment.EVIDENCE_KMS_KEY_ID = evidence.encryptionKey.keyArn;
    }
    const nativeModules: readonly string[] = (description.nativeModules ?? []).flatMap((name) => [
      ...nativePackages[name],
    ]);

    this.function = new NodejsFunction(this, 'Function', {
      functionName: `${Stack.of(this).stackName}-${description.name}`,
      description: description.description,
      entry: join(repoRoot, description.entry),
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      // Native modules are copied as built for x86_64 (the binaries in the repository's node_modules).
      architecture: nativeModules.length > 0 ? Architecture.X86_64 : Architecture.ARM_64,
      memorySize: description.memoryMiB,
      timeout: Duration.seconds(description.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      role: this.role,
      environment,
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: requireShim,
        minify: true,
        sourceMap: true,
        // Mappings only: stack traces still point at the TypeScript sources, while the map no longer
        // embeds them (about 4 MB -> 1.4 MB per function, half the compressed package). The bundle
        // reads the map when it first formats a stack (source-mapped-stacks.ts), not at every cold
        // start as NODE_OPTIONS=--enable-source-maps would.
        sourcesContent: false,
        bundleAwsSDK: true,
        tsconfig: join(repoRoot, 'tsconfig.json'),
        // Lambda puts the role's credentials in the environment: bundle only that provider. E-mail
        // goes through SES: nodemailer (the local runtime's SMTP) stays out.
        esbuildArgs: {
          '--alias:@aws-sdk/credential-provider-node': './infra/aws/lambda-credentials.ts',
          '--alias:nodemailer': './infra/aws/smtp-unavailable.ts',
        },
        ...(nativeModules.length > 0
          ? {
              externalModules: [...(description.nativeModules ?? [])],
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) => [
                  `mkdir -p "${outputDir}/node_modules/@img"`,
                  ...nativeModules.map(
                    (name) => `cp -RL "${inputDir}/node_modules/${name}" "${outputDir}/node_modules/${name}"`,
                  ),
                ],
              },
            }
          : {}),
      },
    });

    if (description.access.table) this.grantTable(table, description.access.table);
    this.grantAccounts(props);

    switch (description.access.contactKey) {
      case 'encrypt':
        contactKey.grantEncrypt(this.role);
        break;
      case 'decrypt':
        contactKey.grantDecrypt(this.role);
        break;
      case undefined:
        break;
    }

    this.grantAudit(props);
    this.grantEvidence(props);

    if (description.access.deliveryQueue) deliveryQueue?.grantSendMessages(this.role);
    if (description.access.messaging && messaging) {
      messaging.emailIdentity.grantSendEmail(this.role);
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['sms-voice:SendTextMessage'],
          resources: [messaging.smsOriginationIdentityArn],
        }),
      );
    }

    if (workflow === 'start' && stateMachineArn) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['states:StartExecution'], resources: [stateMachineArn] }),
      );
    }
    if (workflow === 'callback') {
      // The task token is the authority; the IAM service authorization reference lists no resource type
      // for these actions, so a statement naming the state machine ARN would not be the documented form.
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: ['*'],
        }),
      );
    }

    const policy = this.role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: [
        'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (tracing is ACTIVE).',
        ...(workflow === 'callback'
          ? [
              'states:SendTaskSuccess/SendTaskFailure/SendTaskHeartbeat have no resource types in the IAM service authorization reference (the task token identifies the task), so they need Resource "*".',
            ]
          : []),
        ...(props.readsStream
          ? [
              'dynamodb:ListStreams (granted with the stream read of its event source mapping) has no resource type in the IAM service authorization reference, so it needs Resource "*"; it lists stream ARNs only, while GetRecords/GetShardIterator/DescribeStream are granted on the table\'s stream ARN alone.',
            ]
          : []),
      ].join(' '),
    });
    const keyWildcards =
      description.access.table === 'readWrite' || description.access.contactKey === 'encrypt';
    if (keyWildcards) {
      const reason =
        'CDK key grants on the one data key (table encryption, contact sealing): the resource is that key ARN; the wildcard only spans the GenerateDataKey/ReEncrypt variants.';
      Validations.of(policy).acknowledge(
        { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason },
        { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason },
      );
    }
  }

  /**
   * The audit chain's key and anchors, exactly as `access` names them: writers may only GenerateMac
   * (they never need to test a MAC), verifiers only VerifyMac. The anchorer may add anchors and heads
   * and read them back, never delete (Object Lock would refuse anyway); readers may read the heads.
   * Both may list the bucket, so a head not yet written is a 404, not a 403. The objects are encrypted
   * with the bucket's key, which serves these roles through S3 only.
   */
  private grantAudit({ description, auditKey, auditAnchors }: CampaignFunctionProps): void {
    const access = description.access;
    if (access.auditKey) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [access.auditKey === 'mac' ? 'kms:GenerateMac' : 'kms:VerifyMac'],
          resources: [auditKey.keyArn],
        }),
      );
    }
    if (!access.auditAnchors) return;
    const appends = access.auditAnchors === 'append';
    const objects = (appends ? ['anchors/*', 'heads/*'] : ['heads/*']).map((keys) =>
      auditAnchors.arnForObjects(keys),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [auditAnchors.bucketArn] }),
    );
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: appends ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'],
        resources: objects,
      }),
    );
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge(
      ...objects.map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnValue(Stack.of(this).resolve(arn))}]`,
        reason:
          'Object ARNs name a key prefix of the audit anchor bucket (anchors/ or heads/); the wildcard spans the keys under it, which the anchorer names as it writes them.',
      })),
    );
    if (auditAnchors.encryptionKey) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: appends ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
          resources: [auditAnchors.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': this.viaService('s3') } },
        }),
      );
    }
  }

  /**
   * The evidence bucket, by key prefix, exactly as `access.evidence` names: the API presigns forms
   * that put into `incoming/` and links that get from `evidence/` (S3 checks the signer's rights when
   * the browser uses them); the screener reads `incoming/`, writes `evidence/` and `quarantine/` and
   * deletes what it moved (and may list, so a missing key is a 404, not a 403); the sweeper only
   * deletes. The bucket's key serves these roles through S3 only, and never the sweeper.
   */
  private grantEvidence({ description, evidence }: CampaignFunctionProps): void {
    const access = description.access.evidence;
    if (!access || !evidence?.encryptionKey) return;
    const grants: Record<NonNullable<FunctionAccess['evidence']>, Record<string, readonly string[]>> = {
      presign: { 's3:PutObject': ['incoming/*'], 's3:GetObject': ['evidence/*'] },
      screen: {
        's3:GetObject': ['incoming/*'],
        's3:PutObject': ['evidence/*', 'quarantine/*'],
        's3:DeleteObject': ['incoming/*'],
      },
      sweep: { 's3:DeleteObject': ['incoming/*', 'evidence/*', 'quarantine/*'] },
    };
    const wildcards = new Set<string>();
    for (const [action, prefixes] of Object.entries(grants[access])) {
      const resources = prefixes.map((keys) => evidence.arnForObjects(keys));
      for (const resource of resources) wildcards.add(resource);
      this.role.addToPrincipalPolicy(new PolicyStatement({ actions: [action], resources }));
    }
    if (access === 'screen') {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:ListBucket'], resources: [evidence.bucketArn] }),
      );
    }
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge(
      ...[...wildcards].map((arn) => ({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnValue(Stack.of(this).resolve(arn))}]`,
        reason:
          'Object ARNs name one key prefix of the evidence bucket (incoming/, evidence/ or quarantine/); the wildcard spans the upload ids under it, which exist only once uploaded.',
      })),
    );
    if (access === 'sweep') return;
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [evidence.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': this.viaService('s3') } },
      }),
    );
  }

  /**
   * The `kms:ViaService` of a service in this stack's region. In the China regions the service's
   * endpoints end in amazonaws.com.cn, and the documentation at hand does not say which spelling KMS
   * gives there: both are allowed, one service either way. Elsewhere the one name, as before.
   */
  private viaService(service: string): string | string[] {
    const { region, urlSuffix } = Stack.of(this);
    const suffix = Token.isUnresolved(region)
      ? urlSuffix
      : (RegionInfo.get(region).domainSuffix ?? 'amazonaws.com');
    const global = `${service}.${region}.amazonaws.com`;
    const regional = `${service}.${region}.${suffix}`;
    return regional === global ? global : [global, regional];
  }

  /**
   * Data grants on the table ARN and on each named index: CDK's own table grants add `index/*` (a
   * wildcard cdk-nag rightly flags) and an unconditioned key grant, which would let any reader of the
   * table decrypt sealed contact details with the same key. Here the key serves this role only
   * through DynamoDB; direct use of the key comes from `access.contactKey` alone.
   */
  /**
   * The user pool: the directory's admin actions on the one pool (`manage`), or adding users to groups
   * (`enrol`, the post-confirmation trigger). The trigger's grant names the pools of this account and
   * region by ARN pattern: the pool invokes the trigger, so naming the pool itself would close a cycle.
   */
  private grantAccounts({ description, userPool }: CampaignFunctionProps): void {
    switch (description.access.accounts) {
      case 'manage':
        if (!userPool) throw new Error(`${description.name} manages accounts but no user pool was given`);
        this.function.addEnvironment('USER_POOL_ID', userPool.userPoolId);
        this.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: [...accountDirectoryActions], resources: [userPool.userPoolArn] }),
        );
        return;
      case 'enrol': {
        const stack = Stack.of(this);
        const pools = stack.formatArn({ service: 'cognito-idp', resource: 'userpool', resourceName: '*' });
        this.role.addToPrincipalPolicy(
          new PolicyStatement({ actions: ['cognito-idp:AdminAddUserToGroup'], resources: [pools] }),
        );
        Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${flattenCfnValue(stack.resolve(pools))}]`,
          reason:
            "AdminAddUserToGroup only, for the user pool's post-confirmation trigger: the pool invokes this function, so a grant naming the pool's own ARN would make the pool and the function depend on each other; the pattern spans the pools of this account and region, and the function adds only the user of the event to the enterprise group.",
        });
        return;
      }
      case undefined:
        return;
    }
  }

  private grantTable(table: ITable, access: NonNullable<FunctionAccess['table']>): void {
    const tableOnly = Table.fromTableAttributes(this, 'TableRef', { tableArn: table.tableArn });
    const grants = TableGrants.fromTable(tableOnly, undefined, false);
    if (access === 'readWrite') grants.readWriteData(this.role);
    else grants.readData(this.role);

    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query', 'dynamodb:Scan'],
        resources: campaignTable.globalSecondaryIndexes.map(
          (index) => `${table.tableArn}/index/${index.indexName}`,
        ),
      }),
    );

    if (table.encryptionKey) {
      const keyRead = ['kms:Decrypt', 'kms:DescribeKey'];
      const keyWrite = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: access === 'readWrite' ? [...keyRead, ...keyWrite] : keyRead,
          resources: [table.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': this.viaService('dynamodb') },
          },
        }),
      );
    }
  }
}
