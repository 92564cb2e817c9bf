/**
 * The CDK app, synthesized once in-process (bundling included): the table, the functions, the API
 * against the one route description, the workflows, the stream consumers, the dashboard and alarms,
 * least privilege, and a clean validation report (cdk-nag, and CloudFormation validation, which also
 * rejects circular dependencies).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCampaignApp, type CampaignApp } from '#infra/aws/campaign-app';
import { accountDirectoryActions, repoRoot } from '#infra/aws/campaign-function';
import { CampaignStack } from '#infra/aws/campaign-stack';
import { stateMachineNameOf } from '#infra/aws/campaign-workflow';
import { CampaignDataStack } from '#infra/aws/data-stack';
import {
  campaignTable,
  feeCaseWorkflow,
  functions,
  queues,
  routes,
  schedules,
  streamConsumers,
  workflows,
} from '#infra/system';
import { outcomes } from '#shared/domain/fee-case';
import { taskKinds } from '#shared/domain/fee-task';
import { roles } from '#shared/domain/principal';
import { routeKey } from '#shared/http/routes';
import { cloudWatchCounters } from '#shared/metrics/counters';
import { acknowledgementsOf, unacknowledgedFindings } from '#test/support/cdk-nag';

// biome-ignore lint/suspicious/noExplicitAny: synthesized templates are untyped JSON, navigated freely here.
type Json = Record<string, any>;

const portalOrigin = 'https://portal.example.org';
let outdir: string;
let built: CampaignApp;
let data: Template;
let campaign: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'campaign-cdk-'));
  built = buildCampaignApp({
    outdir,
    env: { account: '123456789012', region: 'eu-west-1' },
    // Validation failures throw with the full report instead of only setting the exit code.
    context: {
      '@aws-cdk/core:appMode': 'inmemory',
      'campaign:alarmEmail': 'operations@example.org',
      'campaign:portalOrigin': portalOrigin,
    },
  });
  // Throws with the whole validation report when any plugin (cdk-nag included) reports a violation.
  built.app.synth();
  data = Template.fromStack(built.dataStack);
  campaign = Template.fromStack(built.campaignStack);
  // Bundling every function and CDK's CloudFormation validation take ~30 s together.
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

/** The two stacks in `region`, in an app that skips bundling: for what does not need the functions' code. */
const campaignStackWithoutAssets = (region: string) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const env = { account: '123456789012', region };
  const dataStack = new CampaignDataStack(app, 'FeeCampaignData', { env });
  return new CampaignStack(app, 'FeeCampaign', {
    env,
    table: dataStack.table,
    contactKey: dataStack.key,
    auditKey: dataStack.auditKey,
    evidenceKey: dataStack.evidenceKey,
  });
};

const logicalId = (stack: Stack, construct: IConstruct) =>
  stack.getLogicalId(construct.node.defaultChild as CfnFunction);

const functionLogicalId = (name: string) => {
  const fn = built.campaignStack.functions[name as keyof CampaignApp['campaignStack']['functions']];
  return logicalId(built.campaignStack, fn.function);
};

const stateMachineLogicalId = (workflowName: string) =>
  logicalId(built.campaignStack, built.campaignStack.workflows[workflowName]?.stateMachine as IConstruct);

const resourcesOf = (template: Template, type: string): Record<string, Json> =>
  template.findResources(type) as Record<string, Json>;

/** The statements of a function's role policies in the campaign stack. */
const functionStatements = (name: string): Json[] => {
  const fn = resourcesOf(campaign, 'AWS::Lambda::Function')[functionLogicalId(name)];
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0] as string;
  return Object.values(resourcesOf(campaign, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
};

const functionProps = (name: string): Json =>
  resourcesOf(campaign, 'AWS::Lambda::Function')[functionLogicalId(name)]?.Properties as Json;

/** The audit anchor bucket, named by account and region. */
const anchorsBucketName = 'fee-campaign-audit-anchors-123456789012-eu-west-1';
/** The evidence bucket, named alike. */
const evidenceName = 'fee-campaign-evidence-123456789012-eu-west-1';

/** The ARN the functions carry: account, region and the state machine's fixed name, no reference. */
const expectedStateMachineArn = (workflowName: string) =>
  `arn:aws:states:eu-west-1:123456789012:stateMachine:${stateMachineNameOf(built.campaignStack, { name: workflowName })}`;

describe('data stack', () => {
  it('builds the table from the one description', () => {
    const key = Object.keys(resourcesOf(data, 'AWS::KMS::Key'))[0];
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: campaignTable.partitionKey, KeyType: 'HASH' },
          { AttributeName: campaignTable.sortKey, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamViewType: campaignTable.stream },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: campaignTable.timeToLiveAttribute, Enabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
        },
        GlobalSecondaryIndexes: campaignTable.globalSecondaryIndexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        })),
      },
    });
    const attributes = Object.values(resourcesOf(data, 'AWS::DynamoDB::Table'))[0]?.Properties
      .AttributeDefinitions as Json[];
    expect(attributes.every((attribute) => attribute.AttributeType === 'S')).toBe(true);
  });

  it('keeps a rotating data key that outlives the stack', () => {
    const key = resourcesOf(data, 'AWS::KMS::Key')[logicalId(built.dataStack, built.dataStack.key)];
    expect(key).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(built.dataStack.terminationProtection).toBe(true);
  });

  it('keeps an HMAC key for the audit chains that outlives the stack', () => {
    const key = resourcesOf(data, 'AWS::KMS::Key')[logicalId(built.dataStack, built.dataStack.auditKey)];
    expect(key).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' },
    });
    // The data key, this one and the evidence key.
    data.resourceCountIs('AWS::KMS::Key', 3);
  });

  it('anchors the audit chains in a bucket under Object Lock in compliance mode', () => {
    const bucket = resourcesOf(data, 'AWS::S3::Bucket')[
      logicalId(built.dataStack, built.dataStack.auditAnchors)
    ];
    const logs = logicalId(built.dataStack, built.dataStack.auditAnchorLogs);
    expect(bucket).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BucketName: anchorsBucketName,
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [logicalId(built.dataStack, built.dataStack.key), 'Arn'] },
              },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'audit-anchors/' },
      },
    });
    const policy = Object.values(resourcesOf(data, 'AWS::S3::BucketPolicy')).find(
      (candidate) =>
        candidate.Properties.Bucket.Ref === logicalId(built.dataStack, built.dataStack.auditAnchors),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });
});

describe('evidence bucket', () => {
  const bucket = () =>
    resourcesOf(data, 'AWS::S3::Bucket')[logicalId(built.dataStack, built.dataStack.evidence)] as Json;

  it('is private, TLS only, encrypted with its own rotating key, versioned and logged', () => {
    const key = resourcesOf(data, 'AWS::KMS::Key')[logicalId(built.dataStack, built.dataStack.evidenceKey)];
    expect(key).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    expect(bucket()).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BucketName: evidenceName,
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: {
                  'Fn::GetAtt': [logicalId(built.dataStack, built.dataStack.evidenceKey), 'Arn'],
                },
              },
            },
          ],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: logicalId(built.dataStack, built.dataStack.auditAnchorLogs) },
          LogFilePrefix: 'evidence/',
        },
      },
    });
    const policy = Object.values(resourcesOf(data, 'AWS::S3::BucketPolicy')).find(
      (candidate) => candidate.Properties.Bucket.Ref === logicalId(built.dataStack, built.dataStack.evidence),
    );
    expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('forgets unscreened files after a day, refused ones and old versions after 30 days', () => {
    const rules = bucket().Properties.LifecycleConfiguration.Rules as Json[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'incoming/', ExpirationInDays: 1, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'quarantine/', ExpirationInDays: 30, Status: 'Enabled' }),
        expect.objectContaining({
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
      ]),
    );
    expect(rules.some((rule) => rule.Prefix === 'evidence/')).toBe(false);
  });

  it('answers cross-origin form posts and downloads from the portal only', () => {
    expect(bucket().Properties.CorsConfiguration).toEqual({
      CorsRules: [{ AllowedOrigins: [portalOrigin], AllowedMethods: ['POST', 'GET'], MaxAge: 3600 }],
    });
  });

  it('starts the screener for each object created under incoming/, as an S3 notification event', () => {
    const screener = functionLogicalId('evidence-screener');
    const [rule] = Object.values(resourcesOf(campaign, 'AWS::Events::Rule')).filter((candidate) =>
      (candidate.Properties.Targets as Json[]).some((target) => target.Arn?.['Fn::GetAtt']?.[0] === screener),
    );
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [evidenceName] }, object: { key: [{ prefix: 'incoming/' }] } },
    });
    const transformer = rule?.Properties.Targets[0].InputTransformer as Json;
    expect(transformer.InputPathsMap).toMatchObject({
      'detail-bucket-name': '$.detail.bucket.name',
      'detail-object-key': '$.detail.object.key',
      'detail-object-size': '$.detail.object.size',
    });
    expect(transformer.InputTemplate).toContain(
      '"object":{"key":<detail-object-key>,"size":<detail-object-size>}',
    );
  });

  it('does not reference the bucket across stacks: no notification naming a function, no import', () => {
    expect(campaign.findResources('Custom::S3BucketNotifications')).toEqual({});
    for (const notifications of Object.values(resourcesOf(data, 'Custom::S3BucketNotifications'))) {
      expect(notifications.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: {} });
    }
    expect(JSON.stringify(campaign.toJSON())).not.toContain(
      logicalId(built.dataStack, built.dataStack.evidence),
    );
  });

  const evidenceStatements = (name: string) =>
    Object.values(resourcesOf(campaign, 'AWS::IAM::Policy'))
      .filter((policy) =>
        (policy.Properties.Roles as Json[]).some(
          (ref) => ref.Ref === functionProps(name).Role['Fn::GetAtt'][0],
        ),
      )
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => JSON.stringify(statement.Resource).includes(evidenceName));
  /** `action -> prefixes` of a function's grants on the evidence objects. */
  const objectGrants = (name: string) => {
    const grants: Record<string, string[]> = {};
    for (const statement of evidenceStatements(name)) {
      for (const action of [statement.Action].flat() as string[]) {
        for (const resource of [statement.Resource].flat()) {
          const prefix = /\/([a-z]+)\/\*"/.exec(JSON.stringify(resource))?.[1];
          grants[action] = [...(grants[action] ?? []), prefix ?? 'bucket'].sort();
        }
      }
    }
    return grants;
  };

  it.each([
    ['evidence-api', { 's3:PutObject': ['incoming'], 's3:GetObject': ['evidence'] }],
    [
      'evidence-screener',
      {
        's3:GetObject': ['incoming'],
        's3:PutObject': ['evidence', 'quarantine'],
        's3:DeleteObject': ['incoming'],
        's3:ListBucket': ['bucket'],
      },
    ],
    ['evidence-sweeper', { 's3:DeleteObject': ['evidence', 'incoming', 'quarantine'] }],
  ])('grants %s exactly its key prefixes', (name, expected) => {
    expect(objectGrants(name)).toEqual(expected);
  });

  it('lets no other function touch the bucket', () => {
    for (const fn of functions.filter((candidate) => !('evidence' in candidate.access))) {
      expect(evidenceStatements(fn.name), fn.name).toEqual([]);
    }
  });

  it.each([
    ['evidence-api', ['kms:Decrypt', 'kms:GenerateDataKey']],
    ['evidence-screener', ['kms:Decrypt', 'kms:GenerateDataKey']],
    ['evidence-sweeper', []],
  ])('lets %s use the evidence key through S3 only: %j', (name, actions) => {
    const keyId = logicalId(built.dataStack, built.dataStack.evidenceKey);
    const role = functionProps(name).Role['Fn::GetAtt'][0];
    const onKey = Object.values(resourcesOf(campaign, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => JSON.stringify(statement.Resource).includes(keyId));
    expect(onKey.flatMap((statement) => [statement.Action].flat())).toEqual(actions);
    for (const statement of onKey) {
      expect(statement.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
      });
    }
  });

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s is told the bucket and its key only when its access names the bucket',
    (name, fn) => {
      const variables = functionProps(name).Environment.Variables as Json;
      if ('evidence' in fn.access) {
        expect(variables.EVIDENCE_BUCKET).toBe(evidenceName);
        expect(JSON.stringify(variables.EVIDENCE_KMS_KEY_ID)).toContain(
          logicalId(built.dataStack, built.dataStack.evidenceKey),
        );
      } else {
        expect(variables.EVIDENCE_BUCKET).toBeUndefined();
        expect(variables.EVIDENCE_KMS_KEY_ID).toBeUndefined();
      }
    },
  );

  it("installs sharp with its x86_64 Linux binaries beside the screener's bundle, on x86_64", () => {
    const props = functionProps('evidence-screener');
    expect(props.Architectures).toEqual(['x86_64']);
    const asset = join(outdir, `asset.${props.Code.S3Key.replace(/\.zip$/, '')}`);
    for (const name of [
      'sharp',
      '@img/sharp-linux-x64',
      '@img/sharp-libvips-linux-x64',
      '@img/colour',
      'detect-libc',
      'semver',
    ]) {
      expect(existsSync(join(asset, 'node_modules', name, 'package.json')), name).toBe(true);
    }
    expect(readFileSync(join(asset, 'index.mjs'), 'utf8')).not.toContain('libvips');
    expect(functionProps('evidence-api').Architectures).toEqual(['arm64']);
  });
});

describe('functions', () => {
  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s: Node 24, arm64 (x86_64 with native modules), traced, own log group',
    (_, fn) => {
      const id = functionLogicalId(fn.name);
      const resource = resourcesOf(campaign, 'AWS::Lambda::Function')[id];
      expect(resource).toBeDefined();
      const props = resource?.Properties as Json;
      expect(props).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['nativeModules' in fn ? 'x86_64' : 'arm64'],
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        MemorySize: fn.memoryMiB,
        Timeout: fn.timeoutSeconds,
      });
      expect(props.ReservedConcurrentExecutions).toBeUndefined();
      const env = props.Environment.Variables as Json;
      expect(env).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'fee-campaign',
        POWERTOOLS_METRICS_NAMESPACE: 'FeeCampaign',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
      expect('TABLE_NAME' in env).toBe('table' in fn.access);
      expect('CONTACT_KEY_ID' in env).toBe('contactKey' in fn.access);
      expect('AUDIT_KEY_ID' in env).toBe('auditKey' in fn.access);
      expect('AUDIT_ANCHORS_BUCKET' in env).toBe('auditAnchors' in fn.access);
      expect('STATE_MACHINE_ARN' in env).toBe('workflow' in fn.access);
      expect('DELIVERY_QUEUE_URL' in env).toBe('deliveryQueue' in fn.access);
      expect('MAIL_FROM' in env && 'SMS_ORIGINATION_IDENTITY' in env).toBe('messaging' in fn.access);
      // The campaign settings the system description gives the function (four eyes), as they are.
      expect(env).toMatchObject('environment' in fn ? fn.environment : {});
      if ('workflow' in fn.access) {
        // A plain string: the function does not reference the state machine resource (no cycle).
        expect(env.STATE_MACHINE_ARN).toBe(expectedStateMachineArn(feeCaseWorkflow.name));
      }

      const logGroupId = props.LoggingConfig.LogGroup.Ref as string;
      expect(resourcesOf(campaign, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({
        RetentionInDays: 30,
      });
    },
  );

  it.each(functions.map((fn) => [fn.name] as const))('%s: bundled as one self-contained ESM file', (name) => {
    const code = resourcesOf(campaign, 'AWS::Lambda::Function')[functionLogicalId(name)]?.Properties
      .Code as Json;
    const assetHash = String(code.S3Key).replace(/\.zip$/, '');
    const bundle = join(outdir, `asset.${assetHash}`, 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    const source = readFileSync(bundle, 'utf8');
    expect(source.startsWith('import { createRequire } from')).toBe(true);
    // Aliases and the SDK are resolved into the bundle, not left for the runtime to find.
    expect(source).not.toMatch(/from\s*["']#(shared|functions|infra)\//);
    expect(source).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(existsSync(`${bundle}.map`)).toBe(true);
    // Mappings to the TypeScript sources, without embedding them.
    const map = JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as Json;
    expect(map.sourcesContent).toBeUndefined();
    const entry = functions.find((fn) => fn.name === name)?.entry as string;
    expect((map.sources as string[]).some((source) => source.endsWith(entry))).toBe(true);
  });
});

describe('API', () => {
  const apiResources = () => resourcesOf(campaign, 'AWS::ApiGateway::Resource');
  const pathOf = (ref: Json): string => {
    if (ref['Fn::GetAtt']) return '';
    const resource = apiResources()[ref.Ref as string];
    if (!resource) throw new Error(`unknown API resource ${JSON.stringify(ref)}`);
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  const methods = () =>
    Object.values(resourcesOf(campaign, 'AWS::ApiGateway::Method')).map((method) => {
      const props = method.Properties as Json;
      return { key: `${props.HttpMethod} ${pathOf(props.ResourceId)}`, props };
    });
  const methodFor = (route: (typeof routes)[number]) => {
    const found = methods().find((method) => method.key === routeKey(route));
    if (!found) throw new Error(`no method for ${routeKey(route)}`);
    return found.props;
  };

  it('serves exactly the routes of the one description', () => {
    expect(new Set(methods().map((method) => method.key))).toEqual(new Set(routes.map(routeKey)));
    expect(methods()).toHaveLength(routes.length);
  });

  it.each(routes.map((route) => [routeKey(route), route] as const))(
    '%s is served by the function the description names',
    (_, route) => {
      const integration = methodFor(route).Integration as Json;
      expect(integration.Type).toBe('AWS_PROXY');
      expect(JSON.stringify(integration.Uri)).toContain(`"${functionLogicalId(route.function)}","Arn"`);
    },
  );

  it('puts the Cognito authorizer on every non-public route and none on public ones', () => {
    const authorizers = resourcesOf(campaign, 'AWS::ApiGateway::Authorizer');
    const [authorizerId, authorizer] = Object.entries(authorizers)[0] ?? [];
    expect(Object.keys(authorizers)).toHaveLength(1);
    const userPoolId = Object.keys(resourcesOf(campaign, 'AWS::Cognito::UserPool'))[0];
    expect(authorizer?.Properties).toMatchObject({
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [{ 'Fn::GetAtt': [userPoolId, 'Arn'] }],
    });
    for (const route of routes) {
      const method = methodFor(route);
      if (route.access === 'public') {
        expect(method.AuthorizationType, routeKey(route)).toBe('NONE');
        expect(method.AuthorizerId, routeKey(route)).toBeUndefined();
      } else {
        expect(method.AuthorizationType, routeKey(route)).toBe('COGNITO_USER_POOLS');
        expect(method.AuthorizerId, routeKey(route)).toEqual({ Ref: authorizerId });
      }
    }
  });

  it('compresses API answers of 1 KiB and more, since CloudFront passes the API through uncached', () => {
    campaign.hasResourceProperties('AWS::ApiGateway::RestApi', { MinimumCompressionSize: 1024 });
  });

  it('logs, traces and throttles the stage', () => {
    campaign.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
    campaign.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('^\\{"requestId"'),
      },
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'INFO',
          DataTraceEnabled: false,
          MetricsEnabled: true,
          ThrottlingRateLimit: Match.anyValue(),
          ThrottlingBurstLimit: Match.anyValue(),
        }),
      ]),
    });
  });

  it("answers API Gateway's own refusals in the API's error shape", () => {
    const responses = Object.values(resourcesOf(campaign, 'AWS::ApiGateway::GatewayResponse')).map(
      (response) => response.Properties as Json,
    );
    const expected: Record<string, string | undefined> = {
      UNAUTHORIZED: '401',
      ACCESS_DENIED: '403',
      THROTTLED: '429',
      REQUEST_TOO_LARGE: '413',
      DEFAULT_4XX: undefined,
      DEFAULT_5XX: undefined,
    };
    for (const [type, status] of Object.entries(expected)) {
      const response = responses.find((candidate) => candidate.ResponseType === type);
      expect(response, type).toBeDefined();
      expect(response?.StatusCode, type).toBe(status);
    }
    for (const response of responses) {
      expect(response.ResponseParameters['gatewayresponse.header.Content-Type']).toBe("'application/json'");
      const rendered = String(response.ResponseTemplates['application/json'])
        .replaceAll('$context.error.messageString', '"a message"')
        .replaceAll('$context.error.responseType', 'DEFAULT_4XX');
      const body = JSON.parse(rendered) as Json;
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error).toEqual({ code: expect.stringMatching(/^[A-Z_0-9]+$/), message: 'a message' });
    }
  });

  it('sits behind a WAF with a per-IP rate rule and the managed rule sets', () => {
    const acls = resourcesOf(campaign, 'AWS::WAFv2::WebACL');
    const [aclId, acl] = Object.entries(acls)[0] ?? [];
    expect(acl?.Properties.Scope).toBe('REGIONAL');
    const rules = acl?.Properties.Rules as Json[];
    expect(
      rules.find((rule) => rule.Statement.RateBasedStatement)?.Statement.RateBasedStatement,
    ).toMatchObject({
      AggregateKeyType: 'IP',
      Limit: 1000,
      EvaluationWindowSec: 300,
    });
    const managed = rules.map((rule) => rule.Statement.ManagedRuleGroupStatement?.Name).filter(Boolean);
    expect(managed).toEqual(
      expect.arrayContaining(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']),
    );

    const stageId = Object.keys(resourcesOf(campaign, 'AWS::ApiGateway::Stage'))[0];
    const apiId = Object.keys(resourcesOf(campaign, 'AWS::ApiGateway::RestApi'))[0];
    const association = Object.values(resourcesOf(campaign, 'AWS::WAFv2::WebACLAssociation'))[0]?.Properties;
    expect(association?.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    expect(JSON.stringify(association?.ResourceArn)).toContain(
      `{"Ref":"${apiId}"},"/stages/",{"Ref":"${stageId}"}`,
    );
  });

  it('limits the public progress lookup per client address (20 a minute, 429 with Retry-After) and as a whole at the stage', () => {
    const acl = Object.values(resourcesOf(campaign, 'AWS::WAFv2::WebACL'))[0];
    const rule = ((acl?.Properties.Rules ?? []) as Json[]).find(
      (candidate) => candidate.Name === 'RatePerAddress-getPublicProgress',
    );
    expect(rule?.Statement.RateBasedStatement).toMatchObject({
      Limit: 20,
      EvaluationWindowSec: 60,
      AggregateKeyType: 'FORWARDED_IP',
      ScopeDownStatement: {
        ByteMatchStatement: {
          FieldToMatch: { UriPath: {} },
          PositionalConstraint: 'ENDS_WITH',
          SearchString: '/api/public/progress',
        },
      },
    });
    expect(rule?.Action.Block.CustomResponse).toMatchObject({
      ResponseCode: 429,
      CustomResponseBodyKey: 'throttled',
      ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }],
    });
    const stage = Object.values(resourcesOf(campaign, 'AWS::ApiGateway::Stage'))[0]?.Properties;
    expect(stage?.MethodSettings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          HttpMethod: 'GET',
          ResourcePath: '/~1api~1public~1progress',
          LoggingLevel: 'INFO',
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        }),
      ]),
    );
  });

  it('publishes the API URL, user pool id and client id', () => {
    for (const output of ['ApiUrl', 'UserPoolId', 'UserPoolClientId']) campaign.hasOutput(output, {});
  });

  it('publishes the ARN of every state machine', () => {
    const outputs = Object.values(campaign.findOutputs('*')) as Json[];
    for (const workflow of workflows) {
      const stateMachineId = stateMachineLogicalId(workflow.name);
      expect(
        outputs.some((output) => output.Value?.Ref === stateMachineId),
        workflow.name,
      ).toBe(true);
    }
  });
});

describe('user pool', () => {
  it('signs in by e-mail and carries the tenancy attributes, the credit code immutable', () => {
    campaign.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      Policies: {
        PasswordPolicy: Match.objectLike({
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      Schema: Match.arrayWith([
        Match.objectLike({
          Name: 'creditCode',
          Mutable: false,
          StringAttributeConstraints: { MinLength: '18', MaxLength: '18' },
        }),
        Match.objectLike({ Name: 'agency', Mutable: true }),
        Match.objectLike({
          Name: 'province',
          Mutable: true,
          StringAttributeConstraints: { MinLength: '2', MaxLength: '2' },
        }),
        Match.objectLike({ Name: 'enterpriseId', Mutable: true }),
      ]),
    });
  });

  it('lets people sign themselves up, verified by an e-mailed code, with threat protection in full', () => {
    campaign.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: false }),
      AutoVerifiedAttributes: ['email'],
      VerificationMessageTemplate: Match.objectLike({
        DefaultEmailOption: 'CONFIRM_WITH_CODE',
        EmailMessage: Match.stringLikeRegexp('\\{####\\}'),
      }),
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('runs the sign-up triggers of the system description, which serve no route', () => {
    const triggers = functions.filter((fn) => 'userPoolTrigger' in fn);
    expect(triggers.map((fn) => [fn.name, fn.operations])).toEqual([
      ['pre-sign-up', []],
      ['post-confirmation', []],
    ]);
    campaign.hasResourceProperties('AWS::Cognito::UserPool', {
      LambdaConfig: {
        PreSignUp: { 'Fn::GetAtt': [functionLogicalId('pre-sign-up'), 'Arn'] },
        PostConfirmation: { 'Fn::GetAtt': [functionLogicalId('post-confirmation'), 'Arn'] },
      },
    });
    for (const name of ['pre-sign-up', 'post-confirmation'])
      campaign.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        Principal: 'cognito-idp.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [functionLogicalId(name), 'Arn'] },
      });
  });

  it('has one group per role', () => {
    const groups = Object.values(resourcesOf(campaign, 'AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties.GroupName,
    );
    expect(new Set(groups)).toEqual(new Set(roles));
  });

  it('has a public SRP client that writes e-mail, name and the credit code only, and reads every attribute', () => {
    campaign.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
    const client = Object.values(resourcesOf(campaign, 'AWS::Cognito::UserPoolClient'))[0]?.Properties;
    expect([...(client?.WriteAttributes ?? [])].sort()).toEqual(['custom:creditCode', 'email', 'name']);
    expect(client?.ReadAttributes).toBeUndefined();
  });
});

describe('account management on AWS', () => {
  const statementsOf = functionStatements;
  const cognitoStatements = (name: string) =>
    statementsOf(name).filter((statement) =>
      [statement.Action].flat().some((action: string) => action.startsWith('cognito-idp:')),
    );
  const poolId = () => Object.keys(resourcesOf(campaign, 'AWS::Cognito::UserPool'))[0] as string;

  it("grants the users API exactly the directory's admin actions, on the one pool, and names the pool", () => {
    const statements = cognitoStatements('users-api');
    expect(statements).toHaveLength(1);
    expect([statements[0]?.Action].flat().sort()).toEqual([...accountDirectoryActions].sort());
    expect(statements[0]?.Resource).toEqual({ 'Fn::GetAtt': [poolId(), 'Arn'] });
    expect(functionProps('users-api').Environment.Variables.USER_POOL_ID).toEqual({ Ref: poolId() });
  });

  it('lets the post-confirmation trigger add users to groups and nothing else of Cognito', () => {
    const statements = cognitoStatements('post-confirmation');
    expect(statements.map((statement) => statement.Action)).toEqual(['cognito-idp:AdminAddUserToGroup']);
    expect(JSON.stringify(statements[0]?.Resource)).toContain(':userpool/*');
  });

  it('gives the pre-sign-up trigger no Cognito action and no table', () => {
    expect(cognitoStatements('pre-sign-up')).toEqual([]);
    expect(
      statementsOf('pre-sign-up')
        .flatMap((statement) => [statement.Action].flat())
        .filter((action: string) => action.startsWith('dynamodb:')),
    ).toEqual([]);
    expect(functionProps('pre-sign-up').Environment.Variables.TABLE_NAME).toBeUndefined();
  });

  it('gives no other function a Cognito action', () => {
    const others = functions.filter((fn) => !('accounts' in fn.access));
    expect(others.flatMap((fn) => cognitoStatements(fn.name))).toEqual([]);
  });
});

describe('least privilege', () => {
  const statementsOf = (name: string): Json[] => {
    const fn = resourcesOf(campaign, 'AWS::Lambda::Function')[functionLogicalId(name)];
    const roleId = fn?.Properties.Role['Fn::GetAtt'][0] as string;
    const role = resourcesOf(campaign, 'AWS::IAM::Role')[roleId];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies).toBeUndefined();
    return Object.values(resourcesOf(campaign, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
  };
  const actionsOf = (statement: Json): string[] => [statement.Action].flat();

  it('gives meta-api no write action on the table', () => {
    const statements = statementsOf('meta-api');
    const dynamoActions = statements.flatMap(actionsOf).filter((action) => action.startsWith('dynamodb:'));
    expect(dynamoActions).toContain('dynamodb:GetItem');
    const writes = dynamoActions.filter((action) =>
      /^dynamodb:(\*|Put|Update|Delete|BatchWrite|PartiQL(Insert|Update|Delete)|TransactWrite|Create|Restore|Import)/.test(
        action,
      ),
    );
    expect(writes).toEqual([]);
  });

  /** Whether a statement's resources name a resource of the data stack, by its logical id. */
  const names = (statement: Json, construct: IConstruct) =>
    JSON.stringify(statement.Resource).includes(logicalId(built.dataStack, construct));
  /** The anchor bucket is named, not referenced, from the campaign stack. */
  const namesAnchors = (statement: Json) => JSON.stringify(statement.Resource).includes(anchorsBucketName);

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s uses the data key directly only when its access names the contact key',
    (name, fn) => {
      const direct = statementsOf(name).filter(
        (statement) =>
          actionsOf(statement).some((action) => action.startsWith('kms:')) &&
          names(statement, built.dataStack.key) &&
          !statement.Condition?.StringEquals?.['kms:ViaService'],
      );
      expect(direct.length > 0).toBe('contactKey' in fn.access);
    },
  );

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s may GenerateMac with the audit key only if it writes events, VerifyMac only if it verifies',
    (name, fn) => {
      const onAuditKey = statementsOf(name).filter((statement) => names(statement, built.dataStack.auditKey));
      const access = 'auditKey' in fn.access ? fn.access.auditKey : undefined;
      const expected = { mac: ['kms:GenerateMac'], verify: ['kms:VerifyMac'] };
      expect(onAuditKey.flatMap(actionsOf)).toEqual(access ? expected[access] : []);
      expect(onAuditKey.every((statement) => [statement.Resource].flat().length === 1)).toBe(true);
    },
  );

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s writes audit anchors only if it appends them, reads them only if its access names them, deletes none',
    (name, fn) => {
      const statements = statementsOf(name).filter(
        (statement) => !JSON.stringify(statement.Resource).includes(evidenceName),
      );
      const s3 = statements.flatMap(actionsOf).filter((action) => action.startsWith('s3:'));
      const access = 'auditAnchors' in fn.access ? fn.access.auditAnchors : undefined;
      const expected = {
        append: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
        read: ['s3:GetObject', 's3:ListBucket'],
      };
      expect([...s3].sort()).toEqual(access ? expected[access] : []);
      for (const statement of statements.filter((candidate) =>
        actionsOf(candidate).some((a) => a.startsWith('s3:')),
      )) {
        expect(namesAnchors(statement), JSON.stringify(statement)).toBe(true);
      }
      const objects = statements
        .filter((statement) => actionsOf(statement).includes('s3:GetObject'))
        .flatMap((statement) => [statement.Resource].flat().map((resource) => JSON.stringify(resource)));
      expect(objects.every((resource) => /\/(anchors|heads)\/\*/.test(resource))).toBe(true);
      if (access === 'read') expect(objects.some((resource) => resource.includes('/anchors/'))).toBe(false);
    },
  );

  const sendTask = ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'];

  it('grants no wildcard resource except for X-Ray, to callback functions SendTask*, to stream consumers ListStreams, to anchor and evidence users their key prefixes, to the post-confirmation trigger its groups', () => {
    for (const fn of functions) {
      const callback = 'workflow' in fn.access && fn.access.workflow === 'callback';
      const enrols = 'accounts' in fn.access && fn.access.accounts === 'enrol';
      const consumer = streamConsumers.some((description) => description.function === fn.name);
      for (const statement of statementsOf(fn.name)) {
        const resources = [statement.Resource].flat().map((resource) => JSON.stringify(resource));
        if (resources.some((resource) => resource.includes('*'))) {
          const anchorObjects =
            'auditAnchors' in fn.access &&
            namesAnchors(statement) &&
            resources.every((resource) => /\/(anchors|heads)\/\*"/.test(resource));
          const evidenceObjects =
            'evidence' in fn.access &&
            resources.every((resource) =>
              new RegExp(`${evidenceName}/(incoming|evidence|quarantine)/\\*"`).test(resource),
            );
          expect(
            actionsOf(statement).every(
              (action) =>
                action.startsWith('xray:') ||
                (callback && sendTask.includes(action)) ||
                (consumer && action === 'dynamodb:ListStreams') ||
                (enrols && action === 'cognito-idp:AdminAddUserToGroup') ||
                (anchorObjects && /^s3:(Get|Put)Object$/.test(action)) ||
                (evidenceObjects && /^s3:(Get|Put|Delete)Object$/.test(action)),
            ),
            JSON.stringify(statement),
          ).toBe(true);
        }
      }
    }
  });

  it.each(functions.map((fn) => [fn.name] as const))(
    '%s reads the table stream only when a stream consumer names it',
    (name) => {
      const streamActions = statementsOf(name)
        .flatMap(actionsOf)
        .filter((action) => /^dynamodb:(DescribeStream|ListStreams)$/.test(action));
      const consumer = streamConsumers.some((description) => description.function === name);
      expect(streamActions.length > 0).toBe(consumer);
    },
  );

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s gets exactly the Step Functions actions its workflow access names',
    (name, fn) => {
      const statements = statementsOf(name).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('states:')),
      );
      const states = statements.flatMap(actionsOf).filter((action) => action.startsWith('states:'));
      const access = 'workflow' in fn.access ? fn.access.workflow : undefined;
      switch (access) {
        case 'start':
          expect(states).toEqual(['states:StartExecution']);
          expect(statements.map((statement) => statement.Resource)).toEqual([
            expectedStateMachineArn(feeCaseWorkflow.name),
          ]);
          break;
        case 'callback':
          // SendTask* have no resource types in the IAM service authorization reference.
          expect([...states].sort()).toEqual(sendTask);
          expect(statements.map((statement) => statement.Resource)).toEqual(['*']);
          break;
        default:
          expect(states).toEqual([]);
      }
    },
  );
});

describe('workflows', () => {
  const cases = workflows.map((workflow) => [workflow.name, workflow] as const);
  const stateMachineOf = (name: string) =>
    resourcesOf(campaign, 'AWS::StepFunctions::StateMachine')[stateMachineLogicalId(name)]
      ?.Properties as Json;

  it('builds one state machine per workflow of the description', () => {
    expect(Object.keys(resourcesOf(campaign, 'AWS::StepFunctions::StateMachine'))).toHaveLength(
      workflows.length,
    );
  });

  it.each(cases)('%s: Standard, under the fixed name the functions carry', (name) => {
    const props = stateMachineOf(name);
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.StateMachineName).toBe(`FeeCampaign-${name}`);
    expect(expectedStateMachineArn(name)).toMatch(new RegExp(`:stateMachine:${props.StateMachineName}$`));
  });

  it.each(cases)(
    '%s: deploys its ASL file as it is, with every placeholder substituted',
    (name, workflow) => {
      const props = stateMachineOf(name);
      // DefinitionBody.fromFile: the file goes up as an S3 asset, staged beside the templates.
      expect(props.DefinitionString).toBeUndefined();
      const key = String(props.DefinitionS3Location.Key);
      expect(key).toMatch(/^[0-9a-f]{64}\.json$/);
      const source = readFileSync(join(repoRoot, workflow.definition), 'utf8');
      expect(readFileSync(join(outdir, `asset.${key}`), 'utf8')).toBe(source);

      const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
      const expected: Record<string, unknown> = { ...workflow.settings };
      for (const [substitution, fn] of Object.entries(workflow.functionArns)) {
        expected[substitution] = { 'Fn::GetAtt': [functionLogicalId(fn), 'Arn'] };
      }
      expect(substitutions).toEqual(expected);

      // Every placeholder of the file has a substitution, and every substitution is used.
      const placeholders = new Set([...source.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]));
      expect(placeholders).toEqual(new Set(Object.keys(substitutions)));

      // What Step Functions will run: the file with the settings and the function ARNs filled in.
      const arnMarker = (logicalId: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${logicalId}`;
      const rendered = source.replace(/\$\{(\w+)\}/g, (_, placeholder: string) => {
        const value = substitutions[placeholder] as string | { 'Fn::GetAtt': [string, string] };
        return typeof value === 'string' ? value : arnMarker(value['Fn::GetAtt'][0]);
      });
      const definition = JSON.parse(rendered) as Json;
      const invoked = new Set(
        Object.values(definition.States as Record<string, Json>)
          .filter((state) => state.Type === 'Task')
          .map((state) => state.Parameters?.FunctionName as string),
      );
      expect(invoked).toEqual(
        new Set(Object.values(workflow.functionArns).map((fn) => arnMarker(functionLogicalId(fn)))),
      );
      const settings = definition.States.Settings.Parameters as Record<string, string>;
      for (const [placeholder, value] of Object.entries(workflow.settings)) {
        if (source.includes(`'\${${placeholder}}'`)) {
          expect(Object.values(settings), placeholder).toContain(`States.StringToJson('${value}')`);
        }
      }
    },
  );

  it.each(cases)('%s: logs every event without execution data, and traces', (name) => {
    const props = stateMachineOf(name);
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    const logGroupId = props.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn[
      'Fn::GetAtt'
    ][0] as string;
    expect(resourcesOf(campaign, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({
      RetentionInDays: 30,
    });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
  });

  it.each(cases)('%s: its role may invoke only the functions its definition names', (name, workflow) => {
    const roleId = stateMachineOf(name).RoleArn['Fn::GetAtt'][0] as string;
    const role = resourcesOf(campaign, 'AWS::IAM::Role')[roleId];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = Object.values(resourcesOf(campaign, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
    const lambda = statements.filter((statement) =>
      [statement.Action].flat().some((action: string) => action.startsWith('lambda:')),
    );
    expect(lambda.flatMap((statement) => [statement.Action].flat())).toEqual(['lambda:InvokeFunction']);
    const named = Object.values(workflow.functionArns).map(functionLogicalId);
    expect(lambda.flatMap((statement) => [statement.Resource].flat())).toEqual(
      named.flatMap((id) => [
        { 'Fn::GetAtt': [id, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, ':*']] },
      ]),
    );
    // No other function appears anywhere in the role's policies.
    const others = functions.map((fn) => functionLogicalId(fn.name)).filter((id) => !named.includes(id));
    for (const other of others) expect(JSON.stringify(statements)).not.toContain(`"${other}"`);
  });

  it.each(
    cases.flatMap(([name]) => [
      [name, 'ExecutionsFailed'],
      [name, 'ExecutionsTimedOut'],
    ]),
  )('%s: alarms on %s', (name, metricName) => {
    campaign.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: metricName,
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineLogicalId(name) } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('work queues', () => {
  const queueCases = queues.map((queue) => [queue.name, queue] as const);
  const built_ = () => built.campaignStack.queues;
  const queueId = (name: string, which: 'queue' | 'deadLetterQueue') =>
    logicalId(built.campaignStack, built_()[name]?.[which] as IConstruct);
  const queueProps = (id: string) => resourcesOf(campaign, 'AWS::SQS::Queue')[id]?.Properties as Json;
  const tlsOnly = (id: string) =>
    Object.values(resourcesOf(campaign, 'AWS::SQS::QueuePolicy'))
      .find((policy) => (policy.Properties.Queues as Json[]).some((ref) => ref.Ref === id))
      ?.Properties.PolicyDocument.Statement.some(
        (statement: Json) =>
          statement.Effect === 'Deny' && statement.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      );

  it.each(queueCases)(
    '%s: an encrypted, TLS-only queue that moves a message to its dead letters after its maximum receives',
    (name, queue) => {
      const main = queueProps(queueId(name, 'queue'));
      const dead = queueProps(queueId(name, 'deadLetterQueue'));
      expect(main).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: queue.visibilityTimeoutSeconds,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [queueId(name, 'deadLetterQueue'), 'Arn'] },
          maxReceiveCount: queue.maxReceives,
        },
      });
      expect(dead).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
      expect([tlsOnly(queueId(name, 'queue')), tlsOnly(queueId(name, 'deadLetterQueue'))]).toEqual([
        true,
        true,
      ]);
    },
  );

  it.each(queueCases)("%s: hides a message well beyond its consumer's timeout", (_name, queue) => {
    const consumer = functions.find((fn) => fn.name === queue.function);
    expect(queue.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * (consumer?.timeoutSeconds ?? 0));
  });

  it.each(queueCases)(
    '%s: feeds its consumer in batches, reporting partial batch failures',
    (name, queue) => {
      const mappings = Object.values(resourcesOf(campaign, 'AWS::Lambda::EventSourceMapping')).filter(
        (mapping) => mapping.Properties.FunctionName?.Ref === functionLogicalId(queue.function),
      );
      expect(mappings.map((mapping) => mapping.Properties)).toEqual([
        expect.objectContaining({
          EventSourceArn: { 'Fn::GetAtt': [queueId(name, 'queue'), 'Arn'] },
          BatchSize: queue.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      ]);
    },
  );

  it.each(queueCases)('%s: alarms on a dead letter, an old message and a failed invocation', (name) => {
    const alarms = built_()[name]?.alarms ?? [];
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) expect(built.campaignStack.monitoring.alarms).toContain(alarm);
  });

  const statementsOf = functionStatements;
  const withAction = (name: string, pattern: RegExp) =>
    statementsOf(name).filter((statement) =>
      [statement.Action].flat().some((action) => pattern.test(action)),
    );

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s sends to the delivery queue only when its access says so',
    (name, fn) => {
      const deliveryQueueArn = JSON.stringify({
        'Fn::GetAtt': [queueId('notification-delivery', 'queue'), 'Arn'],
      });
      const sends = withAction(name, /^sqs:SendMessage$/).filter((statement) =>
        [statement.Resource].flat().some((resource) => JSON.stringify(resource) === deliveryQueueArn),
      );
      expect(sends.length > 0).toBe('deliveryQueue' in fn.access);
    },
  );

  it.each(functions.map((fn) => [fn.name, fn] as const))(
    '%s sends e-mail and SMS only when its access says so, from the campaign identities alone',
    (name, fn) => {
      const email = withAction(name, /^ses:/);
      const sms = withAction(name, /^sms-voice:/);
      const messaging = 'messaging' in fn.access;
      expect([email.length > 0, sms.length > 0]).toEqual([messaging, messaging]);
      for (const statement of email) {
        expect([statement.Action].flat().sort()).toEqual(['ses:SendEmail', 'ses:SendRawEmail']);
        expect(JSON.stringify(statement.Resource)).toContain(':identity/');
      }
      for (const statement of sms) {
        expect(statement.Action).toBe('sms-voice:SendTextMessage');
        expect(JSON.stringify(statement.Resource)).toContain(':pool/pool-');
      }
    },
  );

  it('makes the domain of the sender address an SES identity with DKIM, and publishes its records', () => {
    campaign.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'notify.fee-campaign.example.cn',
    });
    const outputs = Object.keys(campaign.findOutputs('*')).filter((id) => id.includes('DkimRecord'));
    expect(outputs).toHaveLength(3);
  });
});

describe('schedules', () => {
  // The other rule of the stack matches evidence uploads (see "evidence bucket").
  const rules = () =>
    Object.values(resourcesOf(campaign, 'AWS::Events::Rule')).filter(
      (rule) => rule.Properties.ScheduleExpression !== undefined,
    );
  const everyFewMinutes = schedules.flatMap((schedule) => ('everyMinutes' in schedule ? [schedule] : []));
  const daily = schedules.flatMap((schedule) => ('dailyAtChinaTime' in schedule ? [schedule] : []));
  const schedulerSchedules = () => Object.values(resourcesOf(campaign, 'AWS::Scheduler::Schedule'));

  it('builds one rule per schedule of the description that runs every few minutes', () => {
    expect(rules()).toHaveLength(everyFewMinutes.length);
  });

  it.each(everyFewMinutes.map((schedule) => [schedule.name, schedule] as const))(
    '%s: runs its function at its rate, retried twice',
    (_, schedule) => {
      const target = { 'Fn::GetAtt': [functionLogicalId(schedule.function), 'Arn'] };
      const rule = rules().find((candidate) =>
        (candidate.Properties.Targets as Json[]).some(
          (t) => JSON.stringify(t.Arn) === JSON.stringify(target),
        ),
      );
      expect(rule?.Properties).toMatchObject({
        // CDK words whole hours as hours: `rate(1 hour)` for 60 minutes.
        ScheduleExpression: Schedule.rate(Duration.minutes(schedule.everyMinutes)).expressionString,
        State: 'ENABLED',
        Targets: [expect.objectContaining({ RetryPolicy: { MaximumRetryAttempts: 2 } })],
      });
    },
  );

  it('builds one EventBridge Scheduler schedule per daily schedule of the description', () => {
    expect(schedulerSchedules()).toHaveLength(daily.length);
  });

  it.each(daily.map((schedule) => [schedule.name, schedule] as const))(
    '%s: runs its function daily at its China time, retried twice',
    (_, schedule) => {
      const target = { 'Fn::GetAtt': [functionLogicalId(schedule.function), 'Arn'] };
      const found = schedulerSchedules().find(
        (candidate) => JSON.stringify(candidate.Properties.Target.Arn) === JSON.stringify(target),
      );
      const [hour, minute] = schedule.dailyAtChinaTime.split(':');
      expect(found?.Properties).toMatchObject({
        ScheduleExpression: `cron(${minute} ${hour} * * ? *)`,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        State: 'ENABLED',
        Target: expect.objectContaining({
          RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 2 }),
        }),
      });
    },
  );

  it.each(daily.map((schedule) => [schedule.name, schedule] as const))(
    "%s: the schedule's role may invoke its one function and nothing else",
    (_, schedule) => {
      const found = schedulerSchedules().find(
        (candidate) =>
          JSON.stringify(candidate.Properties.Target.Arn) ===
          JSON.stringify({ 'Fn::GetAtt': [functionLogicalId(schedule.function), 'Arn'] }),
      );
      const roleArn = found?.Properties.Target.RoleArn as { 'Fn::GetAtt': [string, string] };
      const roleId = roleArn['Fn::GetAtt'][0];
      const statements = Object.values(resourcesOf(campaign, 'AWS::IAM::Policy'))
        .filter((policy) =>
          (policy.Properties.Roles as Json[]).some(
            (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId }),
          ),
        )
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatchObject({ Action: 'lambda:InvokeFunction', Effect: 'Allow' });
      expect(JSON.stringify(statements[0]?.Resource)).toContain(functionLogicalId(schedule.function));
    },
  );

  it('anchors the audit chains every 15 minutes', () => {
    expect(schedules).toContainEqual({ name: 'audit-anchors', function: 'audit-anchorer', everyMinutes: 15 });
  });

  it.each(schedules.map((schedule) => [schedule.name, schedule] as const))(
    '%s: alarms when a run fails',
    (_, schedule) => {
      campaign.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'Errors',
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionLogicalId(schedule.function) } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    },
  );
});

describe('stream consumers', () => {
  const mappings = () => resourcesOf(campaign, 'AWS::Lambda::EventSourceMapping');
  const consumerCases = streamConsumers.map((consumer) => [consumer.name, consumer] as const);
  const mappingOf = (name: string): Json => {
    const fnId = functionLogicalId(
      streamConsumers.find((consumer) => consumer.name === name)?.function ?? '',
    );
    const found = Object.values(mappings()).filter(
      (mapping) => mapping.Properties.FunctionName?.Ref === fnId,
    );
    expect(found).toHaveLength(1);
    return found[0]?.Properties as Json;
  };
  const queueIdOf = (name: string) =>
    mappingOf(name).DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
  const tableId = () => logicalId(built.dataStack, built.dataStack.table);

  /** Lambda's event filtering, as far as these patterns use it: nested keys, a list of allowed values. */
  const matches = (pattern: unknown, value: unknown): boolean => {
    if (Array.isArray(pattern)) return pattern.includes(value);
    if (!pattern || typeof pattern !== 'object' || !value || typeof value !== 'object') return false;
    return Object.entries(pattern).every(([key, inner]) => matches(inner, (value as Json)[key]));
  };
  const record = (eventName: string, images: { NewImage?: string; OldImage?: string }) => ({
    eventName,
    dynamodb: Object.fromEntries(
      Object.entries(images).map(([image, entity]) => [image, { pk: { S: 'X' }, entity: { S: entity } }]),
    ),
  });

  it('builds one event source mapping per consumer of the description', () => {
    const streamMappings = Object.values(mappings()).filter((mapping) => mapping.Properties.StartingPosition);
    expect(streamMappings).toHaveLength(streamConsumers.length);
  });

  it.each(consumerCases)(
    '%s: reads the table stream from the oldest record, in order, with partial failures',
    (name, consumer) => {
      const mapping = mappingOf(name);
      expect(mapping).toMatchObject({
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: consumer.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: consumer.maxRetries,
        MaximumRecordAgeInSeconds: 86_400,
        ParallelizationFactor: 1,
      });
      // The data stack's table stream, handed across stacks.
      const source = JSON.stringify(mapping.EventSourceArn);
      expect(source).toContain('FeeCampaignData');
      expect(source).toContain(`${tableId()}StreamArn`);
      expect(resourcesOf(campaign, 'AWS::SQS::Queue')[queueIdOf(name)]).toBeDefined();
    },
  );

  it.each(consumerCases)('%s: is delivered only changes of the entities it names', (name, consumer) => {
    const patterns = (mappingOf(name).FilterCriteria.Filters as Json[]).map(
      (filter) => JSON.parse(filter.Pattern as string) as Json,
    );
    const entities: string[] = [...consumer.entities];
    expect(patterns).toEqual([
      { dynamodb: { NewImage: { entity: { S: entities } } } },
      { dynamodb: { OldImage: { entity: { S: entities } } } },
    ]);
    const delivered = (event: Json) => patterns.some((pattern) => matches(pattern, event));
    for (const entity of entities) {
      expect(delivered(record('INSERT', { NewImage: entity })), `${entity} inserted`).toBe(true);
      expect(delivered(record('MODIFY', { NewImage: entity, OldImage: entity })), `${entity} modified`).toBe(
        true,
      );
      expect(delivered(record('REMOVE', { OldImage: entity })), `${entity} removed`).toBe(true);
    }
    // The consumer's own markers (and anything else) never come back to it.
    for (const entity of ['AppliedChange', 'IntakeReceipt', 'FeeKey'].filter((e) => !entities.includes(e))) {
      expect(delivered(record('INSERT', { NewImage: entity })), entity).toBe(false);
    }
    expect(delivered({ eventName: 'INSERT', dynamodb: { NewImage: { pk: { S: 'X' } } } })).toBe(false);
  });

  it.each(consumerCases)(
    '%s: sends what keeps failing to an encrypted, TLS-only queue kept 14 days',
    (name) => {
      const queueId = queueIdOf(name);
      const queue = resourcesOf(campaign, 'AWS::SQS::Queue')[queueId]?.Properties as Json;
      expect(queue.SqsManagedSseEnabled).toBe(true);
      expect(queue.MessageRetentionPeriod).toBe(14 * 86_400);
      const policy = Object.values(resourcesOf(campaign, 'AWS::SQS::QueuePolicy')).find((candidate) =>
        (candidate.Properties.Queues as Json[]).some((ref) => ref.Ref === queueId),
      );
      expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    },
  );

  it.each(consumerCases)(
    '%s: its function may read the stream, decrypt through DynamoDB and fill its queue',
    (name, consumer) => {
      const fn = resourcesOf(campaign, 'AWS::Lambda::Function')[functionLogicalId(consumer.function)];
      const roleId = fn?.Properties.Role['Fn::GetAtt'][0] as string;
      const statements = Object.values(resourcesOf(campaign, 'AWS::IAM::Policy'))
        .filter((policy) => (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      const grantedOn = (action: string) =>
        statements
          .filter((statement) => [statement.Action].flat().includes(action))
          .flatMap((statement) => [statement.Resource].flat().map((resource) => JSON.stringify(resource)));

      for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
        expect(
          grantedOn(action).some((resource) => resource.includes(`${tableId()}StreamArn`)),
          action,
        ).toBe(true);
      }
      // Stream records of a CMK-encrypted table: the key, used through DynamoDB only.
      const keyId = logicalId(built.dataStack, built.dataStack.key);
      const decrypt = statements.find((statement) => [statement.Action].flat().includes('kms:Decrypt'));
      expect(JSON.stringify(decrypt?.Resource)).toContain(keyId);
      expect(decrypt?.Condition).toEqual({
        StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' },
      });
      const description = functions.find((fn) => fn.name === consumer.function);
      const deliveryQueueId = logicalId(
        built.campaignStack,
        built.campaignStack.queues['notification-delivery']?.queue as IConstruct,
      );
      expect(grantedOn('sqs:SendMessage').sort()).toEqual(
        [
          JSON.stringify({ 'Fn::GetAtt': [queueIdOf(name), 'Arn'] }),
          ...(description && 'deliveryQueue' in description.access
            ? [JSON.stringify({ 'Fn::GetAtt': [deliveryQueueId, 'Arn'] })]
            : []),
        ].sort(),
      );
    },
  );

  it.each(consumerCases)('%s: alarms on dead letters, lag over five minutes and errors', (name, consumer) => {
    const fnRef = [{ Name: 'FunctionName', Value: { Ref: functionLogicalId(consumer.function) } }];
    campaign.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueIdOf(name), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    campaign.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: fnRef,
      Statistic: 'Maximum',
      Threshold: 5 * 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    campaign.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: fnRef,
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });
});

describe('dashboard and alarms', () => {
  type MetricLine = { namespace: string; name: string; dimensions: Record<string, string>; stat?: string };

  /** The dashboard body as JSON, each CloudFormation reference in it written `@Id` (`@Id.Attribute`). */
  const dashboardBody = (): Json => {
    const dashboards = Object.values(resourcesOf(campaign, 'AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = dashboards[0]?.Properties.DashboardBody as Json;
    const [separator, parts] = body['Fn::Join'] as [string, Json[]];
    const text = parts
      .map((part) =>
        typeof part === 'string' ? part : `@${part.Ref ?? (part['Fn::GetAtt'] as string[]).join('.')}`,
      )
      .join(separator);
    return JSON.parse(text) as Json;
  };
  const graphs = () => (dashboardBody().widgets as Json[]).filter((widget) => widget.type === 'metric');
  const lines = (): MetricLine[] =>
    graphs().flatMap((widget) =>
      (widget.properties.metrics as unknown[][])
        .filter((line) => typeof line[0] === 'string')
        .map((line) => {
          const options = (typeof line.at(-1) === 'object' ? line.at(-1) : {}) as Json;
          const [namespace, name, ...rest] = line.filter((item) => typeof item === 'string') as string[];
          const dimensions: Record<string, string> = {};
          for (let i = 0; i + 1 < rest.length; i += 2) dimensions[rest[i] as string] = rest[i + 1] as string;
          return { namespace: namespace as string, name: name as string, dimensions, stat: options.stat };
        }),
    );
  const hasLine = (namespace: string, name: string, dimensions: Record<string, string>, stat?: string) =>
    lines().some(
      (line) =>
        line.namespace === namespace &&
        line.name === name &&
        JSON.stringify(Object.entries(line.dimensions).sort()) ===
          JSON.stringify(Object.entries(dimensions).sort()) &&
        (stat === undefined || line.stat === stat),
    );

  /** Every business metric a handler publishes: `metrics.addMetric('Name'` or `? 'A' : 'B'`. */
  const publishedMetricNames = (): Set<string> => {
    const names = new Set<string>();
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
      });
    for (const file of [...walk(join(repoRoot, 'functions')), ...walk(join(repoRoot, 'shared'))]) {
      for (const call of readFileSync(file, 'utf8').matchAll(/metrics\.addMetric\(([^,]+),/g)) {
        for (const quoted of (call[1] ?? '').matchAll(/'(\w+)'/g)) names.add(quoted[1] as string);
      }
    }
    // The stream consumer publishes the campaign-wide counters under these names.
    for (const name of Object.keys(cloudWatchCounters)) names.add(name);
    return names;
  };

  const service = { service: 'fee-campaign' };

  it('is named after the stack', () => {
    campaign.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'FeeCampaign' });
    campaign.hasOutput('DashboardName', {});
  });

  it('charts every business metric the handlers publish, under the dimensions Powertools gives them', () => {
    const charted = new Set(
      lines()
        .filter((line) => line.namespace === 'FeeCampaign')
        .map((line) => line.name),
    );
    const published = publishedMetricNames();
    expect(published.size).toBeGreaterThan(0);
    expect(charted).toEqual(published);

    for (const name of [
      'ComplaintsReceived',
      'CasesOpened',
      'FeesAbolished',
      'RefundedFen',
      'TasksEscalated',
      'CasesNeedingAttention',
      'ChangesCounted',
    ]) {
      expect(hasLine('FeeCampaign', name, service, 'Sum'), name).toBe(true);
    }
    for (const kind of taskKinds) {
      expect(hasLine('FeeCampaign', 'TasksCompleted', { ...service, kind }, 'Sum'), kind).toBe(true);
    }
    for (const outcome of outcomes) {
      expect(hasLine('FeeCampaign', 'CasesClosed', { ...service, outcome }, 'Sum'), outcome).toBe(true);
    }
  });

  it('charts complaints received beside the cases they opened, and what the campaign won back', () => {
    const titled = (title: string) =>
      (
        (graphs().find((widget) => widget.properties.title === title)?.properties.metrics ??
          []) as unknown[][]
      ).map((line) => line[1]);

    expect(titled('Intake')).toEqual(['ComplaintsReceived', 'CasesOpened']);
    expect(titled('Fees abolished and refunds')).toEqual([
      'FeesAbolished',
      'EnterprisesHelped',
      'RefundedFen',
      'AnnualFenRemoved',
    ]);
  });

  it.each(workflows.map((workflow) => [workflow.name] as const))('charts the executions of %s', (name) => {
    const stateMachine = { StateMachineArn: `@${stateMachineLogicalId(name)}` };
    for (const metric of [
      'ExecutionsStarted',
      'ExecutionsSucceeded',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]) {
      expect(hasLine('AWS/States', metric, stateMachine, 'Sum'), metric).toBe(true);
    }
  });

  it('charts API errors and latency percentiles, Lambda errors and throttles, stream lag and dead letters', () => {
    const api = { ApiName: 'FeeCampaign-api' };
    expect(hasLine('AWS/ApiGateway', '4XXError', api, 'Sum')).toBe(true);
    expect(hasLine('AWS/ApiGateway', '5XXError', api, 'Sum')).toBe(true);
    for (const stat of ['p50', 'p90', 'p99'])
      expect(hasLine('AWS/ApiGateway', 'Latency', api, stat), stat).toBe(true);
    for (const fn of functions) {
      const dimensions = { FunctionName: `@${functionLogicalId(fn.name)}` };
      expect(hasLine('AWS/Lambda', 'Errors', dimensions, 'Sum'), fn.name).toBe(true);
      expect(hasLine('AWS/Lambda', 'Throttles', dimensions, 'Sum'), fn.name).toBe(true);
    }
    for (const consumer of streamConsumers) {
      const dimensions = { FunctionName: `@${functionLogicalId(consumer.function)}` };
      expect(hasLine('AWS/Lambda', 'IteratorAge', dimensions, 'Maximum'), consumer.name).toBe(true);
      const queueId = built.campaignStack.getLogicalId(
        built.campaignStack.streamConsumers[consumer.name]?.deadLetterQueue.node.defaultChild as CfnFunction,
      );
      expect(
        hasLine(
          'AWS/SQS',
          'ApproximateNumberOfMessagesVisible',
          { QueueName: `@${queueId}.QueueName` },
          'Maximum',
        ),
        consumer.name,
      ).toBe(true);
    }
  });

  it('shows the state of every alarm', () => {
    const alarmWidget = (dashboardBody().widgets as Json[]).find((widget) => widget.type === 'alarm');
    const shown = new Set(alarmWidget?.properties.alarms as string[]);
    const alarms = Object.keys(resourcesOf(campaign, 'AWS::CloudWatch::Alarm')).map((id) => `@${id}.Arn`);
    expect(alarms.length).toBe(
      workflows.length * 2 + streamConsumers.length * 3 + queues.length * 3 + schedules.length + 1,
    );
    expect(shown).toEqual(new Set(alarms));
  });

  it('alarms when 5xx answers reach 1% of API requests, once there are five of them', () => {
    const api = [{ Name: 'ApiName', Value: 'FeeCampaign-api' }];
    campaign.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(errors >= 5, 100 * errors / requests, 0)', ReturnData: true }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5XXError', Dimensions: api },
            Period: 300,
            Stat: 'Sum',
          },
        }),
        Match.objectLike({
          Id: 'requests',
          MetricStat: {
            Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count', Dimensions: api },
            Period: 300,
            Stat: 'Sum',
          },
        }),
      ]),
    });
  });

  it('notifies the campaign alarm topic of every alarm, on ALARM and on OK', () => {
    const topics = Object.keys(resourcesOf(campaign, 'AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    const alarms = Object.values(resourcesOf(campaign, 'AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(built.campaignStack.monitoring.alarms.length);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topics[0] }]);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
  });

  it('encrypts the alarm topic and refuses publishing without TLS', () => {
    campaign.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    campaign.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('subscribes the e-mail address given as campaign:alarmEmail context', () => {
    campaign.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'operations@example.org',
    });
  });

  it('subscribes nobody without campaign:alarmEmail context', () => {
    // Only the alarm wiring is looked at.
    const stack = campaignStackWithoutAssets('eu-west-1');
    expect(Template.fromStack(stack).findResources('AWS::SNS::Subscription')).toEqual({});
  });
});

describe('in a China region', () => {
  it('lets the keys be used through S3 and DynamoDB under either spelling of their service names', () => {
    // Arrange: the stacks in Beijing
    const stack = campaignStackWithoutAssets('cn-north-1');

    // Act
    const conditions = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
      .map((statement) => statement.Condition?.StringEquals?.['kms:ViaService'])
      .filter((value) => value !== undefined);

    // Assert
    expect(new Set(conditions.map((value) => JSON.stringify(value)))).toEqual(
      new Set(
        ['s3', 'dynamodb'].map((service) =>
          JSON.stringify([`${service}.cn-north-1.amazonaws.com`, `${service}.cn-north-1.amazonaws.com.cn`]),
        ),
      ),
    );
  });
});

describe('dependencies', () => {
  /** Resource ids a value refers to: Ref, Fn::GetAtt and Fn::Sub placeholders. */
  const referencesIn = (value: unknown, ids: Set<string>, found = new Set<string>()): Set<string> => {
    if (Array.isArray(value)) {
      for (const item of value) referencesIn(item, ids, found);
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'Ref' && typeof inner === 'string' && ids.has(inner)) found.add(inner);
        else if (key === 'Fn::GetAtt') {
          const target = Array.isArray(inner) ? inner[0] : String(inner).split('.')[0];
          if (typeof target === 'string' && ids.has(target)) found.add(target);
        } else if (key === 'Fn::Sub') {
          const text = Array.isArray(inner) ? inner[0] : inner;
          for (const match of String(text).matchAll(/\$\{([\w]+)(\.[\w.]+)?\}/g)) {
            if (match[1] && ids.has(match[1])) found.add(match[1]);
          }
        }
        referencesIn(inner, ids, found);
      }
    }
    return found;
  };

  // A cycle fails synthesis on its own (CloudFormation Validate, rule F3004, in the validation report);
  // this names the cause the workflow wiring would bring in.
  it('lets no function reference a state machine: their ARNs come from the fixed names', () => {
    const stateMachineIds = new Set(Object.keys(resourcesOf(campaign, 'AWS::StepFunctions::StateMachine')));
    for (const fn of functions) {
      const props = functionProps(fn.name);
      const roleId = props.Role['Fn::GetAtt'][0] as string;
      const policies = Object.values(resourcesOf(campaign, 'AWS::IAM::Policy')).filter((policy) =>
        (policy.Properties.Roles as Json[]).some((ref) => ref.Ref === roleId),
      );
      const found = referencesIn([props, ...policies], stateMachineIds);
      expect([...found], fn.name).toEqual([]);
    }
  });
});

describe('web portal', () => {
  const edge = () => Template.fromStack(built.portal?.edgeStack as Stack);
  const portal = () => Template.fromStack(built.portal?.portalStack as Stack);

  it('puts the CloudFront web ACL in us-east-1 and the site in the campaign region', () => {
    expect(built.portal?.edgeStack.region).toBe('us-east-1');
    expect(built.portal?.portalStack.region).toBe('eu-west-1');
    edge().hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    portal().hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue() }),
    });
  });

  it("sends /api/* to the campaign API's stage, uncached", () => {
    const distribution = Object.values(resourcesOf(portal(), 'AWS::CloudFront::Distribution'))[0] as Json;
    const config = distribution.Properties.DistributionConfig as Json;
    const api = (config.Origins as Json[]).find((origin) => origin.CustomOriginConfig);
    expect(JSON.stringify(api?.DomainName)).toContain('execute-api');
    expect(JSON.stringify(api?.DomainName)).toContain('FeeCampaign');
    expect(JSON.stringify(api?.OriginPath)).toContain('/');
    expect(config.CacheBehaviors).toEqual([
      expect.objectContaining({
        PathPattern: '/api/*',
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      }),
    ]);
  });

  it('signs people in through the hosted UI of the campaign user pool, code flow only, back to the site', () => {
    portal().hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      UserPoolId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'FeeCampaign' }) },
    });
    const clients = Object.values(resourcesOf(portal(), 'AWS::Cognito::UserPoolClient')) as Json[];
    expect(clients).toHaveLength(1);
    const client = clients[0]?.Properties as Json;
    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthScopes).toEqual(['openid', 'email', 'profile']);
    expect(JSON.stringify(client.CallbackURLs)).toContain('DomainName');
    expect(client.CallbackURLs).toEqual(client.LogoutURLs);
    expect([...client.WriteAttributes].sort()).toEqual(['custom:creditCode', 'email', 'name']);
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('leaves no unacknowledged finding', () => {
    expect(unacknowledgedFindings(built.app, outdir)).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledgements = acknowledgementsOf(built.app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const acknowledgement of acknowledgements) {
      expect(
        acknowledgement.reason.trim().length,
        `${acknowledgement.path} ${acknowledgement.id}`,
      ).toBeGreaterThan(20);
    }
    // Public routes are the only methods allowed to skip the authorizer.
    const unauthenticated = acknowledgements.filter((acknowledgement) =>
      acknowledgement.id.endsWith('AwsSolutions-APIG4'),
    );
    expect(unauthenticated).toHaveLength(routes.filter((route) => route.access === 'public').length);
  });
});
