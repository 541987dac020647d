// The pages on AWS: a private bucket behind CloudFront (SiteHosting, in the stateful stack, because the
// user pool client's callback URLs need the distribution's address and the stateful stack may not
// depend on the stateless one), and the built pages with their config.js (SitePagesStack, after the
// stateless stack, because config.js names the HTTP API). The pages live under /app/ as they do locally
// (web/serve.ts): the bucket holds them under app/, and / redirects to /app/.
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
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
  type IDistribution,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { webRoot } from '../web/build.js';

/** Where the pages live on the site, as locally (web/serve.ts `appBasePath`, web/index.html `<base>`). */
export const appBasePath = '/app/';
/** Key prefix of the pages in the bucket. */
const appKeyPrefix = appBasePath.slice(1);
/** The page the hosted UI returns to (web/src/main.ts reads the tokens there). */
export const signInPath = `${appBasePath}signin`;

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
}

export class SiteHosting extends Construct {
  readonly bucket: IBucket;
  readonly distribution: IDistribution;
  /** https://<distribution domain>, the origin the API's CORS allows. */
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

    // The pages call the HTTP API (execute-api in this region) and navigate to the hosted UI; no
    // frames, no third-party scripts. The status page's URL carries the secret token mailed to a
    // contact, so no referrer ever leaves the site.
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'sparraus pages: CSP, HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            `connect-src 'self' https://*.execute-api.${Aws.REGION}.amazonaws.com`,
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
      // The router's pages have no object of their own: S3 answers 403 through OAC (no ListBucket)
      // for a missing key, so both go to the app shell, which renders the page or its own 404.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: `${appBasePath}index.html`,
        ttl: Duration.seconds(10),
      })),
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // AWS WAF with a rate limit per client IP (infra/edge.ts).
      webAclId: props.webAclArn,
    });
    Validations.of(distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'No geo restriction: the pages are public (open rounds, application and status pages, webinar registration) and contacts or tutors may open them from abroad; the API enforces who sees what.',
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
 * A stack of its own (after both others): it names the API and the hosted UI, and keeps
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
