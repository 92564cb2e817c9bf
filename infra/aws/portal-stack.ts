/**
 * The web portal on AWS: the site behind CloudFront (`CampaignWebSite`), with `/api/*` on the campaign
 * stack's REST API, and people signing in through the Cognito hosted UI of the campaign's user pool
 * (authorization code + PKCE, an app client without a secret whose only callback is the site).
 *
 * CloudFront web ACLs live in us-east-1, so the ACL is in a stack of its own there
 * (`CampaignEdgeStack`) and reaches this one as a cross-region reference.
 */
import { Lazy, Stack, type StackProps } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { CfnUserPoolDomain, type IUserPool, OAuthScope, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import { userWritableAttributes } from '#infra/aws/campaign-stack';
import { evidenceBucketName } from '#infra/aws/data-stack';
import { CampaignEdgeWebAcl } from '#infra/aws/edge-web-acl';
import { CampaignWebSite } from '#infra/aws/web-site';

/** The us-east-1 stack holding the portal's CloudFront web ACL. */
export class CampaignEdgeStack extends Stack {
  readonly webAcl: CampaignEdgeWebAcl;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    this.webAcl = new CampaignEdgeWebAcl(this, 'PortalWebAcl');
  }
}

export interface CampaignPortalStackProps extends StackProps {
  api: RestApi;
  userPool: IUserPool;
  /** ARN of the CLOUDFRONT-scope web ACL (`CampaignEdgeStack`). */
  webAclArn: string;
  /** Prefix of the hosted UI domain `<prefix>.auth.<region>.amazoncognito.com`, unique in the region (default `fee-campaign-<account>`). */
  signInDomainPrefix?: string;
}

export class CampaignPortalStack extends Stack {
  readonly site: CampaignWebSite;
  readonly signInDomain: CfnUserPoolDomain;
  /** The hosted UI's host name, `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly signInHost: string;
  readonly signInClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: CampaignPortalStackProps) {
    super(scope, id, { ...props, crossRegionReferences: true });
    const prefix = props.signInDomainPrefix ?? `fee-campaign-${this.account}`;
    this.signInDomain = new CfnUserPoolDomain(this, 'SignIn', {
      domain: prefix,
      userPoolId: props.userPool.userPoolId,
    });
    this.signInHost = `${prefix}.auth.${this.region}.amazoncognito.com`;
    // The client's callback is the site's URL and the site's config names the client: the client id
    // is read once both exist (CloudFormation orders them: distribution, client, then the config).
    let client: UserPoolClient | undefined;
    this.site = new CampaignWebSite(this, 'Web', {
      apiDomainName: `${props.api.restApiId}.execute-api.${this.region}.${this.urlSuffix}`,
      apiStagePath: props.api.deploymentStage.stageName,
      webAclArn: props.webAclArn,
      // The presigned POST of an evidence upload points at the bucket's regional virtual-hosted endpoint.
      uploadOrigins: [`https://${evidenceBucketName(this)}.s3.${this.region}.${this.urlSuffix}`],
      signIn: {
        domain: this.signInHost,
        clientId: Lazy.string({ produce: () => client?.userPoolClientId }),
      },
    });
    client = new UserPoolClient(this, 'PortalClient', {
      userPool: props.userPool,
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [this.site.siteUrl],
        logoutUrls: [this.site.siteUrl],
      },
      writeAttributes: userWritableAttributes(),
    });
    this.signInClient = client;
  }
}
