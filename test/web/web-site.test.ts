/**
 * The portal's CDK construct in a throwaway stack (not the campaign app, which wires it elsewhere):
 * private encrypted TLS-only bucket behind origin access control, `/api/*` to the REST API's stage,
 * the security headers, the WAF, logs, the site built and deployed with its Cognito config, and a
 * clean cdk-nag report.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignEdgeWebAcl } from '#infra/aws/edge-web-acl';
import { CampaignWebSite } from '#infra/aws/web-site';
import { acknowledgementsOf, unacknowledgedFindings } from '#test/support/cdk-nag';

// biome-ignore lint/suspicious/noExplicitAny: synthesized templates are untyped JSON, navigated freely here.
type Json = Record<string, any>;

let outdir: string;
let app: App;
let site: CampaignWebSite;
let template: Template;
let edge: Template;

const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const allViewerExceptHost = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'campaign-web-cdk-'));
  app = new App({ outdir, context: { '@aws-cdk/core:appMode': 'inmemory' } });
  const edgeStack = new Stack(app, 'PortalEdge', { env: { account: '123456789012', region: 'us-east-1' } });
  const acl = new CampaignEdgeWebAcl(edgeStack, 'Waf');
  const stack = new Stack(app, 'PortalSite', { env: { account: '123456789012', region: 'eu-west-1' } });
  site = new CampaignWebSite(stack, 'Web', {
    apiDomainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
    apiStagePath: '/prod',
    // A cross-region reference is the app's business; the construct takes an ARN.
    webAclArn: `arn:aws:wafv2:us-east-1:123456789012:global/webacl/campaign-portal/${'0'.repeat(36)}`,
    signIn: { domain: 'fee-campaign.auth.eu-west-1.amazoncognito.com', clientId: 'client123' },
    uploadOrigins: ['https://fee-campaign-evidence-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com'],
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  // Throws with the whole validation report when cdk-nag finds anything unacknowledged.
  app.synth();
  template = Template.fromStack(stack);
  edge = Template.fromStack(edgeStack);
  expect(acl.arn).toBeDefined();
}, 120_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

const only = (type: string): Json => {
  const resources = Object.values(template.findResources(type)) as Json[];
  expect(resources).toHaveLength(1);
  return resources[0] as Json;
};

describe('the portal bucket', () => {
  it('is private, encrypted and TLS-only, and read by CloudFront through origin access control', () => {
    const buckets = template.findResources('AWS::S3::Bucket') as Record<string, Json>;
    expect(Object.keys(buckets)).toHaveLength(2);
    for (const bucket of Object.values(buckets)) {
      expect(
        bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
      ).toEqual({ SSEAlgorithm: 'AES256' });
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Json[];
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      );
    }
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    const siteId = Stack.of(site).getLogicalId(site.bucket.node.defaultChild as never);
    const sitePolicy = policies.find((policy) => JSON.stringify(policy.Properties.Bucket).includes(siteId));
    expect(JSON.stringify(sitePolicy?.Properties.PolicyDocument)).toContain('cloudfront.amazonaws.com');
    expect(JSON.stringify(sitePolicy?.Properties.PolicyDocument)).toContain('AWS:SourceArn');
  });
});

describe('the distribution', () => {
  it('routes /api/* to the REST API stage, uncached, with every viewer header but Host', () => {
    const config = only('AWS::CloudFront::Distribution').Properties.DistributionConfig;
    const api = config.Origins.find(
      (origin: Json) => origin.DomainName === 'abc123.execute-api.eu-west-1.amazonaws.com',
    );
    expect(api).toMatchObject({
      OriginPath: '/prod',
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    expect(config.CacheBehaviors).toHaveLength(1);
    expect(config.CacheBehaviors[0]).toMatchObject({
      PathPattern: '/api/*',
      TargetOriginId: api.Id,
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: cachingDisabled,
      OriginRequestPolicyId: allViewerExceptHost,
      AllowedMethods: expect.arrayContaining(['POST', 'GET', 'OPTIONS']),
    });
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https' });
    expect(config.DefaultRootObject).toBe('index.html');
  });

  it('sits behind the WAF and logs its requests', () => {
    const config = only('AWS::CloudFront::Distribution').Properties.DistributionConfig;
    expect(config.WebACLId).toMatch(/^arn:aws:wafv2:us-east-1:/);
    expect(config.Logging).toMatchObject({ Prefix: 'cloudfront/', IncludeCookies: false });
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({ Name: 'RatePerIp', Action: { Block: {} } }),
        Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' }),
      ]),
    });
  });

  it("limits each visitor's public progress lookups by the visitor's own address, 20 a minute", () => {
    edge.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'RatePerAddress-getPublicProgress',
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 20,
              EvaluationWindowSec: 60,
              AggregateKeyType: 'IP',
            }),
          },
          Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
        }),
      ]),
    });
  });

  it('adds the security headers to pages and API answers alike', () => {
    const policy = only('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig;
    const security = policy.SecurityHeadersConfig;
    const csp: string = security.ContentSecurityPolicy.ContentSecurityPolicy;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(
      "connect-src 'self' https://fee-campaign.auth.eu-west-1.amazoncognito.com https://fee-campaign-evidence-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com",
    );
    expect(csp).not.toContain('unsafe-inline');
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
    expect(security.StrictTransportSecurity.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    const config = only('AWS::CloudFront::Distribution').Properties.DistributionConfig;
    const policyId = config.DefaultCacheBehavior.ResponseHeadersPolicyId;
    expect(config.CacheBehaviors[0].ResponseHeadersPolicyId).toEqual(policyId);
  });

  it('refuses a stage path that is not one stage', () => {
    const stack = new Stack(new App(), 'Bad');
    expect(
      () =>
        new CampaignWebSite(stack, 'Web', {
          apiDomainName: 'x.execute-api.eu-west-1.amazonaws.com',
          apiStagePath: 'prod/api',
          webAclArn: 'arn:aws:wafv2:us-east-1:1:global/webacl/x/y',
          signIn: { domain: 'd', clientId: 'c' },
          deployContent: false,
        }),
    ).toThrow(/one stage/);
    expect(
      () => new CampaignEdgeWebAcl(new Stack(new App(), 'Eu', { env: { region: 'eu-west-1' } }), 'Waf'),
    ).toThrow(/us-east-1/);
  });
});

describe('caching and compression', () => {
  it("lets the objects' Cache-Control decide, and compresses with brotli and gzip", () => {
    const policy = only('AWS::CloudFront::CachePolicy').Properties.CachePolicyConfig;
    expect(policy).toMatchObject({ MinTTL: 1, MaxTTL: 31_536_000 });
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      EnableAcceptEncodingBrotli: true,
      EnableAcceptEncodingGzip: true,
      HeadersConfig: { HeaderBehavior: 'none' },
      CookiesConfig: { CookieBehavior: 'none' },
      QueryStringsConfig: { QueryStringBehavior: 'none' },
    });
    const config = only('AWS::CloudFront::Distribution').Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior).toMatchObject({
      Compress: true,
      CachePolicyId: { Ref: Stack.of(site).getLogicalId(site.cachePolicy.node.defaultChild as never) },
    });
  });
});

describe('the deployed content', () => {
  const deployments = () =>
    Object.entries(template.findResources('Custom::CDKBucketDeployment') as Record<string, Json>);
  const deploymentNamed = (id: string) => {
    const found = deployments().find(([logicalId]) => logicalId.startsWith(`Web${id}CustomResource`));
    expect(found, id).toBeDefined();
    return found as [string, Json];
  };

  it("deploys the hash-named files first, cached for a year as immutable, keeping earlier builds' files", () => {
    expect(deployments()).toHaveLength(2);
    const [assetsId, assets] = deploymentNamed('Assets');
    expect(assets.Properties.SystemMetadata).toEqual({
      'cache-control': 'public, max-age=31536000, immutable',
    });
    expect(assets.Properties.Prune).toBe(false);
    expect(assets.Properties.Exclude).toEqual(['*']);
    expect(assets.Properties.Include).toEqual(['assets/*']);
    expect(assets.Properties.DistributionPaths).toBeUndefined();
    const [, pages] = deploymentNamed('Content');
    expect(pages.DependsOn).toEqual(expect.arrayContaining([assetsId]));
  });

  it('deploys index.html, the icon and config.json revalidated, invalidating only them', () => {
    const [, pages] = deploymentNamed('Content');
    expect(pages.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    // Pruned, but excluded files are neither copied nor pruned: the hashed files stay.
    expect(pages.Properties.Exclude).toEqual(['assets/*']);
    expect(pages.Properties.Prune).toBe(true);
    expect(pages.Properties.DistributionPaths).toEqual(['/', '/index.html', '/favicon.svg', '/config.json']);
  });

  it('is the built portal with a config.json that signs in through the Cognito hosted UI', () => {
    const [, deployment] = deploymentNamed('Content');
    // The two sources: the web build (an asset folder holding the bundle) and config.json.
    const assetDirs = readdirSync(outdir).filter(
      (name) => name.startsWith('asset.') && statSync(join(outdir, name)).isDirectory(),
    );
    const built = assetDirs.find((dir) => readdirSync(join(outdir, dir)).includes('index.html'));
    expect(built).toBeDefined();
    const files = readdirSync(join(outdir, built as string), { recursive: true, encoding: 'utf8' }).sort();
    expect(files).toHaveLength(5);
    expect(files).toEqual(
      expect.arrayContaining([
        'assets',
        expect.stringMatching(/^assets\/app\.[A-Z0-9]{8}\.css$/),
        expect.stringMatching(/^assets\/app\.[A-Z0-9]{8}\.js$/),
        'favicon.svg',
        'index.html',
      ]),
    );
    const html = readFileSync(join(outdir, built as string, 'index.html'), 'utf8');
    for (const file of files.filter((name) => name.startsWith('assets/')))
      expect(html).toContain(`"/${file}"`);
    const configFile = assetDirs
      .flatMap((dir) => readdirSync(join(outdir, dir)).map((file) => join(outdir, dir, file)))
      .find((file) => file.endsWith('config.json'));
    expect(configFile).toBeDefined();
    // The redirect URI is the distribution's domain, filled in at deploy time through a marker.
    const config = JSON.parse(readFileSync(configFile as string, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({
      mode: 'cognito',
      domain: 'https://fee-campaign.auth.eu-west-1.amazoncognito.com',
      clientId: 'client123',
      scopes: ['openid', 'email', 'profile'],
    });
    expect(config.redirectUri).toMatch(/^https:\/\/<<marker:0xbaba:\d+>>\/$/);
    expect(JSON.stringify(deployment.Properties.SourceMarkers)).toContain('DomainName');
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('leaves no unacknowledged finding, and every acknowledgement has a reason', () => {
    expect(unacknowledgedFindings(app, outdir)).toEqual([]);
    const acknowledgements = acknowledgementsOf(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledgements) expect(reason.trim().length, id).toBeGreaterThan(40);
  });
});
