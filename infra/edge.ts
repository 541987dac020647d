// Rate limits at the edge: the lower throttle of the public write routes on the HTTP API stage, and the
// AWS WAF web ACL in front of the pages' CloudFront distribution (a stack of its own in us-east-1,
// where every CLOUDFRONT-scope web ACL must live).
import { CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { RouteKey } from './wiring.js';

/**
 * Public routes that write for anyone without an account (an application, a webinar registration,
 * and, once they are wired, a status-link request and a feedback answer: add each as one entry here).
 * They get their own route throttle on the stage, below the stage default of every other route.
 * Public routes keyed by an application or registration id are left out: they answer only to the
 * secret token mailed to that person.
 */
export const publicWriteRoutes = [
  'POST /rounds/{roundId}/applications',
  'POST /webinars/{webinarId}/registrations',
  'POST /rounds/{roundId}/status-link',
] as const satisfies readonly RouteKey[];

/** The stage default, which every route not in `publicWriteRoutes` keeps (staff and token routes). */
export const stageThrottle = { rateLimit: 50, burstLimit: 100 } as const;

/**
 * Each public write route: 10 requests a second steady, 20 at once. Real traffic is far below: a round
 * takes one application per municipality, and webinar invitations are mailed paced (10 a second by
 * default, schemas/api/webinars.ts) and opened over minutes and hours, so registrations arrive spread out. A caller over the limit gets 429.
 * A flood of anonymous writes is cut at a fifth of the stage default and cannot spend the
 * Lambda concurrency, table capacity and SES quota that the staff routes share with it.
 */
export const publicWriteThrottle = { rateLimit: 10, burstLimit: 20 } as const;

/**
 * Requests one client IP may make to the distribution in five minutes before WAF answers 429 until
 * its rate falls again. Opening the pages costs a handful of requests (index.html, app.js, config.js,
 * styles); 1000 in five minutes lets a whole municipal office behind one NAT address work while
 * stopping a script that pulls the site in a loop.
 */
export const edgeRateLimit = { limit: 1000, evaluationWindowSec: 300 } as const;

/** Region of every web ACL that CloudFront can use. */
export const edgeRegion = 'us-east-1';

/** Id of the edge stack's output with the web ACL's ARN, which the distribution reads. */
const webAclArnOutput = 'WebAclArn';

/**
 * The web ACL of the pages' distribution: one rate-based rule per client IP. In us-east-1 whatever
 * region the other stacks are in; deployed before the stateful stack (build-app.ts adds the dependency).
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: StackProps) {
    super(scope, id, { ...props, env: { ...props.env, region: edgeRegion } });

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: 'sparraus-edge',
      description: 'sparraus pages on CloudFront - rate limit per client IP',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'sparraus-edge', sampledRequestsEnabled: true },
      customResponseBodies: {
        'too-many-requests': {
          contentType: 'TEXT_PLAIN',
          content: 'Too many requests from your address. Please wait a few minutes and try again.',
        },
      },
      rules: [
        {
          name: 'rate-per-ip',
          priority: 0,
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              limit: edgeRateLimit.limit,
              evaluationWindowSec: edgeRateLimit.evaluationWindowSec,
            },
          },
          action: {
            block: { customResponse: { responseCode: 429, customResponseBodyKey: 'too-many-requests' } },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'sparraus-edge-rate-per-ip',
            sampledRequestsEnabled: true,
          },
        },
      ],
    });

    new CfnOutput(this, webAclArnOutput, {
      value: this.webAcl.attrArn,
      description: "ARN of the web ACL of the pages' CloudFront distribution",
    });
  }

  /**
   * The web ACL's ARN as another stack (in any region) reads it: Fn::GetStackOutput, which CloudFormation
   * resolves across regions itself, so that the other stacks stay environment-agnostic (CDK's own
   * cross-region references need every region known at synthesis) and no custom resource is needed.
   * A weak reference: the consumer must depend on this stack (build-app.ts), and WAF refuses to
   * delete a web ACL while a distribution still names it.
   */
  webAclArn(): string {
    return Fn.getStackOutput(this.stackName, webAclArnOutput, edgeRegion);
  }
}
