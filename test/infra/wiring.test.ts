// The wiring table equals the template, both ways: every route, rule, schedule and function in infra/wiring.ts exists, and nothing else does (besides the forwarders of AWS service events that its entries need).
import { describe, expect, it } from 'vitest';
import { rulePrefix } from '../../infra/names.js';
import { forwardRuleName, ruleName } from '../../infra/stateless-stack.js';
import { allHandlerIds, eventRules, handlerEntry, httpRoutes, scheduleRules } from '../../infra/wiring.js';
import { ofType, referencedId, sorted, synthesize } from './template.js';

const { stateful, resources, handlerOfFunction, imported } = synthesize();

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
      imported(stateful.resources.userPoolClient.userPoolClientId),
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
  const busName = imported(stateful.resources.eventBus.eventBusName);
  const busArn = imported(stateful.resources.eventBus.eventBusArn);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // Three kinds, told apart by bus and trigger. The table's event rules are on the sparraus bus; its
  // schedules are on the default bus (no EventBusName); and the rules that forward AWS service
  // events, which AWS puts on the default bus only, are on it by name. Forwarders are no wiring
  // entries: they only carry events of an entry's pattern to the sparraus bus, where that entry's
  // own rule delivers them.
  const onOurBus = rules.filter((r) => same(r.EventBusName, busName));
  const schedules = rules.filter((r) => r.EventBusName === undefined);
  const forwarders = rules.filter((r) => r.EventBusName === 'default');
  /** The eventRules entries on AWS service events, which need a forwarder. */
  const awsEntries = Object.entries(eventRules).filter(([, e]) => e.pattern.source.every((s) => s.startsWith('aws.')));

  it('every rule is an event rule on the sparraus bus, a schedule, or a forwarder on the default bus', () => {
    expect(onOurBus.length + schedules.length + forwarders.length).toBe(rules.length);
    for (const rule of onOurBus)
      expect({ rule: rule.Name, event: rule.EventPattern !== undefined, schedule: rule.ScheduleExpression }).toEqual({
        rule: rule.Name,
        event: true,
        schedule: undefined,
      });
    for (const rule of schedules)
      expect({ rule: rule.Name, event: rule.EventPattern, schedule: typeof rule.ScheduleExpression }).toEqual({
        rule: rule.Name,
        event: undefined,
        schedule: 'string',
      });
    for (const rule of forwarders)
      expect({ rule: rule.Name, event: rule.EventPattern !== undefined, schedule: rule.ScheduleExpression }).toEqual({
        rule: rule.Name,
        event: true,
        schedule: undefined,
      });
  });

  it('event rules on the sparraus bus are exactly eventRules: name, pattern and target function', () => {
    const actual = Object.fromEntries(
      onOurBus.map((r) => [r.Name, { pattern: r.EventPattern, handlers: r.Targets.map((t: any) => handlerOfArn(t.Arn)) }]),
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
      schedules.map((r) => [
        r.Name,
        { expression: r.ScheduleExpression, handlers: r.Targets.map((t: any) => handlerOfArn(t.Arn)) },
      ]),
    );
    const expected = Object.fromEntries(
      Object.entries(scheduleRules).map(([key, s]) => [ruleName(key), { expression: s.expression, handlers: [s.handler] }]),
    );
    expect(actual).toEqual(expected);
  });

  it("forwarders are exactly one per eventRules entry on AWS events, with that entry's source and detail-type, to the sparraus bus", () => {
    // Not vacuous: SES bounces and complaints come this way.
    expect(awsEntries.map(([key]) => key)).toContain('SuppressBouncedAddresses');
    const actual = Object.fromEntries(
      forwarders.map((r) => [
        r.Name,
        {
          source: r.EventPattern.source,
          'detail-type': r.EventPattern['detail-type'],
          targets: r.Targets.map((t: any) => t.Arn),
        },
      ]),
    );
    const expected = Object.fromEntries(
      awsEntries.map(([key, e]) => [
        forwardRuleName(key),
        { source: e.pattern.source, 'detail-type': e.pattern['detail-type'], targets: [busArn] },
      ]),
    );
    expect(actual).toEqual(expected);
  });

  it("forwards SES events only of mail sent through this stack's configuration set", () => {
    const [configurationSetId] = ofType(resources, 'AWS::SES::ConfigurationSet')[0]!;
    const forwarder = forwarders.find((r) => r.Name === forwardRuleName('SuppressBouncedAddresses'))!;
    expect(forwarder.EventPattern).toEqual({
      ...eventRules.SuppressBouncedAddresses.pattern,
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: configurationSetId }] } } },
    });
  });

  it('every target has a dead-letter queue and a retry policy, and its function sends failures there too', () => {
    expect(rules.length).toBe(Object.keys(eventRules).length + Object.keys(scheduleRules).length + awsEntries.length);
    const invokeConfigs = ofType(resources, 'AWS::Lambda::EventInvokeConfig').map(([, c]) => c.Properties!);
    for (const rule of [...onOurBus, ...schedules]) {
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

  it('names every rule sparraus-… and every queue but the outbox pipe\'s after a rule target, which is how npm run dlq:aws finds the queues', () => {
    for (const rule of rules) expect(rule.Name).toMatch(new RegExp(`^${rulePrefix}`));
    const named = new Set(rules.flatMap((r) => r.Targets.map((t: any) => referencedId(t.DeadLetterConfig?.Arn, 'Arn'))));
    // The pipe's dead letters name stream batches, not events: they are re-read from the stream.
    const pipeQueue = ofType(resources, 'AWS::Pipes::Pipe').map(([, p]) =>
      referencedId(p.Properties!.SourceParameters.DynamoDBStreamParameters.DeadLetterConfig.Arn, 'Arn'),
    );
    expect(pipeQueue).toHaveLength(1);
    expect(sorted(ofType(resources, 'AWS::SQS::Queue').map(([id]) => id))).toEqual(sorted([...named, ...pipeQueue].map(String)));
  });

  it('every forwarder target has a dead-letter queue of its own and a role that may put events on the sparraus bus only', () => {
    const queues = new Set<string>();
    for (const rule of forwarders) {
      for (const target of rule.Targets) {
        // Bus targets take no RetryPolicy: EventBridge retries them for 24 hours, then dead-letters.
        const queueId = referencedId(target.DeadLetterConfig?.Arn, 'Arn');
        expect(queueId, `${rule.Name} has no DeadLetterConfig`).toBeDefined();
        expect(resources[queueId!]!.Type).toBe('AWS::SQS::Queue');
        queues.add(queueId!);

        const roleId = referencedId(target.RoleArn, 'Arn')!;
        const role = resources[roleId]!;
        expect(role.Properties!.AssumeRolePolicyDocument.Statement).toEqual([
          expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }),
        ]);
        const statements = ofType(resources, 'AWS::IAM::Policy')
          .filter(([, p]) => (p.Properties!.Roles as unknown[]).some((r) => referencedId(r) === roleId))
          .flatMap(([, p]) => p.Properties!.PolicyDocument.Statement);
        expect(statements).toEqual([{ Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
      }
    }
    // Not shared with any handler: its dead letters are events the sparraus bus never saw.
    const handlerQueues = [...onOurBus, ...schedules].flatMap((r) =>
      r.Targets.map((t: any) => referencedId(t.DeadLetterConfig?.Arn, 'Arn')),
    );
    expect([...queues].filter((q) => handlerQueues.includes(q))).toEqual([]);
  });
});
