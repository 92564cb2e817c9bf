/**
 * Builds the CDK app: the stateful data stack, the stateless campaign stack, and cdk-nag's AwsSolutions
 * checks as a validation plugin. Tests call this in-process; `app.ts` calls it for the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, App, type Environment, Token, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { repoRoot } from '#infra/aws/campaign-function';
import { CampaignStack } from '#infra/aws/campaign-stack';
import { CampaignDataStack } from '#infra/aws/data-stack';
import { CampaignEdgeStack, CampaignPortalStack } from '#infra/aws/portal-stack';

export interface CampaignAppProps {
  /** Cloud assembly directory; the CLI sets it through CDK_OUTDIR, tests pass a temporary one. */
  outdir?: string;
  /** Defaults to CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION, each left unresolved when unset. */
  env?: Environment;
  /** Extra context, applied over the feature flags of cdk.json. */
  context?: Record<string, unknown>;
}

export interface CampaignApp {
  app: App;
  dataStack: CampaignDataStack;
  campaignStack: CampaignStack;
  /** The portal and its us-east-1 web ACL: only with a region given (cross-region references need one). */
  portal?: { edgeStack: CampaignEdgeStack; portalStack: CampaignPortalStack };
}

// In-process synthesis (tests) must see the same feature flags as `cdk synth`, which reads cdk.json.
const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> })
    .context ?? {};

export const buildCampaignApp = (props: CampaignAppProps = {}): CampaignApp => {
  const app = new App({
    ...(props.outdir ? { outdir: props.outdir } : {}),
    context: { ...cdkJsonContext(), ...props.context },
  });
  const env: Environment = props.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };

  const dataStack = new CampaignDataStack(app, 'FeeCampaignData', {
    env,
    description: 'Fee-burden campaign: table, keys, audit anchors and evidence files (stateful)',
    portalOrigin: app.node.tryGetContext('campaign:portalOrigin') as string | undefined,
  });
  const campaignStack = new CampaignStack(app, 'FeeCampaign', {
    env,
    description:
      'Fee-burden campaign: functions, API, user pool, WAF, workflows, stream consumers, dashboard and alarms (stateless)',
    table: dataStack.table,
    contactKey: dataStack.key,
    auditKey: dataStack.auditKey,
    evidenceKey: dataStack.evidenceKey,
    alarmEmail: app.node.tryGetContext('campaign:alarmEmail') as string | undefined,
    mailFrom: app.node.tryGetContext('campaign:mailFrom') as string | undefined,
    smsOriginationIdentity: app.node.tryGetContext('campaign:smsOriginationIdentity') as string | undefined,
  });

  let portal: CampaignApp['portal'];
  if (env.region && !Token.isUnresolved(env.region)) {
    const edgeStack = new CampaignEdgeStack(app, 'FeeCampaignEdge', {
      env: { ...env, region: 'us-east-1' },
      description: "Fee-burden campaign: the web portal's CloudFront web ACL (us-east-1)",
    });
    const portalStack = new CampaignPortalStack(app, 'FeeCampaignPortal', {
      env,
      description: 'Fee-burden campaign: web portal (S3, CloudFront) and its Cognito hosted-UI sign-in',
      api: campaignStack.api,
      userPool: campaignStack.userPool,
      webAclArn: edgeStack.webAcl.arn,
      signInDomainPrefix: app.node.tryGetContext('campaign:signInDomainPrefix') as string | undefined,
    });
    portal = { edgeStack, portalStack };
  } else {
    Annotations.of(app).addInfo(
      'The web portal stacks need a region (CDK_DEFAULT_REGION or env.region): synthesized without them.',
    );
  }

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, dataStack, campaignStack, ...(portal ? { portal } : {}) };
};
