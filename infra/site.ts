// The pages on AWS: a private bucket behind CloudFront (SiteHosting, in the stateful stack, because the
// user pool client's callback URLs need the distribution's address and the stateful stack may not
// depend on the stateless one), and the built pages with their config.js (SitePagesStack, after the
// stateful stack, because config.js names the hosted UI and its client). The pages live under /app/ as they do
// locally (web/serve.ts): the bucket holds them under app/, and / redirects to /app/. The HTTP API is
// served by the same distribution at its own paths (/rounds…, /applications…, as `npm start` serves it
// beside /app/), so the one web ACL (infra/edge.ts) covers pages and API alike, and the pages call the
// API on their own origin, without CORS.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import {
  Aws,
  DefaultStackSynthesizer,
  DockerImage,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Token,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type BehaviorOptions,
  type IDistribution,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { webRoot } from '../web/build.js';
import { httpRoutes } from './wiring.js';

/** Where the pages live on the site, as locally (web/serve.ts `appBasePath`, web/index.html `<base>`). */
export const appBasePath = '/app/';
/** Key prefix of the pages in the bucket. */
const appKeyPrefix = appBasePath.slice(1);
/** The page the hosted UI returns to (web/src/main.ts reads the tokens there). */
export const signInPath = `${appBasePath}signin`;

/** CloudFront's default quota of cache behaviours per distribution (the pages' default one not counted). */
const maxBehaviours = 25;

/**
 * The distribution's path patterns that go to the HTTP API: one per first path segment of the wiring
 * table's routes (`/rounds*` takes /rounds and /rounds/…), so the API keeps the paths API.md gives it
 * and the pages keep /app/ and /, as locally. A pattern reaching into the pages' paths would hide
 * them behind the API: a route whose first segment starts the pages' base path is refused here.
 */
export function apiPathPatterns(routeKeys: readonly string[] = Object.keys(httpRoutes)): string[] {
  const pages = appBasePath.slice(1, -1);
  const segments = [...new Set(routeKeys.map((key) => key.split(' ')[1]!.split('/')[1]!))].sort();
  for (const segment of segments) {
    if (!segment || /[*?]/.test(segment) || pages.startsWith(segment)) {
      throw new Error(`An API path starting /${segment} would take the pages' paths (${appBasePath}) on the distribution`);
    }
  }
  if (segments.length > maxBehaviours) {
    throw new Error(`${segments.length} API path patterns: more than CloudFront's ${maxBehaviours} behaviours a distribution`);
  }
  return segments.map((segment) => `/${segment}*`);
}

/**
 * Viewer-request function: / and /app redirect to /app/; a path under /app/ whose last segment has no
 * file extension is a page of the router and gets index.html, as web/serve.ts does locally.
 */
const viewerRequestCode = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === '/' || uri === '${appBasePath.slice(0, -1)}') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '${appBasePath}' } } };
  }
  if (uri.indexOf('${appBasePath}') === 0 && uri.slice(uri.lastIndexOf('/') + 1).indexOf('.') === -1) {
    request.uri = '${appBasePath}index.html';
  }
  return request;
}`;

export interface SiteHostingProps {
  /** ARN of the CLOUDFRONT-scope web ACL in front of the distribution (infra/edge.ts). */
  readonly webAclArn: string;
  /** The HTTP API, served at its own paths (`apiPathPatterns`) by the same distribution. */
  readonly api: IHttpApi;
  /** https://<prefix>.auth.<region>.amazoncognito.com: the pages redeem the sign-in code there (web/src/pkce.ts). */
  readonly hostedUiUrl: string;
}

export class SiteHosting extends Construct {
  readonly bucket: IBucket;
  readonly distribution: IDistribution;
  /** https://<distribution domain>: the pages' origin, and the API's base URL. */
  readonly origin: string;
  /** <origin>/app/, where the pages start. */
  readonly appUrl: string;
  /** Name of the export of the bucket's ARN, which the pages' stack imports (SitePagesStack). */
  readonly bucketArnExport: string;

  constructor(scope: Construct, id: string, props: SiteHostingProps) {
    super(scope, id);

    // Access logs name viewers' IP addresses: kept 90 days (as the API's access logs), then expired.
    // Retained on stack deletion like the other data of this stack. CloudFront's standard logs are
    // written with an ACL, so the bucket keeps object-writer ownership (ACLs enabled, none public).
    const logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket of the site bucket and the distribution; logging its own access would log into itself or need a third bucket for no audit gain.',
    });

    // Only build output, reproducible from any commit, so no versioning (a rollback is a redeploy)
    // and emptied and deleted with the stack rather than left behind as an orphan.
    const bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: false,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3-site/',
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // The pages call the HTTP API on their own origin, navigate to the hosted UI and redeem the sign-in
    // code at its token endpoint; no frames, no third-party scripts. The status page's URL carries the
    // secret token mailed to a contact, so no referrer ever leaves the site. The API's answers get the
    // same headers (HSTS, nosniff, no framing, no referrer).
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'sparraus pages: CSP, HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            `connect-src 'self' ${props.hostedUiUrl}`,
            "img-src 'self' data:",
            "style-src 'self' 'unsafe-inline'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
    });

    const viewerRequest = new CloudFrontFunction(this, 'AppPaths', {
      comment: 'sparraus: / -> /app/, router paths -> /app/index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(viewerRequestCode),
    });

    // The API: nothing cached (every answer is personal or live), every method, and everything the
    // viewer sent except Host (API Gateway routes by its own host name): Authorization, the query
    // string with its link token, Accept, Accept-Language, x-correlation-id. CloudFront forwards the
    // Authorization header through an origin request policy only when caching is disabled, as here.
    const api = new HttpOrigin(`${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const apiBehaviour: BehaviorOptions = {
      origin: api,
      // Not a redirect: a POST redirected to https would arrive as a GET.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
      // CloudFront compresses only what its cache policy lets it cache; the functions answer small JSON.
      compress: false,
    };

    const distribution = new Distribution(this, 'Distribution', {
      comment: 'sparraus pages',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: viewerRequest, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: Object.fromEntries(apiPathPatterns().map((pattern) => [pattern, apiBehaviour])),
      // No custom error responses: they apply to every behaviour and would turn the API's 403 and 404
      // into the app shell. The router's pages have no file extension and get index.html from the
      // viewer-request function; a missing file under /app/ stays S3's 403 (OAC, no ListBucket).
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // AWS WAF with a rate limit per client IP (infra/edge.ts), on the pages and the API alike.
      webAclId: props.webAclArn,
    });
    Validations.of(distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: the pages and the public API routes are public (open rounds, application and status pages, webinar registration) and contacts or tutors may use them from abroad; the API enforces who sees what.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The distribution uses the default *.cloudfront.net certificate, with which CloudFront negotiates TLSv1 at minimum whatever minimumProtocolVersion says; a custom domain with its own ACM certificate would lift that and is not configured yet.',
      },
    );

    this.bucket = bucket;
    this.distribution = distribution;
    // Exported under a name of ours rather than CDK's generated one, so that the acknowledgements of
    // the deployment's IAM5 findings (which quote the import) do not hang on a generated hash.
    const stack = Stack.of(this);
    this.bucketArnExport = `${stack.stackName}-SiteBucketArn`;
    stack.exportValue(bucket.bucketArn, { name: this.bucketArnExport });
    this.origin = `https://${distribution.distributionDomainName}`;
    this.appUrl = `${this.origin}${appBasePath}`;
  }
}

/** What the pages are told at run time (web/config.js, web/global.d.ts). */
export interface SiteConfig {
  readonly apiUrl: string;
  readonly cognito: {
    readonly domain: string;
    readonly clientId: string;
    readonly redirectUri: string;
    readonly logoutUri: string;
  };
}

export interface SitePagesProps extends StackProps {
  readonly hosting: Pick<SiteHosting, 'bucketArnExport' | 'distribution'>;
  readonly config: SiteConfig;
}

/**
 * The built pages and a config.js for this deployment, copied under app/ and invalidated in CloudFront.
 * A stack of its own (after the stateful one): it names the hosted UI and its client, and keeps
 * aws-s3-deployment's handler function out of the stateless stack, whose functions are all ours.
 */
export class SitePagesStack extends Stack {
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: SitePagesProps) {
    super(scope, id, props);
    const deployment = new BucketDeployment(this, 'Deployment', {
      sources: [pagesSource(), Source.data('config.js', `window.SPARRAUS_CONFIG = ${JSON.stringify(props.config)};\n`)],
      destinationBucket: Bucket.fromBucketArn(this, 'Bucket', Fn.importValue(props.hosting.bucketArnExport)),
      destinationKeyPrefix: appKeyPrefix,
      // Files are not content-hashed (app.js, config.js), so browsers revalidate each time (ETag) and
      // each deployment invalidates the edge caches.
      cacheControl: [CacheControl.noCache()],
      distribution: props.hosting.distribution,
      distributionPaths: [`${appBasePath}*`],
      prune: true,
      memoryLimit: 256,
    });
    this.deployment = deployment;

    // aws-s3-deployment runs one handler function per stack (a singleton beside this construct), so
    // its findings are acknowledged on that function, each one by name.
    const handler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('No BucketDeployment handler found in the stack');
    const handlerOnly =
      "The role is that of aws-s3-deployment's own custom-resource handler, which runs only while CloudFormation deploys the pages.";
    const s3 = (action: string, why: string) => ({
      id: `AwsSolutions-IAM5[Action::s3:${action}]`,
      reason: `${handlerOnly} s3:${action} is part of the read (asset) and read-write (site bucket) grants it needs to ${why}; the resources are the two buckets only.`,
    });
    Validations.of(handler).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: `${handlerOnly} AWSLambdaBasicExecutionRole lets it write only its own CloudWatch logs.`,
      },
      s3('GetObject*', 'read the zipped pages from the CDK asset bucket'),
      s3('GetBucket*', 'locate and read both buckets'),
      s3('List*', 'list what is under app/ so that prune can remove files no longer built'),
      s3('DeleteObject*', 'prune files under app/ that the build no longer makes'),
      s3('Abort*', 'abort a multipart upload it started'),
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${this.assetBucketName()}/*]`,
        reason: `${handlerOnly} It reads the pages' zip from the CDK bootstrap asset bucket, whose object keys are content hashes known only at deploy time.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${props.hosting.bucketArnExport}/*]`,
        reason: `${handlerOnly} It syncs the whole app/ prefix of the site bucket (upload, overwrite, prune), so it writes any key of that one bucket.`,
      },
      {
        id: 'AwsSolutions-L1',
        reason: `${handlerOnly} Its runtime (Python) is the one aws-cdk-lib pins for that handler, not ours to choose; it moves with aws-cdk-lib updates.`,
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${handlerOnly} cloudfront:CreateInvalidation and GetInvalidation, which aws-cdk-lib grants on * for the distribution it invalidates after each deployment; they change no content.`,
      },
    );
  }

  /**
   * The CDK bootstrap asset bucket as cdk-nag quotes it (default qualifier; account and region
   * literal when the deploying credentials gave them, placeholders when synthesized offline).
   */
  private assetBucketName(): string {
    const account = Token.isUnresolved(this.account) ? '<AWS::AccountId>' : this.account;
    const region = Token.isUnresolved(this.region) ? '<AWS::Region>' : this.region;
    return `cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${account}-${region}`;
  }
}

/**
 * The pages, built by web/build.ts straight into the asset directory when the app is synthesized
 * (no Docker, no prior `npm run build:web`; skipped like every bundle when bundling is), without the
 * local config.js, which the deployment writes itself.
 */
function pagesSource(): ISource {
  return Source.asset(webRoot, {
    // config.js is written by the deployment (SitePagesStack), never taken from web/.
    exclude: ['dist', 'node_modules', 'config.js'],
    bundling: {
      // Never pulled: the local build always succeeds or throws.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-alpine'),
      local: {
        tryBundle(outputDir: string): boolean {
          const build = spawnSync(process.execPath, ['--import', 'tsx', path.join(webRoot, 'build.ts'), outputDir], {
            cwd: path.dirname(webRoot),
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          if (build.status !== 0)
            throw new Error(`Building the pages (web/build.ts) failed: ${build.error ?? `exit ${build.status}`}`);
          rmSync(path.join(outputDir, 'config.js'), { force: true });
          return true;
        },
      },
    },
  });
}
