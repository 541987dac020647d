// Rate limits at the edge (issue 12, finding 10): the public write routes have their own, lower stage
// throttle; the pages' distribution sits behind a us-east-1 WAF web ACL with a rate rule per client IP.
import type { NestedStack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { edgeRateLimit, edgeRegion, publicWriteRoutes, publicWriteThrottle, stageThrottle } from '../../infra/edge.js';
import { httpRoutes, type HttpRoute } from '../../infra/wiring.js';
import { ofType, sorted, synthesize } from './template.js';

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
