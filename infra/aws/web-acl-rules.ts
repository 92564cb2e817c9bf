/** The WAF pieces both web ACLs are built from: the API's regional one and the portal's CloudFront one. */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';

/** CloudWatch metrics and sampled requests under `metricName`. */
export const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
  metricName,
  cloudWatchMetricsEnabled: true,
  sampledRequestsEnabled: true,
});

/** An AWS managed rule group; the rules named in `countOnly` count matching requests instead of blocking. */
export const managedRuleGroup = (
  name: string,
  priority: number,
  countOnly: readonly string[] = [],
): CfnWebACL.RuleProperty => ({
  name,
  priority,
  overrideAction: { none: {} },
  statement: {
    managedRuleGroupStatement: {
      vendorName: 'AWS',
      name,
      ...(countOnly.length > 0
        ? { ruleActionOverrides: countOnly.map((rule) => ({ name: rule, actionToUse: { count: {} } })) }
        : {}),
    },
  },
  visibilityConfig: visibility(name),
});

/** Complaint bodies reach 32 KiB (the API enforces that limit); the common rule set blocks at 8 KB. */
export const bodySizeRule = 'SizeRestrictions_BODY';
