// Stateless stack: one Lambda function per handler, the HTTP API, event rules and schedules, their dead-letter queues and alarms, all built from the wiring table.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, CfnParameter, Duration, Fn, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CorsHttpMethod, HttpApi, HttpMethod, HttpNoneAuthorizer, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { EventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget, LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { envNames } from '../functions/shared/config.js';
import { AlarmsStack } from './alarms.js';
import { handlerBundling, handlerRuntime } from './bundling.js';
import { eventBusName, forwardRuleName, handlerTag, ruleName } from './names.js';
import type { StatefulResources } from './stateful-stack.js';
import { tableKeys } from './table-definition.js';
import {
  allHandlerIds,
  eventRules,
  handlerEntry,
  httpRoutes,
  needsOf,
  scheduleRules,
  type EventRule,
  type HandlerId,
  type HttpRoute,
  type Need,
  type RouteKey,
} from './wiring.js';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export { forwardRuleName, handlerTag, ruleName };

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

// grantReadWriteData's data actions without the stream ones (no stream exists), scoped below to the
// table and the one index that tableKeys defines instead of `index/*`.
export const tableDataActions = [
  'dynamodb:BatchGetItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
];

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulResources;
}

export class StatelessStack extends Stack {
  /** The function of each handler id. */
  readonly functions: ReadonlyMap<HandlerId, NodejsFunction>;
  readonly api: HttpApi;
  /** Nested stack with the alarm topic and every alarm. */
  readonly alarms: AlarmsStack;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, eventBus, userPool, userPoolClient } = props.stateful;

    const senderEmail = new CfnParameter(this, 'SenderEmail', {
      type: 'String',
      default: 'no-reply@example.org',
      allowedPattern: '^[^@\\s]+@[^@\\s]+$',
      description: 'From address of every email. It, or its domain, must be a verified SES identity.',
    });
    const configurationSetName = new CfnParameter(this, 'SesConfigurationSetName', {
      type: 'String',
      default: 'sparraus',
      allowedPattern: '^[a-zA-Z0-9_-]{1,64}$',
      description: 'Name of the SES configuration set this stack creates and every email is sent through.',
    });
    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      type: 'String',
      default: '',
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+$',
      description:
        'Address the CloudWatch alarms (dead letters, function errors and throttles) are mailed to; empty for none. ' +
        'SNS first mails it a link to confirm the subscription.',
    });
    const alarms = new AlarmsStack(this, 'Alarms', { alarmEmail: alarmEmail.valueAsString });
    this.alarms = alarms;

    // Mails carry personal data and secret status links, so they only leave over TLS.
    const configurationSet = new ConfigurationSet(this, 'SesConfigurationSet', {
      configurationSetName: configurationSetName.valueAsString,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // SES authorizes SendEmail against whichever identity verifies the From address: the address
    // itself or its domain. Both are named exactly; nothing else may be sent from.
    const senderDomain = Fn.select(1, Fn.split('@', senderEmail.valueAsString));
    const sendEmail = new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: senderEmail.valueAsString }),
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: senderDomain }),
        this.formatArn({
          service: 'ses',
          resource: 'configuration-set',
          resourceName: configurationSet.configurationSetName,
        }),
      ],
    });
    const tableData = new PolicyStatement({
      actions: tableDataActions,
      resources: [table.tableArn, `${table.tableArn}/index/${tableKeys.gsi1.indexName}`],
    });
    // What each need of the wiring table grants, and the settings that only a handler with that need
    // reads. Every handler gets its log group and the table; nothing else is granted.
    const access: Record<Need, { grant: (fn: NodejsFunction) => void; environment: Record<string, string> }> = {
      'publish-events': {
        grant: (fn) => eventBus.grantPutEventsTo(fn),
        environment: { [envNames.eventBusName]: eventBus.eventBusName },
      },
      'send-email': {
        grant: (fn) => fn.addToRolePolicy(sendEmail),
        environment: {
          [envNames.emailFrom]: senderEmail.valueAsString,
          [envNames.sesConfigurationSet]: configurationSet.configurationSetName,
        },
      },
    };

    // Bearer tokens are id tokens of the user pool, issued for its web client. The HTTP API's JWT
    // authorizer checks them on role routes; on public routes that also take a bearer token
    // (`acceptsBearer`), the handler checks them itself (functions/shared/bearer.ts) against the same
    // issuer and audience, fetching the pool's public keys from `<issuer>/.well-known/jwks.json`.
    // That is a public HTTPS endpoint: no IAM grant, only internet egress (the functions have no VPC).
    const jwtIssuer = `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`;
    const jwtAudience = userPoolClient.userPoolClientId;
    const bearerEnvironment = { [envNames.jwtIssuer]: jwtIssuer, [envNames.jwtAudience]: jwtAudience };
    const verifiesBearer = handlersVerifyingBearer();

    const api = new HttpApi(this, 'HttpApi', {
      apiName: 'sparraus',
      description: 'sparraus HTTP API (routes from infra/wiring.ts)',
      // The $default stage is added below: only addStage takes access-log and throttle settings.
      createDefaultStage: false,
      corsPreflight: {
        // Auth is a bearer token, never a cookie, so another origin gains nothing a script could not.
        allowOrigins: ['*'],
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PATCH,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: ['Content-Type', 'Authorization', 'Accept'],
        maxAge: Duration.days(1),
      },
    });
    this.api = api;

    const timeouts = handlerTimeouts();
    const functions = new Map<HandlerId, NodejsFunction>();
    for (const handlerId of allHandlerIds()) {
      const name = constructName(handlerId);
      const logGroup = new LogGroup(this, `${name}Logs`, { retention: RetentionDays.ONE_MONTH });
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
      role.addToPolicy(tableData);
      const needs = needsOf(handlerId).map((need) => access[need]);

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
          [envNames.tableName]: table.tableName,
          // The function refers to the API, the API's integrations to the function: no cycle,
          // because the AWS::ApiGatewayV2::Api resource itself names no function.
          [envNames.publicUrl]: api.apiEndpoint,
          // A handler that publishes or mails without declaring the need fails on the missing
          // setting (functions/shared/config.ts) before it could fail on the missing permission.
          ...Object.fromEntries(needs.flatMap((n) => Object.entries(n.environment))),
          ...(verifiesBearer.has(handlerId) ? bearerEnvironment : {}),
        },
        bundling: handlerBundling,
      });
      for (const need of needs) need.grant(fn);
      Tags.of(fn).add(handlerTag, handlerId);
      alarms.forFunction(name, handlerId, fn);
      functions.set(handlerId, fn);
    }
    this.functions = functions;
    const fnOf = (handlerId: HandlerId): NodejsFunction => {
      const fn = functions.get(handlerId);
      if (!fn) throw new Error(`No function for handler ${handlerId}`);
      return fn;
    };

    // --- HTTP API ------------------------------------------------------------------------------
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: RetentionDays.THREE_MONTHS });
    api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // No IP address or user agent: the log is for operations, not for tracking people.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integration.latency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    // The authorizer only proves the token (signature, expiry, audience); each handler checks the
    // role against the token's cognito:groups claim.
    const jwtAuthorizer = new HttpJwtAuthorizer('CognitoJwt', jwtIssuer, {
      jwtAudience: [jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });
    const integrations = new Map<HandlerId, HttpLambdaIntegration>();
    for (const [routeKey, route] of Object.entries(httpRoutes) as [RouteKey, (typeof httpRoutes)[RouteKey]][]) {
      const [method, path] = routeKey.split(' ') as [HttpMethod, string];
      let integration = integrations.get(route.handler);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${constructName(route.handler)}Integration`, fnOf(route.handler));
        integrations.set(route.handler, integration);
      }
      const isPublic = route.role === 'public';
      const [httpRoute] = api.addRoutes({
        path,
        methods: [method],
        integration,
        authorizer: isPublic ? new HttpNoneAuthorizer() : jwtAuthorizer,
      });
      if (isPublic && httpRoute) {
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(routeKey, route) });
      }
    }

    // --- Events and schedules ------------------------------------------------------------------
    /** A dead-letter queue with its alarm; `of` says whose failures end in it. */
    const newDeadLetterQueue = (id: string, of: string): Queue => {
      const queue = new Queue(this, id, {
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
      alarms.forDeadLetters(id, queue, of);
      return queue;
    };
    const deadLetters = new Map<HandlerId, Queue>();
    const deadLettersOf = (handlerId: HandlerId, retry: typeof eventRetry): Queue => {
      let queue = deadLetters.get(handlerId);
      if (queue) return queue;
      queue = newDeadLetterQueue(
        `${constructName(handlerId)}DeadLetters`,
        `${handlerId} (its EventBridge targets and its asynchronous invocations)`,
      );
      // EventBridge's DLQ only catches events it could not hand to Lambda; errors thrown by the
      // handler are retried by Lambda's async invoke and then need this destination to be kept.
      fnOf(handlerId).configureAsyncInvoke({ ...retry.lambda, onFailure: new SqsDestination(queue) });
      deadLetters.set(handlerId, queue);
      return queue;
    };

    for (const [key, entry] of Object.entries(eventRules)) {
      new Rule(this, `EventRule${key}`, {
        ruleName: ruleName(key),
        description: `eventRules.${key} -> ${entry.handler}`,
        eventBus,
        eventPattern: { source: [...entry.pattern.source], detailType: [...entry.pattern['detail-type']] },
        targets: [
          new LambdaFunction(fnOf(entry.handler), {
            deadLetterQueue: deadLettersOf(entry.handler, eventRetry),
            ...eventRetry.rule,
          }),
        ],
      });
    }
    // --- AWS service events ----------------------------------------------------------------------
    // AWS services (SES here) put their events on the default bus only. For each eventRules entry on
    // an AWS source, a rule there forwards exactly the events of its pattern to the sparraus bus,
    // where the entry's own rule (above) delivers them like any other event.
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const sesDetailTypes = new Set<string>();
    for (const [key, entry] of Object.entries(eventRules) as [string, EventRule][]) {
      const sources = entry.pattern.source;
      if (!sources.some(isAwsSource)) continue;
      const [source] = sources;
      if (sources.length !== 1 || !source) {
        throw new Error(`eventRules.${key}: a rule on AWS service events names exactly one source, not ${sources.join(', ')}`);
      }
      let detail: Record<string, unknown> | undefined;
      if (source === 'aws.ses') {
        entry.pattern['detail-type'].forEach((t) => sesDetailTypes.add(t));
        // Only mail sent through this stack's configuration set: other senders in the account may
        // publish SES events to the default bus too, and their bounces are not ours to act on.
        detail = { mail: { tags: { 'ses:configuration-set': [configurationSet.configurationSetName] } } };
      }
      new Rule(this, `ForwardRule${key}`, {
        ruleName: forwardRuleName(key),
        description: `${source} events of eventRules.${key}: default bus -> ${eventBusName} bus`,
        eventBus: defaultBus,
        eventPattern: { source: [source], detailType: [...entry.pattern['detail-type']], ...(detail ? { detail } : {}) },
        // Bus targets take no retry policy: EventBridge retries them for 24 hours, then dead-letters.
        targets: [
          new EventBusTarget(eventBus, {
            deadLetterQueue: newDeadLetterQueue(
              `Forward${key}DeadLetters`,
              `the forwarding of eventRules.${key} from the default bus to the ${eventBusName} bus`,
            ),
          }),
        ],
      });
    }
    // The configuration set publishes exactly the SES event types that a forwarded rule asks for.
    if (sesDetailTypes.size > 0) {
      configurationSet.addEventDestination('ToDefaultBus', {
        destination: EventDestination.eventBus(defaultBus),
        events: [...sesDetailTypes].map(sesEmailSendingEvent),
      });
    }

    for (const [key, entry] of Object.entries(scheduleRules)) {
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

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'SesConfigurationSetNameOutput', { value: configurationSet.configurationSetName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: alarms.topic.topicArn,
      description: 'SNS topic every alarm notifies (AlarmEmail is subscribed to it; add other subscriptions here)',
    });
  }
}

/** Why a route marked `public` in the wiring table has no authorizer, for cdk-nag's APIG4. */
function publicRouteReason(routeKey: RouteKey, route: HttpRoute): string {
  const contract = `${routeKey} is public by the API contract (API.md): municipal contacts use it without an account.`;
  // A signed-in caller's token is checked by the handler (functions/shared/bearer.ts), since an HTTP
  // API route cannot make its authorizer optional.
  const roles = route.acceptsBearer?.join(' or ');
  const bearer = roles ? `a bearer token of the ${roles} role, which the handler verifies against the user pool` : '';
  // Routes about one person's application or registration carry the id of that record in the path.
  return /\{(applicationId|registrationId)\}/.test(routeKey)
    ? `${contract} The handler answers only to the secret token mailed to that person${bearer ? ` or to ${bearer}` : ''}, so the id alone reveals none of its content.`
    : `${contract} It serves or accepts only what anyone may see or submit${bearer ? ` (and takes ${bearer})` : ''}; the stage throttles it.`;
}

/** Handlers behind a route with `acceptsBearer`: they verify bearer tokens themselves and need JWT_ISSUER/JWT_AUDIENCE. */
export function handlersVerifyingBearer(): Set<HandlerId> {
  return new Set((Object.values(httpRoutes) as HttpRoute[]).filter((r) => r.acceptsBearer?.length).map((r) => r.handler));
}

function isAwsSource(source: string): boolean {
  return source.startsWith('aws.');
}

/** SES event type of each `detail-type` that SES gives its events on EventBridge. */
const sesEventOfDetailType: Record<string, EmailSendingEvent> = {
  'Email Sent': EmailSendingEvent.SEND,
  'Email Rejected': EmailSendingEvent.REJECT,
  'Email Bounced': EmailSendingEvent.BOUNCE,
  'Email Complaint Received': EmailSendingEvent.COMPLAINT,
  'Email Delivered': EmailSendingEvent.DELIVERY,
  'Email Opened': EmailSendingEvent.OPEN,
  'Email Clicked': EmailSendingEvent.CLICK,
  'Email Rendering Failed': EmailSendingEvent.RENDERING_FAILURE,
  'Email Delivery Delayed': EmailSendingEvent.DELIVERY_DELAY,
  'Email Subscribed': EmailSendingEvent.SUBSCRIPTION,
};

function sesEmailSendingEvent(detailType: string): EmailSendingEvent {
  const event = sesEventOfDetailType[detailType];
  if (!event) throw new Error(`No SES event type publishes the detail-type ${JSON.stringify(detailType)}`);
  return event;
}

/** `intake/create-round` -> `IntakeCreateRound`, a construct id that stays readable in the console. */
function constructName(handlerId: HandlerId): string {
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
