// The pages on AWS: private bucket behind CloudFront with OAC under /app/, the hosted UI and the web
// client's OAuth settings, the deployment of the built pages with a config.js naming the hosted UI, and
// the API on the pages' own origin (its behaviours and the WAF: edge.test.ts), so without CORS.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AssetStaging } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ofType, referencedId, synthesize } from './template.js';

const { statefulTemplate, siteTemplate, statelessTemplate, site, imported, stateful } = synthesize();
const statefulResources = statefulTemplate.toJSON().Resources as Record<string, { Type: string; Properties?: any }>;
const [distributionId, distribution] = ofType(statefulResources, 'AWS::CloudFront::Distribution')[0]!;
const config = distribution.Properties!.DistributionConfig;
const s3Origin = config.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
const siteBucketId = referencedId(s3Origin.DomainName, 'RegionalDomainName')!;
const domainName = { 'Fn::GetAtt': [distributionId, 'DomainName'] };
const https = (suffix: string) => ({ 'Fn::Join': ['', ['https://', domainName, suffix]] });

describe('site bucket and distribution', () => {
  it('has only private, encrypted, TLS-only buckets, the site bucket logging to the log bucket', () => {
    const buckets = ofType(statefulResources, 'AWS::S3::Bucket');
    expect(buckets.map(([id]) => id)).toContain(siteBucketId);
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties!.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties!.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
        SSEAlgorithm: 'AES256',
      });
      statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
    const site = statefulResources[siteBucketId]!;
    expect(referencedId(site.Properties!.LoggingConfiguration.DestinationBucketName)).toBe(
      referencedId(config.Logging.Bucket, 'RegionalDomainName'),
    );
  });

  it('reads the bucket through Origin Access Control only, which the bucket policy ties to this distribution', () => {
    // The bucket and the API (edge.test.ts); the default behaviour is the bucket's.
    expect(config.Origins).toHaveLength(2);
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(s3Origin.Id);
    const oacId = referencedId(s3Origin.OriginAccessControlId, 'Id')!;
    expect(statefulResources[oacId]!.Properties!.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(s3Origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: siteBucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:GetObject',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves index.html by default, HTTPS only, with security headers and access logs', () => {
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: ['GET', 'HEAD'],
    });
    const headers = statefulResources[referencedId(config.DefaultCacheBehavior.ResponseHeadersPolicyId)!]!;
    const security = headers.Properties!.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true });
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    expect(security.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
    expect(JSON.stringify(security.ContentSecurityPolicy)).toContain("frame-ancestors 'none'");
    // Fetches go to the pages' own origin (the API is there too) and to the hosted UI's token endpoint
    // (web/src/pkce.ts), nowhere else: no execute-api host any more.
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("connect-src 'self' https://");
    expect(csp).toContain('.amazoncognito.com');
    expect(csp).not.toContain('execute-api');
    expect(config.Logging.Prefix).toBe('cloudfront/');
  });

  it("has no custom error responses, which would turn the API's 403 and 404 into the app shell", () => {
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it('redirects / to /app/ and maps router paths to /app/index.html at the edge, as web/serve.ts does locally', () => {
    const [association] = config.DefaultCacheBehavior.FunctionAssociations;
    expect(association.EventType).toBe('viewer-request');
    const fn = statefulResources[referencedId(association.FunctionARN, 'FunctionARN')!]!;
    expect(fn.Properties!.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    const handler = new Function(`${fn.Properties!.FunctionCode}; return handler;`)() as (event: unknown) => any;
    const viewer = (uri: string) => handler({ request: { uri } });
    expect(viewer('/')).toMatchObject({ statusCode: 302, headers: { location: { value: '/app/' } } });
    expect(viewer('/app')).toMatchObject({ statusCode: 302, headers: { location: { value: '/app/' } } });
    expect(viewer('/app/').uri).toBe('/app/index.html');
    expect(viewer('/app/coordinator/rounds/r-1').uri).toBe('/app/index.html');
    expect(viewer('/app/signin').uri).toBe('/app/index.html');
    expect(viewer('/app/app.js').uri).toBe('/app/app.js');
    expect(viewer('/app/config.js').uri).toBe('/app/config.js');
  });

  it('outputs the site URL and the hosted UI URL', () => {
    statefulTemplate.hasOutput('SiteUrl', { Value: https('/app/') });
    statefulTemplate.hasOutput('HostedUiUrl', {
      Value: {
        'Fn::Join': ['', ['https://', { Ref: Match.anyValue() }, '.auth.', { Ref: 'AWS::Region' }, '.amazoncognito.com']],
      },
    });
  });
});

describe('hosted UI and web client', () => {
  it('has a hosted UI domain sparraus-<account id>', () => {
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: { 'Fn::Join': ['', ['sparraus-', { Ref: 'AWS::AccountId' }]] },
    });
  });

  it('signs the web client in through the hosted UI with the code flow, no secret, back to the pages on CloudFront', () => {
    const clients = ofType(statefulResources, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    expect(clients[0]![1].Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: expect.arrayContaining(['code']),
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      CallbackURLs: [https('/app/signin')],
      LogoutURLs: [https('/app/')],
    });
  });

  it("serves the API on the pages' origin, so it has no CORS; its authorizer takes the web client's id tokens", () => {
    const apis = ofType(statefulResources, 'AWS::ApiGatewayV2::Api');
    expect(apis).toHaveLength(1);
    expect(apis[0]![1].Properties!.CorsConfiguration).toBeUndefined();
    statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: Match.objectLike({ Audience: [imported(stateful.resources.userPoolClient.userPoolClientId)] }),
    });
  });
});

describe('site pages deployment', () => {
  const deployment = { Properties: ofType(siteTemplate.toJSON().Resources, 'Custom::CDKBucketDeployment')[0]![1].Properties! };

  it('copies the built pages and a config.js under app/, prunes, and invalidates /app/*', () => {
    expect(deployment.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'app/',
      Prune: true,
      DistributionPaths: ['/app/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(JSON.stringify(deployment.Properties.DestinationBucketName)).toContain(
      '"Fn::ImportValue":"SparrausStateful-SiteBucketArn"',
    );
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
  });

  it('writes a config.js with the API on the same origin, the hosted UI, the client and the URLs on CloudFront', () => {
    const [, markers] = deployment.Properties.SourceMarkers as Record<string, unknown>[];
    const staged = site.node
      .findAll()
      .filter((c): c is AssetStaging => c instanceof AssetStaging)
      .map((s) => path.join(s.absoluteStagedPath, 'config.js'))
      .find((file) => {
        try {
          return readFileSync(file, 'utf8').startsWith('window.SPARRAUS_CONFIG = ');
        } catch {
          return false;
        }
      });
    expect(staged, 'the staged config.js').toBeDefined();
    let js = readFileSync(staged!, 'utf8');
    // Each deploy-time value as {{<its CloudFormation JSON>}}, escaped to sit inside a JSON string.
    for (const [marker, value] of Object.entries(markers!)) {
      js = js.split(marker).join(JSON.stringify(`{{${JSON.stringify(value)}}}`).slice(1, -1));
    }
    const match = /^window\.SPARRAUS_CONFIG = (.*);\n$/s.exec(js);
    expect(match).not.toBeNull();
    const parsed = JSON.parse(match![1]!) as { apiUrl: string; cognito: Record<string, string> };
    const ref = (token: unknown) => `{{${JSON.stringify(token)}}}`;
    const domain = ref(imported(stateful.resources.site.distribution.distributionDomainName));
    // '' is the pages' own origin, where the distribution serves the API, as npm start does.
    expect(parsed.apiUrl).toBe('');
    expect(parsed.cognito.domain).toMatch(
      /^https:\/\/\{\{\{"Fn::ImportValue":"SparrausStateful:ExportsOutputRefUserPoolHostedUi[0-9A-F]+"\}\}\}\.auth\.\{\{\{"Ref":"AWS::Region"\}\}\}\.amazoncognito\.com$/,
    );
    expect(parsed.cognito).toEqual({
      domain: parsed.cognito.domain,
      clientId: ref(imported(stateful.resources.userPoolClient.userPoolClientId)),
      redirectUri: `https://${domain}/app/signin`,
      logoutUri: `https://${domain}/app/`,
    });
  });
});

describe('sign-in flow', () => {
  it('the web client takes only the authorization code flow (with PKCE from the pages), never tokens in the URL', () => {
    const clients = Object.values(statefulTemplate.findResources('AWS::Cognito::UserPoolClient')) as {
      Properties: { AllowedOAuthFlows?: string[] };
    }[];
    expect(clients.map((c) => c.Properties.AllowedOAuthFlows)).toEqual([['code']]);
  });
});
