/**
 * The stateful stack: the campaign table, the KMS key that encrypts it and seals complainant contact
 * details, the HMAC key that links the audit chains, and the Object Lock bucket where their heads are
 * anchored outside the table. All outlive any deployment of the stateless stack and are never deleted
 * by CloudFormation.
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
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { campaignTable } from '#infra/system';

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

export class CampaignDataStack extends Stack {
  readonly table: Table;
  readonly key: Key;
  /** HMAC_256: writers may GenerateMac, verifiers VerifyMac; the key material never leaves KMS. */
  readonly auditKey: Key;
  /** Heads of the audit chains, outside the table; Object Lock in compliance mode. */
  readonly auditAnchors: Bucket;
  readonly auditAnchorLogs: Bucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
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
        'This is the access-log bucket of the audit anchor bucket; logging its own accesses into itself would loop, and its content is logs only.',
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

    // What `npm run audit:verify` (AWS mode) and `npm run resume:aws` are given.
    new CfnOutput(this, 'AuditKeyArn', {
      value: this.auditKey.keyArn,
      description: 'The audit chain HMAC key',
    });
    new CfnOutput(this, 'AuditAnchorsBucket', {
      value: this.auditAnchors.bucketName,
      description: 'Object Lock bucket of the audit chain anchors',
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
