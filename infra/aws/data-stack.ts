/**
 * The stateful stack: the campaign table and the KMS key that encrypts it and seals complainant
 * contact details. Both outlive any deployment of the stateless stack and are never deleted by
 * CloudFormation.
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { campaignTable } from '#infra/system';

export class CampaignDataStack extends Stack {
  readonly table: Table;
  readonly key: Key;

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
