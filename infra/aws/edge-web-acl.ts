import { Stack, Token } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import {
  addressRateRules,
  bodySizeRule,
  managedRuleGroup,
  throttledResponseBody,
  visibility,
} from '#infra/aws/web-acl-rules';
import { apiRoutes } from '#shared/http/routes';

export interface CampaignEdgeWebAclProps {
  /** Requests one IP may send in five minutes before it is blocked (default 1000). */
  requestsPerIpPer5Minutes?: number;
}

/**
 * The WAF web ACL in front of the distribution: scope CLOUDFRONT, so its stack must be in us-east-1.
 * AWS managed common, known-bad-inputs and IP-reputation rules, a per-IP rate limit, and the tighter
 * per-address limits of the public lookups.
 */
export class CampaignEdgeWebAcl extends Construct {
  readonly webAcl: CfnWebACL;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CampaignEdgeWebAclProps = {}) {
    super(scope, id);
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      throw new Error(`A CLOUDFRONT web ACL must be created in us-east-1, not ${region}`);
    }
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('campaign-portal'),
      customResponseBodies: { throttled: throttledResponseBody },
      rules: [
        {
          name: 'RatePerIp',
          priority: 0,
          action: { block: {} },
          statement: {
            rateBasedStatement: { limit: props.requestsPerIpPer5Minutes ?? 1000, aggregateKeyType: 'IP' },
          },
          visibilityConfig: visibility('RatePerIp'),
        },
        managedRuleGroup('AWSManagedRulesCommonRuleSet', 1, [bodySizeRule]),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 2),
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 3),
        // The portal's visitors reach the public lookups here first, by their own addresses.
        ...addressRateRules(apiRoutes, 4, 'IP'),
      ],
    });
    this.arn = this.webAcl.attrArn;
  }
}
