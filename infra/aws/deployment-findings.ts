/**
 * The cdk-nag findings of CDK's BucketDeployment handler, which deploys the portal: acknowledged one by
 * one, so that any other finding still shows.
 */
import { Aspects, type IAspect, Stack, Validations } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import type { IConstruct } from 'constructs';
import { flattenCfnValue } from '#infra/aws/nag-findings';

/** The deployment's handler is CDK's own singleton Lambda at the stack's root. */
export const acknowledgeDeploymentHandler = (deployment: BucketDeployment, siteBucket: IBucket): void => {
  const stack = Stack.of(deployment);
  const handlers = stack.node.children.filter((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  for (const scope of [deployment, ...handlers]) {
    Validations.of(scope).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "CDK's BucketDeployment handler writes its logs with the AWS managed basic execution policy; it runs only while the site is deployed.",
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          "The BucketDeployment handler's runtime is chosen by aws-cdk-lib (it bundles the AWS CLI layer); it runs only during deployments and moves with CDK upgrades.",
      },
    );
    Aspects.of(scope).add(new AcknowledgeDeploymentWildcards(stack.resolve(siteBucket.bucketArn)));
  }
};

/**
 * The wildcards CDK's BucketDeployment grants its handler, acknowledged one by one (cdk-nag reports each
 * action and resource separately): reading the asset from the CDK staging bucket, replacing the site's
 * objects, and invalidating the distribution. Any other wildcard stays a finding.
 */
class AcknowledgeDeploymentWildcards implements IAspect {
  private readonly siteObjects: string;

  constructor(siteBucketArn: unknown) {
    this.siteObjects = `${flattenCfnValue(siteBucketArn)}/*`;
  }

  visit(node: IConstruct): void {
    if (!(node instanceof CfnPolicy)) return;
    const document = Stack.of(node).resolve(node.policyDocument) as {
      Statement?: { Effect: string; Action: string | string[]; Resource: unknown }[];
    };
    const copyActions = new Set([
      's3:GetObject*',
      's3:GetBucket*',
      's3:List*',
      's3:DeleteObject*',
      's3:Abort*',
    ]);
    for (const statement of document.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of [statement.Action].flat()) {
        if (action.includes('*') && copyActions.has(action)) {
          Validations.of(node).acknowledge({
            id: `AwsSolutions-IAM5[Action::${action}]`,
            reason: `CDK's BucketDeployment handler copies the built site from the asset bucket into the site bucket and prunes old files; ${action} is the grant CDK's Bucket.grantRead/grantReadWrite use for that.`,
          });
        }
      }
      for (const resource of [statement.Resource].flat().map(flattenCfnValue)) {
        if (!resource.includes('*')) continue;
        const reason =
          resource === '*'
            ? 'cloudfront:CreateInvalidation/GetInvalidation have no resource-level permissions; the handler invalidates the distribution after a deploy.'
            : resource === this.siteObjects
              ? "The handler replaces the site's objects: every key of the site bucket (bucket/*), nothing outside it."
              : /:s3:::cdk-[a-z0-9]+-assets-.+\/\*$/.test(resource)
                ? "The handler reads the site's zip from the CDK bootstrap asset bucket; asset keys are content hashes, so the grant names the bucket's objects (bucket/*)."
                : undefined;
        if (reason)
          Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
      }
    }
  }
}
