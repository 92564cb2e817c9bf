/**
 * The stateful stack: the campaign table, the KMS key that encrypts it and seals complainant contact
 * details, the HMAC key that links the audit chains, and the Object Lock bucket where their heads are
 * anchored outside the table, and the evidence bucket with its own key. All outlive any deployment
 * of the stateless stack and are never deleted by CloudFormation.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  HttpMethods,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { campaignTable, evidenceBucket } from '#infra/system';
import { evidenceObjectKeys } from '#shared/domain/evidence';

/** How long each anchor stays undeletable: a year and a month, beyond the campaign's annual review. */
export const auditAnchorRetention = Duration.days(400);

/**
 * The anchor bucket's name, the same from either stack (one per account and region): the stateless
 * stack names the bucket's objects in its IAM policies from it instead of through a cross-stack
 * reference, which cdk-nag could only show, and an acknowledgement only name, as an opaque output.
 */
export const auditAnchorsBucketName = (scope: Construct) => {
  const { account, region } = Stack.of(scope);
  return `fee-campaign-audit-anchors-${account}-${region}`;
};

/** The evidence bucket's name, from either stack (see auditAnchorsBucketName for why by name). */
export const evidenceBucketName = (scope: Construct) => {
  const { account, region } = Stack.of(scope);
  return `fee-campaign-${evidenceBucket.name}-${account}-${region}`;
};

/** The key prefixes of the evidence bucket (`incoming/`, `evidence/`, `quarantine/`). */
export const evidencePrefixes = {
  incoming: evidenceBucket.screening.prefix,
  screened: evidenceObjectKeys.screened(''),
  quarantined: evidenceObjectKeys.quarantined(''),
} as const;

export interface CampaignDataStackProps extends StackProps {
  /**
   * The portal's origin (`https://portal.example.gov.cn`, context `campaign:portalOrigin`): the only
   * origin whose pages may post upload forms to the evidence bucket. Without it the bucket answers no
   * cross-origin request, and the portal cannot upload (docs/evidence.md, "Where files live").
   */
  portalOrigin?: string;
}

export class CampaignDataStack extends Stack {
  readonly table: Table;
  readonly key: Key;
  /** HMAC_256: writers may GenerateMac, verifiers VerifyMac; the key material never leaves KMS. */
  readonly auditKey: Key;
  /** Heads of the audit chains, outside the table; Object Lock in compliance mode. */
  readonly auditAnchors: Bucket;
  /** Server access logs of the anchor and evidence buckets, each under its own prefix. */
  readonly auditAnchorLogs: Bucket;
  /** Encrypts the evidence files (SSE-KMS); the API, the screener and the sweeper use it through S3. */
  readonly evidenceKey: Key;
  /** Uploaded files: `incoming/` until screened, then `evidence/` or `quarantine/`. */
  readonly evidence: Bucket;

  constructor(scope: Construct, id: string, props?: CampaignDataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });

    this.key = new Key(this, 'DataKey', {
      description: 'Fee campaign: encrypts the campaign table and seals complainant contact details',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new Table(this, 'CampaignTable', {
      partitionKey: { name: campaignTable.partitionKey, type: AttributeType.STRING },
      sortKey: { name: campaignTable.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      stream: StreamViewType[campaignTable.stream],
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: campaignTable.timeToLiveAttribute,
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.auditKey = new Key(this, 'AuditChainKey', {
      description: 'Fee campaign: links the audit chain of every case (HMAC-SHA256); only writers may MAC',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      // KMS rotates symmetric encryption keys only; an HMAC key keeps its material for good.
      enableKeyRotation: false,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.auditAnchorLogs = new Bucket(this, 'AuditAnchorLogs', {
      // Server access logs are delivered only to buckets with S3-managed encryption.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.auditAnchorLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the audit anchor and evidence buckets; logging its own accesses into itself would loop, and its content is logs only.',
    });

    this.auditAnchors = new Bucket(this, 'AuditAnchors', {
      bucketName: auditAnchorsBucketName(this),
      objectLockEnabled: true,
      // Compliance mode: no one, the account root included, shortens the retention or deletes a version.
      objectLockDefaultRetention: ObjectLockRetention.compliance(auditAnchorRetention),
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.auditAnchorLogs,
      serverAccessLogsPrefix: 'audit-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.evidenceKey = new Key(this, 'EvidenceKey', {
      description:
        'Fee campaign: encrypts the evidence files complainants, associations and officials upload',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.evidence = new Bucket(this, 'Evidence', {
      bucketName: evidenceBucketName(this),
      encryption: BucketEncryption.KMS,
      encryptionKey: this.evidenceKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.auditAnchorLogs,
      serverAccessLogsPrefix: 'evidence/',
      // Object-created events go to EventBridge, where a rule of the campaign stack starts the screener:
      // a bucket notification naming that function would make this stack depend on the campaign stack,
      // which depends on this one (a cycle through the notification's custom resource).
      eventBridgeEnabled: true,
      lifecycleRules: [
        // Screening moves a file out of incoming/ within a minute; what stays was never screened.
        { id: 'incoming', prefix: evidencePrefixes.incoming, expiration: Duration.days(1) },
        // Refused files are kept a month, long enough for the uploader's questions, then go.
        { id: 'quarantine', prefix: evidencePrefixes.quarantined, expiration: Duration.days(30) },
        {
          id: 'versions',
          // A deleted or replaced file can be restored for 30 days, then it is gone for good.
          noncurrentVersionExpiration: Duration.days(30),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      // The portal's pages post the upload form with fetch and follow download links: only its origin.
      ...(props?.portalOrigin
        ? {
            cors: [
              {
                allowedOrigins: [props.portalOrigin],
                allowedMethods: [HttpMethods.POST, HttpMethods.GET],
                maxAge: 3600,
              },
            ],
          }
        : {}),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // CDK turns EventBridge delivery on through its own bucket-notifications handler, in this stack.
    const notificationsHandler = this.node
      .findAll()
      .find((construct) => construct.node.id.startsWith('BucketNotificationsHandler'));
    if (notificationsHandler) {
      Validations.of(notificationsHandler).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's own handler that turns on the evidence bucket's EventBridge delivery at deployment; it only writes its logs with the basic execution role, and CDK gives no way to replace that role.",
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            "CDK's own bucket-notifications handler: s3:PutBucketNotification on the buckets of this stack it configures; CDK writes the statement with Resource * and no way to narrow it.",
        },
      );
    }

    // What `npm run audit:verify` (AWS mode) and `npm run resume:aws` are given.
    new CfnOutput(this, 'AuditKeyArn', {
      value: this.auditKey.keyArn,
      description: 'The audit chain HMAC key',
    });
    new CfnOutput(this, 'AuditAnchorsBucket', {
      value: this.auditAnchors.bucketName,
      description: 'Object Lock bucket of the audit chain anchors',
    });
    new CfnOutput(this, 'EvidenceBucket', {
      value: this.evidence.bucketName,
      description: 'The evidence files (incoming/, evidence/, quarantine/)',
    });
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The campaign table' });

    for (const index of campaignTable.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }
}
