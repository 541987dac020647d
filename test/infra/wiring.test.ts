// The wiring table equals the template, both ways: every route, rule, schedule and function in infra/wiring.ts exists, and nothing else does.
import { describe, expect, it } from 'vitest';
import { ruleName } from '../../infra/stateless-stack.js';
import {
  allHandlerIds,
  eventRules,
  handlerEntry,
  httpRoutes,
  scheduleRules,
} from '../../infra/wiring.js';
import { ofType, referencedId, sorted, synthesize } from './template.js';

const { stateful, stateless, resources, handlerOfFunction } = synthesize();

/** The handler behind `{ 'Fn::GetAtt': [functionId, 'Arn'] }`. */
function handlerOfArn(arn: unknown): string | undefined {
  const id = referencedId(arn, 'Arn');
  return id === undefined ? undefined : handlerOfFunction.get(id);
}

const routes = ofType(resources, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);
const rules = ofType(resources, 'AWS::Events::Rule').map(([, r]) => r.Properties as Record<string, any>);

describe('HTTP routes', () => {
  it('are exactly the keys of httpRoutes', () => {
    const routeKeys = routes.map((r) => r.RouteKey as string);
    expect(sorted(routeKeys)).toEqual(sorted(Object.keys(httpRoutes)));
    expect(new Set(routeKeys).size).toBe(routeKeys.length);
  });

  it("each integrates its own handler's function", () => {
    const handlerOfRoute = Object.fromEntries(
      routes.map((route) => {
        // Target is `integrations/<IntegrationId>`.
        const [, parts] = route.Target['Fn::Join'] as [string, unknown[]];
        const integration = resources[referencedId(parts[1])!]!;
        expect(integration.Properties!.IntegrationType).toBe('AWS_PROXY');
        return [route.RouteKey, handlerOfArn(integration.Properties!.IntegrationUri)];
      }),
    );
    const expected = Object.fromEntries(Object.entries(httpRoutes).map(([key, r]) => [key, r.handler]));
    expect(handlerOfRoute).toEqual(expected);
  });

  it('need a JWT from the Cognito user pool exactly when the role is not public', () => {
    const authorizers = ofType(resources, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties!.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties!.JwtConfiguration.Audience).toEqual([
      stateless.resolve(stateful.resources.userPoolClient.userPoolClientId),
    ]);
    expect(JSON.stringify(authorizer.Properties!.JwtConfiguration.Issuer)).toContain('https://cognito-idp.');

    for (const route of routes) {
      const role = httpRoutes[route.RouteKey as keyof typeof httpRoutes].role;
      if (role === 'public') {
        expect({ key: route.RouteKey, type: route.AuthorizationType ?? 'NONE', id: route.AuthorizerId }).toEqual({
          key: route.RouteKey,
          type: 'NONE',
          id: undefined,
        });
      } else {
        expect({ key: route.RouteKey, type: route.AuthorizationType, id: route.AuthorizerId }).toEqual({
          key: route.RouteKey,
          type: 'JWT',
          id: { Ref: authorizerId },
        });
      }
    }
  });
});

describe('Lambda functions', () => {
  it('are one per handler id of the wiring table', () => {
    const handlers = [...handlerOfFunction.values()];
    expect(sorted(handlers)).toEqual(sorted(allHandlerIds()));
    expect(new Set(handlers).size).toBe(handlers.length);
  });

  it("each is built from its handler's entry file", () => {
    for (const [logicalId, handlerId] of handlerOfFunction) {
      const props = resources[logicalId]!.Properties!;
      expect(props.Description).toBe(`${handlerId} (${handlerEntry(handlerId as never)})`);
      expect(props.Handler).toBe('index.handler');
    }
  });
});

describe('EventBridge rules', () => {
  const busName = stateless.resolve(stateful.resources.eventBus.eventBusName);

  it('every rule is either an event rule on the sparraus bus or a schedule on the default bus', () => {
    for (const rule of rules) {
      const isEvent = rule.EventPattern !== undefined;
      const isSchedule = rule.ScheduleExpression !== undefined;
      expect({ rule: rule.Name, isEvent, isSchedule }).toEqual({ rule: rule.Name, isEvent: !isSchedule, isSchedule: !isEvent });
      if (isEvent) expect(rule.EventBusName).toEqual(busName);
      else expect(rule.EventBusName).toBeUndefined();
    }
  });

  it('event rules are exactly eventRules: name, pattern and target function', () => {
    const actual = Object.fromEntries(
      rules
        .filter((r) => r.EventPattern !== undefined)
        .map((r) => [r.Name, { pattern: r.EventPattern, handlers: r.Targets.map((t: any) => handlerOfArn(t.Arn)) }]),
    );
    const expected = Object.fromEntries(
      Object.entries(eventRules).map(([key, e]) => [
        ruleName(key),
        { pattern: { source: e.pattern.source, 'detail-type': e.pattern['detail-type'] }, handlers: [e.handler] },
      ]),
    );
    expect(actual).toEqual(expected);
  });

  it('schedule rules are exactly scheduleRules: name, expression and target function', () => {
    const actual = Object.fromEntries(
      rules
        .filter((r) => r.ScheduleExpression !== undefined)
        .map((r) => [r.Name, { expression: r.ScheduleExpression, handlers: r.Targets.map((t: any) => handlerOfArn(t.Arn)) }]),
    );
    const expected = Object.fromEntries(
      Object.entries(scheduleRules).map(([key, s]) => [ruleName(key), { expression: s.expression, handlers: [s.handler] }]),
    );
    expect(actual).toEqual(expected);
  });

  it('every target has a dead-letter queue and a retry policy, and its function sends failures there too', () => {
    expect(rules.length).toBe(Object.keys(eventRules).length + Object.keys(scheduleRules).length);
    const invokeConfigs = ofType(resources, 'AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties!);
    for (const rule of rules) {
      for (const target of rule.Targets) {
        const queueId = referencedId(target.DeadLetterConfig?.Arn, 'Arn');
        expect(queueId, `${rule.Name} has no DeadLetterConfig`).toBeDefined();
        expect(resources[queueId!]!.Type).toBe('AWS::SQS::Queue');
        expect(target.RetryPolicy).toEqual({
          MaximumRetryAttempts: expect.any(Number),
          MaximumEventAgeInSeconds: expect.any(Number),
        });

        const functionId = referencedId(target.Arn, 'Arn');
        const config = invokeConfigs.find((c) => referencedId(c.FunctionName) === functionId);
        expect(referencedId(config?.DestinationConfig?.OnFailure?.Destination, 'Arn')).toBe(queueId);
      }
    }
  });
});
