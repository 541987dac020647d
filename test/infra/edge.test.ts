// Rate limits at the edge (issue 12, finding 10): the public write routes have their own, lower stage
// throttle; the pages' distribution, which also serves the API, sits behind a us-east-1 WAF web ACL
// with a rate rule per client IP.
import type { NestedStack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { edgeRateLimit, edgeRegion, publicWriteRoutes, publicWriteThrottle, stageThrottle } from '../../infra/edge.js';
import { apiPathPatterns, appBasePath } from '../../infra/site.js';
import { httpRoutes, type HttpRoute } from '../../infra/wiring.js';
import { ofType, referencedId, sorted, synthesize } from './template.js';

const { app, edge, stateful, statefulTemplate, resources, stacks, stateless } = synthesize();
const edgeTemplate = Template.fromStack(edge);
const [[stageId, stage]] = ofType(resources, 'AWS::ApiGatewayV2::Stage') as [[string, (typeof resources)[string]]];
const routeKeys = ofType(resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!.RouteKey as string);

describe('HTTP API throttles', () => {
  it('keeps the stage default for every route, below which the public write routes have their own', () => {
    expect(stage.Properties!.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: stageThrottle.rateLimit,
      ThrottlingBurstLimit: stageThrottle.burstLimit,
    });
    expect(publicWriteThrottle.rateLimit).toBeLessThan(stageThrottle.rateLimit);
    expect(publicWriteThrottle.burstLimit).toBeLessThan(stageThrottle.burstLimit);
    const settings = stage.Properties!.RouteSettings as Record<string, unknown>;
    expect(sorted(Object.keys(settings))).toEqual(sorted(publicWriteRoutes));
    for (const routeKey of publicWriteRoutes) {
      expect(settings[routeKey], routeKey).toEqual({
        ThrottlingRateLimit: publicWriteThrottle.rateLimit,
        ThrottlingBurstLimit: publicWriteThrottle.burstLimit,
      });
    }
  });

  it('throttles apply and register separately, and leaves staff routes on the stage default', () => {
    const settings = stage.Properties!.RouteSettings as Record<string, unknown>;
    expect(Object.keys(settings)).toEqual(
      expect.arrayContaining(['POST /rounds/{roundId}/applications', 'POST /webinars/{webinarId}/registrations']),
    );
    const staffRoutes = (Object.entries(httpRoutes) as [string, HttpRoute][]).filter(([, r]) => r.role !== 'public');
    expect(staffRoutes.length).toBeGreaterThan(0);
    for (const [routeKey] of staffRoutes) expect(settings, routeKey).not.toHaveProperty([routeKey]);
  });

  it('names only public routes of the API, and waits for the stacks that create them', () => {
    for (const routeKey of publicWriteRoutes) {
      expect(routeKeys, routeKey).toContain(routeKey);
      expect((httpRoutes[routeKey] as HttpRoute).role).toBe('public');
    }
    // The stage is in the stateless stack, the routes in capability stacks: it depends on those.
    const raw = stacks.get(stateless.node.path)!.template.Resources[stageId] as { DependsOn?: string[] };
    const nestedOfRoute = (routeKey: string) =>
      [...stacks.values()].find(({ template }) =>
        ofType(template.Resources, 'AWS::ApiGatewayV2::Route').some(([, r]) => r.Properties!.RouteKey === routeKey),
      )!.stack as NestedStack;
    for (const routeKey of publicWriteRoutes) {
      const nested = nestedOfRoute(routeKey);
      expect(raw.DependsOn, routeKey).toContain(stateless.getLogicalId(nested.nestedStackResource!));
    }
  });

  it('lists every public write that needs no mailed token (a new one fails here until it is listed)', () => {
    // Public routes about one application or registration answer only to the token mailed to that person.
    const anonymousWrites = (Object.entries(httpRoutes) as [string, HttpRoute][])
      .filter(([key, r]) => r.role === 'public' && !key.startsWith('GET ') && !/\{(applicationId|registrationId)\}/.test(key))
      .map(([key]) => key);
    expect(sorted(publicWriteRoutes)).toEqual(sorted(anonymousWrites));
  });
});

describe('AWS WAF in front of the pages', () => {
  it('is a CLOUDFRONT web ACL in us-east-1 that allows by default and blocks an IP over the rate with 429', () => {
    expect(edge.region).toBe(edgeRegion);
    expect(edgeRegion).toBe('us-east-1');
    edgeTemplate.resourceCountIs('AWS::WAFv2::WebACL', 1);
    edgeTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: edgeRateLimit.limit,
              EvaluationWindowSec: edgeRateLimit.evaluationWindowSec,
            },
          },
          Action: { Block: { CustomResponse: Match.objectLike({ ResponseCode: 429 }) } },
          VisibilityConfig: Match.objectLike({ CloudWatchMetricsEnabled: true }),
        }),
      ],
    });
    const [webAclId] = ofType(edgeTemplate.toJSON().Resources, 'AWS::WAFv2::WebACL')[0]!;
    edgeTemplate.hasOutput('WebAclArn', { Value: { 'Fn::GetAtt': [webAclId, 'Arn'] } });
  });

  it("is named by the pages' distribution, read across regions from the edge stack, which deploys first", () => {
    const [, distribution] = ofType(statefulTemplate.toJSON().Resources, 'AWS::CloudFront::Distribution')[0]!;
    expect(distribution.Properties!.DistributionConfig.WebACLId).toEqual({
      'Fn::GetStackOutput': { StackName: edge.stackName, OutputName: 'WebAclArn', Region: 'us-east-1' },
    });
    expect(stateful.dependencies).toContain(edge);
    // The other stacks stay environment-agnostic (no CDK cross-region reference, no custom resource).
    const crossRegion = Object.entries(statefulTemplate.toJSON().Resources as Record<string, { Type: string }>).filter(
      ([id, r]) => /ExportsReader|CrossRegion/.test(id + r.Type),
    );
    expect(crossRegion).toEqual([]);
  });

  it('leaves cdk-nag and CDK nothing to report on the edge stack', () => {
    const found = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => r.constructPath))
      .filter((path) => path?.startsWith(`${edge.node.path}/`));
    expect(found).toEqual([]);
    expect(Annotations.fromStack(edge).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(edge).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe("the API behind the pages' CloudFront distribution, under the same web ACL", () => {
  const statefulResources = statefulTemplate.toJSON().Resources as Record<string, { Type: string; Properties?: any }>;
  const [, distribution] = ofType(statefulResources, 'AWS::CloudFront::Distribution')[0]!;
  const config = distribution.Properties!.DistributionConfig;
  const [apiId] = ofType(statefulResources, 'AWS::ApiGatewayV2::Api')[0]!;
  const apiOrigin = config.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
  const behaviours = config.CacheBehaviors as Record<string, any>[];
  // CloudFront's managed policies (aws-cdk-lib CachePolicy.CACHING_DISABLED, OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER).
  const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
  const allViewerExceptHost = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
  /** CloudFront's path pattern match: `*` any characters, `?` one, case-sensitive, from the start. */
  const matches = (pattern: string, path: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(path);
  const routePaths = Object.keys(httpRoutes).map((key) => key.split(' ')[1]!.replace(/\{\w+\}/g, 'x-1'));

  it('has the HTTP API as an origin: its execute-api host, HTTPS and TLS 1.2 only', () => {
    expect(apiOrigin.DomainName).toEqual({
      'Fn::Join': ['', [{ Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
    });
    expect(apiOrigin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    expect(apiOrigin.OriginPath ?? '').toBe('');
  });

  it('sends every path of the wiring table to the API, and none of the pages', () => {
    expect(sorted(behaviours.map((b) => b.PathPattern))).toEqual(sorted(apiPathPatterns()));
    for (const behaviour of behaviours) expect(behaviour.TargetOriginId, behaviour.PathPattern).toBe(apiOrigin.Id);
    const toApi = (path: string) => behaviours.some((b) => matches(b.PathPattern, path));
    expect(routePaths.filter((path) => !toApi(path))).toEqual([]);
    // The pages (and what the viewer function redirects) stay with the default behaviour, the bucket.
    const pages = [
      '/',
      '/app',
      appBasePath,
      `${appBasePath}index.html`,
      `${appBasePath}app.js`,
      `${appBasePath}config.js`,
      `${appBasePath}applications/x-1`,
      `${appBasePath}rounds/x-1/apply`,
      `${appBasePath}signin`,
      `${appBasePath}coordinator/tutors`,
    ];
    expect(pages.filter(toApi)).toEqual([]);
  });

  it('never lets an API path take the pages: a first segment that begins /app/ is refused', () => {
    expect(() => apiPathPatterns(['GET /a/{id}'])).toThrow(/pages/);
    expect(() => apiPathPatterns(['GET /app'])).toThrow(/pages/);
    expect(() => apiPathPatterns(['GET /'])).toThrow(/pages/);
    expect(apiPathPatterns(['GET /applications/{id}', 'POST /applications/{id}/offer', 'GET /rounds'])).toEqual([
      '/applications*',
      '/rounds*',
    ]);
  });

  it('caches nothing of the API, takes every method, and forwards all viewer headers but Host (Authorization) and the query string', () => {
    for (const behaviour of behaviours) {
      expect(behaviour, behaviour.PathPattern).toMatchObject({
        CachePolicyId: cachingDisabled,
        OriginRequestPolicyId: allViewerExceptHost,
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        ViewerProtocolPolicy: 'https-only',
      });
      // No legacy cache settings beside the policies (they would set TTLs and forwarding of their own).
      expect(behaviour.ForwardedValues, behaviour.PathPattern).toBeUndefined();
      expect(behaviour.DefaultTTL, behaviour.PathPattern).toBeUndefined();
    }
  });

  it("keeps the site's security headers on the API's answers", () => {
    for (const behaviour of behaviours) {
      expect(behaviour.ResponseHeadersPolicyId, behaviour.PathPattern).toEqual(
        config.DefaultCacheBehavior.ResponseHeadersPolicyId,
      );
    }
    expect(referencedId(config.DefaultCacheBehavior.ResponseHeadersPolicyId)).toBeDefined();
  });

  it('is one distribution, named by the web ACL with its rate rule, so the rate limit counts pages and API together', () => {
    expect(ofType(statefulResources, 'AWS::CloudFront::Distribution')).toHaveLength(1);
    expect(config.WebACLId).toEqual({
      'Fn::GetStackOutput': { StackName: edge.stackName, OutputName: 'WebAclArn', Region: edgeRegion },
    });
    edgeTemplate.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ AggregateKeyType: 'IP' }) } }),
      ]),
    });
  });
});
