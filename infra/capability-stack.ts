// One nested stack per capability (the handler id's prefix before `/`): its functions with their log
// groups and roles, its HTTP routes (on the parent's API), its event rules and schedules, their
// dead-letter queues, and the alarms on its functions and queues. The stateless stack keeps what the
// capabilities share (the API, its stage and authorizer, the SES configuration set, the forwarders
// of AWS service events, the alarm topic). CloudFormation allows 500 resources a stack; one stack
// for everything stood at 431, and each capability now adds its resources to a stack of its own.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, NestedStack, Tags, Validations } from 'aws-cdk-lib';
import {
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  type HttpMethod,
  type IHttpApi,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { emailFailedLogMessage } from '../functions/shared/mailer.js';
import { emailFailureMetric, type AlarmsStack } from './alarms.js';
import { handlerBundling, handlerRuntime } from './bundling.js';
import { handlerTag, ruleName } from './names.js';
import {
  allHandlerIds,
  eventRules,
  handlerEntry,
  httpRoutes,
  needsOf,
  scheduleRules,
  type HandlerId,
  type HttpRoute as HttpRouteEntry,
  type Need,
  type RouteKey,
} from './wiring.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

// How long each kind of trigger may run, and how hard asynchronous triggers retry. A handler named
// under several kinds gets the longest timeout.
const httpTimeout = Duration.seconds(10);
const asyncTimeout = Duration.seconds(30);
/** Event subscribers: a late confirmation email still beats none. */
const eventRetry = {
  rule: { retryAttempts: 8, maxEventAge: Duration.hours(12) },
  lambda: { retryAttempts: 2, maxEventAge: Duration.hours(6) },
};
/** Schedules: the next tick does the same work, so an old tick is worth little. */
const scheduleRetry = {
  rule: { retryAttempts: 2, maxEventAge: Duration.minutes(5) },
  lambda: { retryAttempts: 1, maxEventAge: Duration.minutes(5) },
};

/** What a need of the wiring table grants a function, and the settings only a handler with that need reads. */
export interface NeedAccess {
  readonly grant: (fn: NodejsFunction) => void;
  readonly environment: Record<string, string>;
}

/** What the stateless stack shares with every capability stack. */
export interface CapabilityShared {
  readonly api: IHttpApi;
  readonly jwtAuthorizer: IHttpRouteAuthorizer;
  readonly eventBus: IEventBus;
  readonly alarms: AlarmsStack;
  /** Settings of every function (table name, public URL). */
  readonly environment: Record<string, string>;
  /** A handler's own actions on the table and its index (stateless-stack.ts tableActionsOf). */
  readonly tableGrant: (handlerId: HandlerId) => PolicyStatement;
  readonly access: Record<Need, NeedAccess>;
  /** Settings of the handlers that verify bearer tokens themselves. */
  readonly bearerEnvironment: Record<string, string>;
  readonly verifiesBearer: ReadonlySet<HandlerId>;
  /** Why a public route has no authorizer, for cdk-nag's APIG4. */
  readonly publicRouteReason: (routeKey: RouteKey, route: HttpRouteEntry) => string;
}

export interface CapabilityStackProps {
  readonly capability: string;
  readonly shared: CapabilityShared;
}

/** The capabilities of the wiring table, each once, sorted. */
export function capabilities(): string[] {
  return [...new Set(allHandlerIds().map(capabilityOf))].sort();
}

export function capabilityOf(handlerId: HandlerId): string {
  return handlerId.split('/')[0]!;
}

export class CapabilityStack extends NestedStack {
  readonly capability: string;
  /** The function of each handler id of this capability. */
  readonly functions: ReadonlyMap<HandlerId, NodejsFunction>;

  constructor(scope: Construct, id: string, props: CapabilityStackProps) {
    const { capability, shared } = props;
    super(scope, id, {
      description: `sparraus ${capability}: its functions, HTTP routes, event rules, schedules, dead-letter queues and alarms`,
    });
    this.capability = capability;
    const mine = <T extends { handler: HandlerId }>(entries: Record<string, T>): [string, T][] =>
      Object.entries(entries).filter(([, e]) => capabilityOf(e.handler) === capability);

    const timeouts = handlerTimeouts();
    const functions = new Map<HandlerId, NodejsFunction>();
    for (const handlerId of allHandlerIds().filter((h) => capabilityOf(h) === capability)) {
      const name = constructName(handlerId);
      const logGroup = new LogGroup(this, `${name}Logs`, { retention: RetentionDays.ONE_MONTH });
      if (needsOf(handlerId).includes('send-email')) {
        // Counted by the one emails-failed alarm (alarms.ts forEmailFailures).
        new MetricFilter(this, `${name}EmailsFailed`, {
          logGroup,
          filterPattern: FilterPattern.stringValue('$.message', '=', emailFailedLogMessage),
          metricNamespace: emailFailureMetric.namespace,
          metricName: emailFailureMetric.metricName,
          metricValue: '1',
        });
      }
      // An own role instead of AWSLambdaBasicExecutionRole: the function may write to its own log
      // group only, not to every log group in the account.
      const role = new Role(this, `${name}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `Execution role of ${handlerId}`,
      });
      role.addToPolicy(
        new PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [logGroup.logGroupArn],
        }),
      );
      role.addToPolicy(shared.tableGrant(handlerId));
      const needs = needsOf(handlerId).map((need) => shared.access[need]);

      const fn = new NodejsFunction(this, name, {
        entry: resolve(projectRoot, handlerEntry(handlerId)),
        handler: 'handler',
        projectRoot,
        depsLockFilePath: resolve(projectRoot, 'package-lock.json'),
        description: `${handlerId} (${handlerEntry(handlerId)})`,
        runtime: handlerRuntime,
        architecture: Architecture.ARM_64,
        memorySize: 256,
        timeout: timeouts.get(handlerId),
        role,
        logGroup,
        environment: {
          // The function refers to the API, the API's integrations to the function: no cycle,
          // because the AWS::ApiGatewayV2::Api resource itself names no function.
          ...shared.environment,
          // A handler that publishes or mails without declaring the need fails on the missing
          // setting (functions/shared/config.ts) before it could fail on the missing permission.
          ...Object.fromEntries(needs.flatMap((n) => Object.entries(n.environment))),
          ...(shared.verifiesBearer.has(handlerId) ? shared.bearerEnvironment : {}),
        },
        bundling: handlerBundling,
      });
      for (const need of needs) need.grant(fn);
      Tags.of(fn).add(handlerTag, handlerId);
      shared.alarms.forFunction(this, name, handlerId, fn);
      functions.set(handlerId, fn);
    }
    this.functions = functions;
    const fnOf = (handlerId: HandlerId): NodejsFunction => {
      const fn = functions.get(handlerId);
      if (!fn) throw new Error(`No function for handler ${handlerId} in the ${capability} stack`);
      return fn;
    };

    // --- HTTP routes ---------------------------------------------------------------------------
    // On the stateless stack's API; the JWT authorizer is created there (with the first route that
    // binds it) and shared by every capability. Integration and invoke permission live here.
    const integrations = new Map<HandlerId, HttpLambdaIntegration>();
    for (const [routeKey, route] of mine(httpRoutes as Record<RouteKey, HttpRouteEntry>) as [RouteKey, HttpRouteEntry][]) {
      const [method, path] = routeKey.split(' ') as [HttpMethod, string];
      let integration = integrations.get(route.handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${constructName(route.handler)}Integration`, fnOf(route.handler));
        integrations.set(route.handler, integration);
      }
      const isPublic = route.role === 'public';
      const httpRoute = new HttpRoute(this, `Route${constructName(routeKey)}`, {
        httpApi: shared.api,
        routeKey: HttpRouteKey.with(path, method),
        integration,
        authorizer: isPublic ? new HttpNoneAuthorizer() : shared.jwtAuthorizer,
      });
      if (isPublic) {
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: shared.publicRouteReason(routeKey, route) });
      }
    }

    // --- Events and schedules ------------------------------------------------------------------
    const deadLetters = new Map<HandlerId, Queue>();
    const deadLettersOf = (handlerId: HandlerId, retry: typeof eventRetry): Queue => {
      let queue = deadLetters.get(handlerId);
      if (queue) return queue;
      const queueName = `${constructName(handlerId)}DeadLetters`;
      queue = newDeadLetterQueue(this, queueName, `${handlerId} (its EventBridge targets and its asynchronous invocations)`);
      shared.alarms.forDeadLetters(
        this,
        queueName,
        queue,
        `${handlerId} (its EventBridge targets and its asynchronous invocations)`,
      );
      // EventBridge's DLQ only catches events it could not hand to Lambda; errors thrown by the
      // handler are retried by Lambda's async invoke and then need this destination to be kept.
      fnOf(handlerId).configureAsyncInvoke({ ...retry.lambda, onFailure: new SqsDestination(queue) });
      deadLetters.set(handlerId, queue);
      return queue;
    };

    for (const [key, entry] of mine(eventRules as Record<string, (typeof eventRules)[keyof typeof eventRules]>)) {
      new Rule(this, `EventRule${key}`, {
        ruleName: ruleName(key),
        description: `eventRules.${key} -> ${entry.handler}`,
        eventBus: shared.eventBus,
        eventPattern: { source: [...entry.pattern.source], detailType: [...entry.pattern['detail-type']] },
        targets: [
          new LambdaFunction(fnOf(entry.handler), {
            deadLetterQueue: deadLettersOf(entry.handler, eventRetry),
            ...eventRetry.rule,
          }),
        ],
      });
    }
    for (const [key, entry] of mine(scheduleRules as Record<string, (typeof scheduleRules)[keyof typeof scheduleRules]>)) {
      new Rule(this, `ScheduleRule${key}`, {
        ruleName: ruleName(key),
        description: `scheduleRules.${key} -> ${entry.handler}`,
        schedule: Schedule.expression(entry.expression),
        targets: [
          new LambdaFunction(fnOf(entry.handler), {
            deadLetterQueue: deadLettersOf(entry.handler, scheduleRetry),
            ...scheduleRetry.rule,
          }),
        ],
      });
    }
  }
}

/** A dead-letter queue; `of` says whose failures end in it. The caller adds its alarm. */
export function newDeadLetterQueue(scope: Construct, id: string, of: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      `This queue is itself the dead-letter queue of ${of}: failed deliveries end here; ` +
      'a dead-letter queue behind it would only move the same messages.',
  });
  return queue;
}

/** `intake/create-round` -> `IntakeCreateRound`, a construct id that stays readable in the console. */
export function constructName(handlerId: string): string {
  return handlerId
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function handlerTimeouts(): Map<HandlerId, Duration> {
  const timeouts = new Map<HandlerId, Duration>();
  const raise = (handlerId: HandlerId, timeout: Duration) => {
    const current = timeouts.get(handlerId);
    if (!current || current.toSeconds() < timeout.toSeconds()) timeouts.set(handlerId, timeout);
  };
  for (const route of Object.values(httpRoutes)) raise(route.handler, httpTimeout);
  for (const rule of Object.values(eventRules)) raise(rule.handler, asyncTimeout);
  for (const rule of Object.values(scheduleRules)) raise(rule.handler, asyncTimeout);
  return timeouts;
}
