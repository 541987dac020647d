// Stateless stack: the HTTP API's stage and authorizer (the API resource is in the stateful stack, beside
// the distribution that serves it), the SES configuration set, the forwarders of AWS service events and
// the alarm topic, with one nested stack per capability holding its functions, routes, event rules,
// schedules, dead-letter queues and alarms; all built from the wiring table.
import { CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, HttpApi, HttpStage, LogGroupLogDestination, type IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { envNames } from '../functions/shared/config.js';
import { userPoolIdEnv } from '../functions/shared/staff-accounts.js';
import { coordinatorEmailsEnv } from '../functions/tutoring/coordinators.js';
import { AlarmsStack } from './alarms.js';
import {
  capabilities,
  capabilityOf,
  CapabilityStack,
  constructName,
  newDeadLetterQueue,
  type CapabilityShared,
  type NeedAccess,
} from './capability-stack.js';
import { publicWriteRoutes, publicWriteThrottle, stageThrottle } from './edge.js';
import { OutboxPipe } from './outbox-pipe.js';
import { tableGrantOf } from './table-grants.js';
import { eventBusName, forwardRuleName, handlerTag, ruleName } from './names.js';
import type { StatefulResources } from './stateful-stack.js';
import { tableKeys } from './table-definition.js';
import { eventRules, httpRoutes, readsOnly, type EventRule, type HandlerId, type HttpRoute, type Need, type RouteKey } from './wiring.js';

export { forwardRuleName, handlerTag, ruleName };

/** Allowed values of the CoordinatorEmails parameter: empty, or addresses separated by commas (and spaces). */
export const coordinatorEmailsPattern = '^$|^[^@\\s,;]+@[^@\\s,;]+(\\s*[,;]\\s*[^@\\s,;]+@[^@\\s,;]+)*$';

/** What a handler that only reads the table (wiring `tableAccess: 'read'`) may do with it at most. */
export const tableReadActions = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'];

/**
 * The table actions of one handler: those its bundle calls (infra/table-grants.ts), and of those only
 * the reads for a handler the wiring table marks read-only. On the table and its one index, not `index/*`.
 */
export function tableActionsOf(handlerId: HandlerId): string[] {
  const called = tableGrantOf(handlerId);
  return readsOnly(handlerId) ? called.filter((action) => tableReadActions.includes(action)) : [...called];
}

/** What the need `manage-tutor-accounts` may do, on the user pool only (functions/shared/staff-accounts.ts calls exactly these). */
export const tutorAccountActions = ['cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup'];

export interface StatelessStackProps extends StackProps {
  readonly stateful: StatefulResources;
}

export class StatelessStack extends Stack {
  /** The function of each handler id. */
  readonly functions: ReadonlyMap<HandlerId, NodejsFunction>;
  /** The stateful stack's HTTP API as this stack refers to it; its stage, authorizer and routes are in this stack. */
  readonly api: IHttpApi;
  /** Nested stack with the alarm topic (the alarms are in the stacks of what they watch). */
  readonly alarms: AlarmsStack;
  /** The pipe from the table's stream to the bus, with its dead-letter queue. */
  readonly outboxPipe: OutboxPipe;
  /** One nested stack per capability, sorted by capability. */
  readonly capabilities: readonly CapabilityStack[];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, eventBus, userPool, userPoolClient, site } = props.stateful;
    // Imported by id, so that what binds to it (the authorizer, the stage) is created in this stack.
    const api = HttpApi.fromHttpApiAttributes(this, 'HttpApi', {
      httpApiId: props.stateful.api.apiId,
      apiEndpoint: props.stateful.api.apiEndpoint,
    });
    this.api = api;

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
    const coordinatorEmails = new CfnParameter(this, 'CoordinatorEmails', {
      type: 'String',
      default: '',
      allowedPattern: coordinatorEmailsPattern,
      description:
        'Extra coordinator addresses (comma-separated; empty for none) told what no tutor can settle and ' +
        'about contacts whose mail bounces, besides the coordinator who opened the round.',
    });
    const alarms = new AlarmsStack(this, 'Alarms', { alarmEmail: alarmEmail.valueAsString });
    this.alarms = alarms;

    // The outbox relay: each event item written to the table reaches the bus through this pipe.
    this.outboxPipe = new OutboxPipe(this, 'OutboxPipe', { table, eventBus, alarms });
    alarms.forEmailFailures(this);

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
    const manageTutorAccounts = new PolicyStatement({
      actions: tutorAccountActions,
      resources: [userPool.userPoolArn],
    });
    const tableGrant = (handlerId: HandlerId) =>
      new PolicyStatement({
        actions: tableActionsOf(handlerId),
        resources: [table.tableArn, `${table.tableArn}/index/${tableKeys.gsi1.indexName}`],
      });
    // What each need of the wiring table grants, and the settings that only a handler with that need
    // reads. Every handler gets its log group and the table; nothing else is granted.
    const access: Record<Need, NeedAccess> = {
      'send-email': {
        grant: (fn) => fn.addToRolePolicy(sendEmail),
        environment: {
          [envNames.emailFrom]: senderEmail.valueAsString,
          [envNames.sesConfigurationSet]: configurationSet.configurationSetName,
          // Read by the handlers that tell coordinators something (functions/tutoring/coordinators.ts).
          // Given to every handler that may send email rather than to a list of handler ids: only a
          // handler that mails can use the addresses, a new one needs no change here, and the
          // addresses are no secret (the mails name them).
          [coordinatorEmailsEnv]: coordinatorEmails.valueAsString,
        },
      },
      // POST /tutors makes sure the tutor can sign in: the user (with Cognito's invitation) and its
      // group. Only these three calls, only on this pool: no deleting, disabling or changing users.
      'manage-tutor-accounts': {
        grant: (fn) => fn.addToRolePolicy(manageTutorAccounts),
        environment: { [userPoolIdEnv]: userPool.userPoolId },
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

    // The authorizer only proves the token (signature, expiry, audience); each handler checks the
    // role against the token's cognito:groups claim.
    const jwtAuthorizer = new HttpJwtAuthorizer('CognitoJwt', jwtIssuer, {
      jwtAudience: [jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });
    // Each capability's functions, routes, rules, queues and alarms go into a nested stack of its own
    // (capability-stack.ts), so that no stack nears CloudFormation's 500 resources.
    const shared: CapabilityShared = {
      api,
      jwtAuthorizer,
      eventBus,
      alarms,
      environment: {
        [envNames.tableName]: table.tableName,
        // The API as people reach it: through the distribution, under its web ACL (infra/site.ts).
        [envNames.publicUrl]: site.origin,
        // Links in emails lead to the pages on CloudFront.
        [envNames.pagesUrl]: site.appUrl,
      },
      tableGrant,
      access,
      bearerEnvironment,
      verifiesBearer,
      publicRouteReason,
    };
    const functions = new Map<HandlerId, NodejsFunction>();
    const capabilityStacks: CapabilityStack[] = [];
    for (const capability of capabilities()) {
      const stack = new CapabilityStack(this, constructName(capability), { capability, shared });
      capabilityStacks.push(stack);
      for (const [handlerId, fn] of stack.functions) functions.set(handlerId, fn);
    }
    this.functions = functions;
    this.capabilities = capabilityStacks;

    // --- HTTP API ------------------------------------------------------------------------------
    const accessLogs = new LogGroup(this, 'HttpApiAccessLogs', { retention: RetentionDays.THREE_MONTHS });
    const stage = new HttpStage(api, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: stageThrottle,
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

    // The public write routes get their own, lower throttle (infra/edge.ts); the HTTP API's L2 stage
    // takes only the default, so the route settings go on the CfnStage. (RouteSettings is untyped JSON
    // there, written as CloudFormation spells it.)
    const cfnStage = stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      publicWriteRoutes.map((routeKey) => [
        routeKey,
        { ThrottlingRateLimit: publicWriteThrottle.rateLimit, ThrottlingBurstLimit: publicWriteThrottle.burstLimit },
      ]),
    );
    // A stage's route settings must name routes that exist, so the stage waits for their stacks.
    for (const routeKey of publicWriteRoutes) {
      const route: HttpRoute = httpRoutes[routeKey];
      if (route.role !== 'public') throw new Error(`publicWriteRoutes: ${routeKey} is no public route`);
      const owner = capabilityStacks.find((c) => c.capability === capabilityOf(route.handler));
      if (!owner) throw new Error(`publicWriteRoutes: no capability stack has ${routeKey}`);
      cfnStage.node.addDependency(owner.node.findChild(`Route${constructName(routeKey)}`));
    }

    // --- AWS service events ----------------------------------------------------------------------
    // AWS services (SES here) put their events on the default bus only. For each eventRules entry on
    // an AWS source, a rule there forwards exactly the events of its pattern to the sparraus bus,
    // where the entry's own rule (in its capability's stack) delivers them like any other event.
    const forwardDeadLetters = (key: string) => {
      const id = `Forward${key}DeadLetters`;
      const of = `the forwarding of eventRules.${key} from the default bus to the ${eventBusName} bus`;
      const queue = newDeadLetterQueue(this, id, of);
      alarms.forDeadLetters(this, id, queue, of);
      return queue;
    };
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
            deadLetterQueue: forwardDeadLetters(key),
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

    new CfnOutput(this, 'ApiUrl', {
      value: site.origin,
      description: "Base URL of the HTTP API: the pages' CloudFront distribution, under its web ACL",
    });
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
    : `${contract} It serves or accepts only what anyone may see or submit${bearer ? ` (and takes ${bearer})` : ''}; ${
        (publicWriteRoutes as readonly string[]).includes(routeKey)
          ? 'its own route throttle, below the stage default, limits it (infra/edge.ts)'
          : 'the stage throttles it'
      }.`;
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
