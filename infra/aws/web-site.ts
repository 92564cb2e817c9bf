/**
 * The web portal on AWS: a private, encrypted S3 bucket (TLS only, public access blocked) read by
 * CloudFront through origin access control, with `/api/*` routed to the REST API on the same origin
 * (no CORS), the portal's security headers on every response, a WAF web ACL, and access logs. The site
 * is built from `web/` by esbuild during synthesis and deployed with a `config.json` that points the
 * sign-in at the Cognito hosted UI. CloudFront compresses (brotli, gzip) and caches as the objects'
 * Cache-Control says: the hash-named script and stylesheet for a year, index.html and config revalidated.
 *
 * CloudFront web ACLs live in us-east-1: create one with `CampaignEdgeWebAcl` (edge-web-acl.ts) in a
 * us-east-1 stack (or elsewhere) and pass its ARN.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Token, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeDeploymentHandler } from '#infra/aws/deployment-findings';
import { hashedAssetsFolder, immutableCacheControl, revalidatedCacheControl } from '../../web/build.ts';
import { contentSecurityPolicy, hstsMaxAgeSeconds, securityHeaders } from '../../web/security-headers.ts';

const webRoot = fileURLToPath(new URL('../../web/', import.meta.url));

export interface CampaignWebSiteProps {
  /** Host name of the REST API, e.g. `abc123.execute-api.eu-west-1.amazonaws.com` (a token is fine). */
  apiDomainName: string;
  /** The API's stage, `prod` or `/prod`: `/api/x` on the site is `/<stage>/api/x` at the API. */
  apiStagePath: string;
  /** ARN of a WAF web ACL of scope CLOUDFRONT (created in us-east-1, see `CampaignEdgeWebAcl`). */
  webAclArn: string;
  /** The Cognito hosted UI the portal signs people in with (authorization code + PKCE). */
  signIn: {
    /** Hosted UI domain, e.g. `fee-campaign.auth.eu-west-1.amazoncognito.com` or a custom domain. */
    domain: string;
    /** App client without a secret; its callback and sign-out URL must include `siteUrl`. */
    clientId: string;
    scopes?: string[];
  };
  /**
   * Origins the browser sends evidence files to (the evidence bucket's regional endpoint, where the
   * presigned POST points); the CSP lets the portal's upload requests reach them.
   */
  uploadOrigins?: readonly string[];
  /** Custom domain names with an ACM certificate in us-east-1; without them, the CloudFront domain. */
  domain?: { names: string[]; certificate: ICertificate };
  /** Build and deploy `web/` with its config (default true); false leaves the bucket to another pipeline. */
  deployContent?: boolean;
  /** Days access logs are kept (default 365). */
  logRetentionDays?: number;
  /** Site and log buckets on stack deletion (default RETAIN). */
  removalPolicy?: RemovalPolicy;
}

/** Builds `web/` into the asset folder with the same script as `npm run build:web`. */
const buildSiteInto = (outputDir: string): boolean => {
  const result = spawnSync(process.execPath, [join(webRoot, 'build.ts'), outputDir], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status === 0;
};

export class CampaignWebSite extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly responseHeadersPolicy: ResponseHeadersPolicy;
  readonly cachePolicy: CachePolicy;
  /** `https://<domain>/`: register it as the app client's callback and sign-out URL. */
  readonly siteUrl: string;

  constructor(scope: Construct, id: string, props: CampaignWebSiteProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stage = props.apiStagePath.replace(/^\/+|\/+$/g, '');
    if (!Token.isUnresolved(stage) && !/^[A-Za-z0-9_-]+$/.test(stage)) {
      throw new Error(`apiStagePath must name one stage such as "prod", not "${props.apiStagePath}"`);
    }

    this.logBucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // CloudFront standard logging writes with an ACL grant, which needs ACLs enabled on the bucket.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.logRetentionDays ?? 365) }],
      removalPolicy,
    });
    Validations.of(this.logBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the site bucket and the distribution; logging its own accesses into itself would loop, and its content is logs only.',
    });

    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3-site/',
      removalPolicy,
    });

    const cognitoOrigin = `https://${props.signIn.domain.replace(/^https:\/\//, '').replace(/\/+$/, '')}`;
    const headers = securityHeaders();
    this.responseHeadersPolicy = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Fee-burden campaign portal: CSP without inline scripts, nosniff, no framing, HSTS',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy({
            connectSources: [cognitoOrigin, ...(props.uploadOrigins ?? [])],
            upgradeInsecureRequests: true,
          }),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(hstsMaxAgeSeconds),
          includeSubdomains: true,
          override: true,
        },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: headers['permissions-policy'] as string, override: true },
          {
            header: 'Cross-Origin-Opener-Policy',
            value: headers['cross-origin-opener-policy'] as string,
            override: true,
          },
        ],
      },
    });

    // The objects' own Cache-Control decides: a year for the hash-named files, revalidation for the
    // rest after at most a second (CloudFront keeps compressed copies only with a minimum TTL above 0).
    // Brotli and gzip are part of the cache key, so each viewer gets the encoding it accepts.
    this.cachePolicy = new CachePolicy(this, 'SiteCache', {
      comment: 'Fee-burden campaign portal: as the objects say, compressed with brotli or gzip',
      minTtl: Duration.seconds(1),
      defaultTtl: Duration.days(1),
      maxTtl: Duration.days(365),
      enableAcceptEncodingBrotli: true,
      enableAcceptEncodingGzip: true,
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      queryStringBehavior: CacheQueryStringBehavior.none(),
    });

    const api = new HttpOrigin(props.apiDomainName, {
      originPath: `/${stage}`,
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      readTimeout: Duration.seconds(30),
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Fee-burden campaign portal and API',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: this.cachePolicy,
        responseHeadersPolicy: this.responseHeadersPolicy,
        compress: true,
      },
      additionalBehaviors: {
        // Same origin as the pages: the browser sends the bearer token without CORS. Nothing is cached;
        // every viewer header but Host goes to API Gateway (it routes by its own host name).
        '/api/*': {
          origin: api,
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: this.responseHeadersPolicy,
          compress: true,
        },
      },
      webAclId: props.webAclArn,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      // The TLS policy applies to a custom certificate only; the default *.cloudfront.net one has its own.
      ...(props.domain
        ? {
            domainNames: props.domain.names,
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction by design: the portal serves enterprises, associations and the public wherever they are; the WAF rate-limits and filters abuse instead.',
    });
    if (!props.domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; pass `domain` (ACM certificate) to enforce TLSv1.2_2021.',
      });
    }

    const domainName = props.domain?.names[0] ?? this.distribution.distributionDomainName;
    this.siteUrl = `https://${domainName}/`;

    if (props.deployContent ?? true) {
      // One staged build for both deployments: the hash-named files first, then the pages naming them.
      const site = Source.asset(webRoot, {
        assetHashType: AssetHashType.OUTPUT,
        exclude: ['dist', 'node_modules'],
        bundling: {
          // Only the local build can see the shared code and esbuild; a container would not.
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
          command: ['sh', '-c', 'echo "web/build.ts must run locally (npm install first)" >&2; exit 1'],
          local: { tryBundle: (outputDir) => buildSiteInto(outputDir) },
        },
      });
      const hashedFiles = `${hashedAssetsFolder}/*`;
      // Named by their content: cached for good. Earlier builds' files stay (no prune), so a page
      // loaded before a deploy still finds its script; nothing needs invalidating.
      const assets = new BucketDeployment(this, 'Assets', {
        destinationBucket: this.bucket,
        sources: [site],
        exclude: ['*'],
        include: [hashedFiles],
        prune: false,
        cacheControl: [CacheControl.fromString(immutableCacheControl)],
        memoryLimit: 512,
      });
      // index.html, the icon and the config keep their names: revalidated, and invalidated on deploy.
      // Excluding the hashed files also keeps the prune from deleting them.
      const pages = new BucketDeployment(this, 'Content', {
        destinationBucket: this.bucket,
        sources: [
          site,
          Source.jsonData('config.json', {
            mode: 'cognito',
            domain: cognitoOrigin,
            clientId: props.signIn.clientId,
            redirectUri: this.siteUrl,
            scopes: props.signIn.scopes ?? ['openid', 'email', 'profile'],
          }),
        ],
        exclude: [hashedFiles],
        cacheControl: [CacheControl.fromString(revalidatedCacheControl)],
        distribution: this.distribution,
        distributionPaths: ['/', '/index.html', '/favicon.svg', '/config.json'],
        memoryLimit: 512,
      });
      pages.node.addDependency(assets);
      for (const deployment of [assets, pages]) acknowledgeDeploymentHandler(deployment, this.bucket);
    }
  }
}
