/** The WAF pieces both web ACLs are built from: the API's regional one and the portal's CloudFront one. */
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { ApiRoute } from '#shared/http/routes';

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

/** The answer a rate rule blocks with, in the API's error shape; register it as `throttled`. */
export const throttledResponseBody = {
  contentType: 'APPLICATION_JSON',
  content: '{"error":{"code":"THROTTLED","message":"Too many requests from this address; retry later."}}',
} as const;

/**
 * One rate-based rule per route that limits each client address (`requestsPerMinutePerAddress` in the
 * route table, as the local gateway counts it): over a one-minute window, on the path the route ends
 * with (the API stage or the portal may prefix it), answered 429 with Retry-After. `clientAddress` is
 * `IP` where WAF sees the client itself (CloudFront) and `FORWARDED_IP` behind CloudFront, whose
 * addresses would otherwise pool every portal user into one count.
 */
export const addressRateRules = (
  routes: readonly ApiRoute[],
  firstPriority: number,
  clientAddress: 'IP' | 'FORWARDED_IP',
): CfnWebACL.RuleProperty[] =>
  routes
    .filter((route) => route.requestsPerMinutePerAddress !== undefined)
    .map((route, i) => {
      const name = `RatePerAddress-${route.operationId}`;
      return {
        name,
        priority: firstPriority + i,
        action: {
          block: {
            customResponse: {
              responseCode: 429,
              customResponseBodyKey: 'throttled',
              responseHeaders: [{ name: 'Retry-After', value: '60' }],
            },
          },
        },
        statement: {
          rateBasedStatement: {
            limit: route.requestsPerMinutePerAddress as number,
            evaluationWindowSec: 60,
            aggregateKeyType: clientAddress,
            ...(clientAddress === 'FORWARDED_IP'
              ? { forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' } }
              : {}),
            scopeDownStatement: {
              byteMatchStatement: {
                fieldToMatch: { uriPath: {} },
                positionalConstraint: 'ENDS_WITH',
                searchString: route.path,
                textTransformations: [{ priority: 0, type: 'NONE' }],
              },
            },
          },
        },
        visibilityConfig: visibility(name),
      };
    });
