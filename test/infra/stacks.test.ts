// Template assertions per stack: data is durable, functions are built as agreed, permissions are narrow, and cdk-nag finds nothing unacknowledged.
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { envNames } from '../../functions/shared/config.js';
import { coordinatorEmailsEnv } from '../../functions/tutoring/coordinators.js';
import { capabilityOf } from '../../infra/capability-stack.js';
import { userPoolIdEnv } from '../../functions/shared/staff-accounts.js';
import { coordinatorEmailsPattern, tableActionsOf, tableReadActions, tutorAccountActions } from '../../infra/stateless-stack.js';
import { sources } from '../../schemas/events/catalogue.js';
import { handlerTag } from '../../infra/names.js';
import { eventBusName } from '../../infra/stateful-stack.js';
import { tableKeys } from '../../infra/table-definition.js';
import {
  allHandlerIds,
  eventRules,
  httpRoutes,
  needsOf,
  readsOnly,
  roleGroups,
  scheduleRules,
  type HandlerId,
  type HttpRoute,
} from '../../infra/wiring.js';
import { ofType, referencedId, sorted, synthesize } from './template.js';

const {
  app,
  stateful,
  stateless,
  statefulTemplate,
  statelessTemplate,
  site: sparrausSite,
  resources,
  stacks,
  handlerOfFunction,
  statementsOf,
  imported,
} = synthesize();

describe('stateful stack', () => {
  it('has one on-demand table with the shared key schema, PITR, TTL and gsi1, retained and deletion-protected', () => {
    statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', 1);
    statefulTemplate.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        TimeToLiveSpecification: { AttributeName: tableKeys.ttlAttribute, Enabled: true },
        KeySchema: [
          { AttributeName: tableKeys.partitionKey, KeyType: 'HASH' },
          { AttributeName: tableKeys.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: tableKeys.gsi1.indexName,
            KeySchema: [
              { AttributeName: tableKeys.gsi1.partitionKey, KeyType: 'HASH' },
              { AttributeName: tableKeys.gsi1.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      },
    });
  });

  it('has the sparraus bus with an archive of every event of ours on it, and of no forwarded AWS event (SES events name addresses)', () => {
    const [busId] = ofType(statefulTemplate.toJSON().Resources, 'AWS::Events::EventBus')[0]!;
    statefulTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: eventBusName });
    statefulTemplate.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
      RetentionDays: 365,
      EventPattern: { account: [{ Ref: 'AWS::AccountId' }], source: [{ prefix: 'sparraus.' }] },
    });
    // Which is every source the system publishes from.
    for (const source of Object.values(sources)) expect(source).toMatch(/^sparraus\./);
  });

  it('has an admin-only user pool with MFA, retained, and a group per signed-in role', () => {
    statefulTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        UserPoolTier: 'PLUS',
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
      }),
    });
    const groups = ofType(statefulTemplate.toJSON().Resources, 'AWS::Cognito::UserPoolGroup').map(
      ([, g]) => g.Properties!.GroupName as string,
    );
    expect(sorted(groups)).toEqual(sorted(Object.values(roleGroups)));
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', { GenerateSecret: false });
  });

  it('keeps a changed email pending until it is verified, so a token never names an address its holder does not own', () => {
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    });
  });

  it('outputs table, bus and user pool ids', () => {
    for (const name of ['TableName', 'EventBusName', 'UserPoolId', 'UserPoolClientId']) {
      statefulTemplate.hasOutput(name, {});
    }
  });
});

describe('stateless stack', () => {
  const functions = ofType(resources, 'AWS::Lambda::Function');
  const asyncHandlers = new Set<string>([
    ...Object.values(eventRules).map((r) => r.handler),
    ...Object.values(scheduleRules).map((r) => r.handler),
  ]);

  it("runs every function on arm64 and the newest Node.js runtime cdk-nag's L1 knows", () => {
    const versionOf = (name: string) => Number(/^nodejs(\d+)/.exec(name)?.[1] ?? 0);
    const newest = Runtime.ALL.map((r) => r.name)
      .filter((name) => /^nodejs\d+\.x$/.test(name))
      .sort((a, b) => versionOf(a) - versionOf(b))
      .at(-1);
    expect(functions.length).toBeGreaterThan(0);
    for (const [, fn] of functions) {
      expect(fn.Properties!.Architectures).toEqual(['arm64']);
      expect(fn.Properties!.Runtime).toBe(newest);
      expect(fn.Properties!.MemorySize).toBe(256);
    }
  });

  it('gives HTTP handlers 10 s and event or schedule handlers 30 s', () => {
    for (const [logicalId, fn] of functions) {
      const handlerId = handlerOfFunction.get(logicalId)!;
      expect({ handlerId, timeout: fn.Properties!.Timeout }).toEqual({
        handlerId,
        timeout: asyncHandlers.has(handlerId) ? 30 : 10,
      });
    }
  });

  // Handlers behind a public route that also takes a bearer token verify it themselves.
  const bearerHandlers = new Set<string>(
    (Object.values(httpRoutes) as HttpRoute[]).filter((r) => r.acceptsBearer?.length).map((r) => r.handler),
  );
  const [authorizer] = ofType(resources, 'AWS::ApiGatewayV2::Authorizer').map(([, a]) => a.Properties!);
  const bearerVariables = {
    [envNames.jwtIssuer]: authorizer!.JwtConfiguration.Issuer,
    [envNames.jwtAudience]: authorizer!.JwtConfiguration.Audience[0],
  };

  it('sets the table, PUBLIC_URL and PAGES_URL everywhere, no bus (commands write their events to the table), the mail settings and coordinator addresses only with send-email, the JWT settings only on acceptsBearer routes', () => {
    const [configurationSetId] = ofType(resources, 'AWS::SES::ConfigurationSet')[0]!;
    for (const [logicalId, fn] of functions) {
      const handlerId = handlerOfFunction.get(logicalId)! as HandlerId;
      const needs = needsOf(handlerId);
      const variables = fn.Properties!.Environment.Variables as Record<string, unknown>;
      expect({ handlerId, variables }).toEqual({
        handlerId,
        variables: {
          [envNames.tableName]: imported(stateful.resources.table.tableName),
          // The API as people reach it: through the distribution and its web ACL (infra/site.ts).
          [envNames.publicUrl]: {
            'Fn::Join': ['', ['https://', imported(stateful.resources.site.distribution.distributionDomainName)]],
          },
          [envNames.pagesUrl]: expect.anything(),
          ...(needs.includes('send-email')
            ? {
                [envNames.emailFrom]: { Ref: 'SenderEmail' },
                [envNames.sesConfigurationSet]: { Ref: configurationSetId },
                [coordinatorEmailsEnv]: { Ref: 'CoordinatorEmails' },
              }
            : {}),
          ...(needs.includes('manage-tutor-accounts')
            ? { [userPoolIdEnv]: imported(stateful.resources.userPool.userPoolId) }
            : {}),
          ...(bearerHandlers.has(handlerId) ? bearerVariables : {}),
        },
      });
    }
  });

  it("gives handlers that verify bearer tokens the user pool's issuer URL and the web client as audience, as the authorizer checks", () => {
    // Not vacuous: the wiring table has such a route (the coordinator's withdrawal).
    expect(bearerHandlers.size).toBeGreaterThan(0);
    // The issuer must be the pool's URL exactly: id tokens carry it in `iss`, and the keys are at
    // `<issuer>/.well-known/jwks.json`. The region is `AWS::Region`, or CDK_DEFAULT_REGION if set.
    expect(bearerVariables[envNames.jwtIssuer]).toEqual(
      stateless.resolve(`https://cognito-idp.${stateless.region}.amazonaws.com/${stateful.resources.userPool.userPoolId}`),
    );
    expect(JSON.stringify(bearerVariables[envNames.jwtIssuer])).toMatch(/^\{"Fn::Join":\["",\["https:\/\/cognito-idp\./);
    expect(bearerVariables[envNames.jwtAudience]).toEqual(imported(stateful.resources.userPoolClient.userPoolClientId));
    // Which functions get them, and that no other does, the test above checks.
  });

  it('gives each function its own log group with a retention', () => {
    for (const [, fn] of functions) {
      const logGroup = resources[referencedId(fn.Properties!.LoggingConfig.LogGroup)!]!;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties!.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('grants no wildcard and no AWS managed policy', () => {
    for (const [logicalId, role] of ofType(resources, 'AWS::IAM::Role')) {
      expect({ logicalId, managed: role.Properties!.ManagedPolicyArns }).toEqual({ logicalId, managed: undefined });
    }
    for (const [logicalId, policy] of ofType(resources, 'AWS::IAM::Policy')) {
      for (const statement of policy.Properties!.PolicyDocument.Statement) {
        const strings = [statement.Action, statement.Resource].flat().filter((v) => typeof v === 'string');
        expect({ logicalId, wildcards: strings.filter((s: string) => s.includes('*')) }).toEqual({
          logicalId,
          wildcards: [],
        });
      }
    }
  });

  describe('grants each function its log group and the table, and beyond that only the needs of its wiring entries', () => {
    const actionsOf = (handlerId: HandlerId) => {
      const logicalId = [...handlerOfFunction].find(([, h]) => h === handlerId)?.[0];
      if (!logicalId) throw new Error(`No function for ${handlerId}`);
      return new Set(statementsOf(logicalId).flatMap((s) => [s.Action].flat()));
    };

    it('apply writes its events through the outbox: it may neither put events nor send email', () => {
      expect(needsOf('intake/apply')).toEqual([]);
      expect(actionsOf('intake/apply')).not.toContain('events:PutEvents');
      expect(actionsOf('intake/apply')).not.toContain('ses:SendEmail');
    });

    it('send-application-confirmation (send-email) may send email and may not put events', () => {
      expect(needsOf('intake/send-application-confirmation')).toEqual(['send-email']);
      expect(actionsOf('intake/send-application-confirmation')).toContain('ses:SendEmail');
      expect(actionsOf('intake/send-application-confirmation')).not.toContain('events:PutEvents');
    });

    it('get-round (no needs) may do neither', () => {
      expect(needsOf('intake/get-round')).toEqual([]);
      expect(actionsOf('intake/get-round')).not.toContain('events:PutEvents');
      expect(actionsOf('intake/get-round')).not.toContain('ses:SendEmail');
    });

    it('the history handlers may only read the table', () => {
      const historyHandlers = allHandlerIds().filter((h) => h.startsWith('history/'));
      expect(historyHandlers).toHaveLength(4);
      for (const handlerId of historyHandlers) {
        expect(readsOnly(handlerId)).toBe(true);
        const tableActions = [...actionsOf(handlerId)].filter((a) => a.startsWith('dynamodb:'));
        expect(tableActions.length).toBeGreaterThan(0);
        expect({ handlerId, writes: tableActions.filter((a) => !tableReadActions.includes(a)) }).toEqual({ handlerId, writes: [] });
      }
    });

    it('every handler: exactly its log group, its own table actions and the actions of its needs', () => {
      const byNeed = { 'send-email': ['ses:SendEmail'], 'manage-tutor-accounts': tutorAccountActions };
      // Every function: its log group and the table actions its code calls (infra/table-grants.ts).
      // Event and schedule handlers also send to their own dead-letter queue (the wiring tests
      // check which queue). Nothing else but the needs.
      const logActions = ['logs:CreateLogStream', 'logs:PutLogEvents'];
      const deadLetterActions = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
      const isBaseline = (action: string) => /^(logs|dynamodb|sqs):/.test(action);
      for (const handlerId of allHandlerIds()) {
        const actions = [...actionsOf(handlerId)];
        expect({
          handlerId,
          baseline: sorted(actions.filter(isBaseline)),
          beyond: sorted(actions.filter((a) => !isBaseline(a))),
        }).toEqual({
          handlerId,
          baseline: sorted([...logActions, ...tableActionsOf(handlerId), ...(asyncHandlers.has(handlerId) ? deadLetterActions : [])]),
          beyond: sorted(needsOf(handlerId).flatMap((need) => byNeed[need])),
        });
        // Nobody may describe, batch-write or drop more than its code asks for; no grant is empty.
        expect(tableActionsOf(handlerId).length).toBeGreaterThan(0);
      }
      // The wiring table does use every need, so the checks above are not vacuous.
      expect(new Set(allHandlerIds().flatMap(needsOf))).toEqual(new Set(Object.keys(byNeed)));
    });
  });

  it('lets only create-tutor manage Cognito users: AdminGetUser, AdminCreateUser and AdminAddUserToGroup on the user pool, nothing else', () => {
    expect(sorted(tutorAccountActions)).toEqual(
      sorted(['cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup', 'cognito-idp:AdminGetUser']),
    );
    expect((httpRoutes['POST /tutors'] as HttpRoute).needs).toEqual(['manage-tutor-accounts']);
    const cognitoStatements = [...handlerOfFunction].flatMap(([logicalId, handlerId]) =>
      statementsOf(logicalId)
        .filter((s) => [s.Action].flat().some((a) => a.startsWith('cognito-idp:')))
        .map((statement) => ({ handlerId, statement })),
    );
    expect(cognitoStatements).toEqual([
      {
        handlerId: 'tutoring/create-tutor',
        statement: expect.objectContaining({
          Effect: 'Allow',
          Action: tutorAccountActions,
          Resource: imported(stateful.resources.userPool.userPoolArn),
        }),
      },
    ]);
    const [createTutor] = [...handlerOfFunction].find(([, h]) => h === 'tutoring/create-tutor')!;
    expect(resources[createTutor]!.Properties!.Environment.Variables[userPoolIdEnv]).toEqual(
      imported(stateful.resources.userPool.userPoolId),
    );
  });

  it('allows no function events:PutEvents (the outbox pipe puts events), and ses:SendEmail on the sender identity and configuration set only', () => {
    const statements = [...handlerOfFunction.keys()].flatMap(statementsOf);
    const putEvents = statements.filter((s) => s.Action === 'events:PutEvents');
    const sendEmail = statements.filter((s) => s.Action === 'ses:SendEmail');
    const handlersWith = (need: string) => allHandlerIds().filter((h) => needsOf(h).includes(need as never));
    expect(putEvents).toHaveLength(0);
    expect(sendEmail).toHaveLength(handlersWith('send-email').length);
    for (const s of putEvents) {
      expect(s.Resource).toEqual(imported(stateful.resources.eventBus.eventBusArn));
    }
    for (const s of sendEmail) {
      const arns = JSON.stringify(s.Resource);
      expect(s.Resource).toHaveLength(3);
      expect(arns).toContain('":identity/",{"Ref":"SenderEmail"}');
      expect(arns).toContain('":identity/",{"Fn::Select":[1,{"Fn::Split":["@",{"Ref":"SenderEmail"}]}]}');
      expect(arns).toContain('":configuration-set/",{"Ref":"SesConfigurationSet');
    }
  });

  it('takes the extra coordinator addresses from a parameter, empty by default, and gives them to every handler that tells coordinators something', () => {
    statelessTemplate.hasParameter('CoordinatorEmails', {
      Type: 'String',
      Default: '',
      AllowedPattern: coordinatorEmailsPattern,
    });
    // The setting goes to every handler with send-email (the test above): one that reads it without
    // that need would find it unset. These are the handlers that read it today.
    for (const handlerId of ['tutoring/notify-engagement', 'deliverability/notify-unreachable-contact'] as HandlerId[]) {
      expect({ handlerId, needs: needsOf(handlerId) }).toEqual({ handlerId, needs: expect.arrayContaining(['send-email']) });
    }
    // The pattern CloudFormation checks the value against (Java regular expressions, whole value).
    const allowed = new RegExp(coordinatorEmailsPattern);
    for (const value of ['', 'team@example.org', 'a@example.org,b@example.org', 'a@example.org, b@example.org']) {
      expect({ value, ok: allowed.test(value) }).toEqual({ value, ok: true });
    }
    for (const value of ['team', 'a@example.org,', ',a@example.org', 'a@example.org b']) {
      expect({ value, ok: allowed.test(value) }).toEqual({ value, ok: false });
    }
  });

  it('creates the SES configuration set from a parameter', () => {
    statelessTemplate.hasParameter('SenderEmail', { Type: 'String', Default: 'no-reply@example.org' });
    statelessTemplate.hasParameter('SesConfigurationSetName', { Type: 'String', Default: 'sparraus' });
    statelessTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: { Ref: 'SesConfigurationSetName' },
    });
  });

  it('publishes the bounces and complaints of its configuration set to the default bus, the only bus SES can publish to', () => {
    const [configurationSetId] = ofType(resources, 'AWS::SES::ConfigurationSet')[0]!;
    const destinations = ofType(resources, 'AWS::SES::ConfigurationSetEventDestination').map(([, d]) => d.Properties!);
    expect(destinations).toEqual([
      {
        ConfigurationSetName: { Ref: configurationSetId },
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: ['bounce', 'complaint'],
          EventBridgeDestination: {
            EventBusArn: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':events:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':event-bus/default',
                ],
              ],
            },
          },
        },
      },
    ]);
    // The detail-types those event types become are what the wiring entry (and its forwarder, see
    // wiring.test.ts) listens to.
    expect(eventRules.SuppressBouncedAddresses.pattern).toEqual({
      source: ['aws.ses'],
      'detail-type': ['Email Bounced', 'Email Complaint Received'],
    });
  });

  it('keeps dead letters encrypted, TLS-only, for 14 days', () => {
    const queues = ofType(resources, 'AWS::SQS::Queue');
    expect(queues.length).toBeGreaterThan(0);
    for (const [queueId, queue] of queues) {
      expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
      statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('logs access and throttles on the default stage', () => {
    statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
    });
    // On the stateful stack's API (beside the distribution that serves it), as every route is.
    const apiId = imported(stateful.resources.api.apiId);
    statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', { ApiId: apiId });
    for (const [, route] of ofType(resources, 'AWS::ApiGatewayV2::Route')) expect(route.Properties!.ApiId).toEqual(apiId);
    statelessTemplate.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    statelessTemplate.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', ['https://', imported(stateful.resources.site.distribution.distributionDomainName)]] },
    });
  });
});

describe('alarms (topic in a nested stack, each alarm in the stack of what it watches)', () => {
  const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties!);
  const [topicId] = ofType(resources, 'AWS::SNS::Topic')[0]!;
  /** Logical id of what an alarm's dimension names. */
  const watched = (alarm: Record<string, any>, dimension: string): string | undefined => {
    const value = alarm.Dimensions?.find((d: { Name: string }) => d.Name === dimension)?.Value;
    return referencedId(value);
  };
  const alarmsOn = (namespace: string, metricName: string, dimension: string) =>
    new Map(
      alarms
        .filter((a) => a.Namespace === namespace && a.MetricName === metricName)
        .map((a) => [watched(a, dimension), a] as const),
    );

  it('alarm on every dead-letter queue while any message waits in it', () => {
    const queues = ofType(resources, 'AWS::SQS::Queue').map(([id]) => id);
    const onQueues = alarmsOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName');
    // Every queue of the stack is a dead-letter queue (the handlers', the forwarders' and the outbox pipe's).
    expect(queues.length).toBe(ofType(resources, 'AWS::Lambda::EventInvokeConfig').length + 2);
    expect(sorted([...onQueues.keys()].map(String))).toEqual(sorted(queues));
    for (const [queueId, alarm] of onQueues) {
      // The dimension is the queue's name.
      expect(alarm.Dimensions[0].Value).toEqual({ 'Fn::GetAtt': [queueId, 'QueueName'] });
      expect(alarm).toMatchObject({
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        // An unread dead letter must not turn OK because SQS stopped sending the metric.
        TreatMissingData: 'ignore',
      });
    }
  });

  it('alarm on errors and on throttles of every function: one or more in 5 minutes', () => {
    const functions = ofType(resources, 'AWS::Lambda::Function').map(([id]) => id);
    expect(functions.length).toBe(allHandlerIds().length);
    for (const metricName of ['Errors', 'Throttles']) {
      const onFunctions = alarmsOn('AWS/Lambda', metricName, 'FunctionName');
      expect({ metricName, functions: sorted([...onFunctions.keys()].map(String)) }).toEqual({
        metricName,
        functions: sorted(functions),
      });
      for (const [, alarm] of onFunctions) {
        expect(alarm).toMatchObject({
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 1,
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('counts every email SES refused for good, from the log of each function that mails, in one alarm', () => {
    const filters = ofType(resources, 'AWS::Logs::MetricFilter').map(([, f]) => f.Properties!);
    const mailing = [...handlerOfFunction.values()].filter((h) => needsOf(h as HandlerId).includes('send-email'));
    expect(filters).toHaveLength(mailing.length);
    for (const filter of filters) {
      expect(filter).toMatchObject({
        FilterPattern: '{ $.message = "email failed" }',
        MetricTransformations: [{ MetricNamespace: 'sparraus', MetricName: 'EmailsFailed', MetricValue: '1' }],
      });
    }
    const onFailures = alarms.filter((a) => a.MetricName === 'EmailsFailed');
    expect(onFailures).toHaveLength(1);
    expect(onFailures[0]).toMatchObject({
      Namespace: 'sparraus',
      Statistic: 'Sum',
      Threshold: 1,
      AlarmName: 'sparraus-emails-failed',
    });
  });

  it('has no other alarms, and every alarm notifies the alarm topic under a sparraus- name', () => {
    const queues = ofType(resources, 'AWS::SQS::Queue').length;
    // One per function for errors and for throttles, one per dead-letter queue, one on failed emails.
    expect(alarms).toHaveLength(2 * handlerOfFunction.size + queues + 1);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.AlarmName).toMatch(/^sparraus-/);
    }
    expect(new Set(alarms.map((a) => a.AlarmName)).size).toBe(alarms.length);
  });

  it('mails the topic to the AlarmEmail parameter, only when one is given; the topic takes TLS only', () => {
    statelessTemplate.hasParameter('AlarmEmail', { Type: 'String', Default: '' });
    statelessTemplate.hasOutput('AlarmTopicArn', {});
    const subscriptions = ofType(resources, 'AWS::SNS::Subscription');
    expect(subscriptions).toHaveLength(1);
    const [, subscription] = subscriptions[0]! as [string, { Properties: Record<string, any>; Condition?: string }];
    expect(subscription.Properties).toMatchObject({ Protocol: 'email', TopicArn: { Ref: topicId } });
    expect(subscription.Properties.Endpoint).toEqual({ Ref: 'AlarmEmail' });
    const condition = statelessTemplate.toJSON().Conditions[subscription.Condition!];
    expect(condition).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [subscription.Properties.Endpoint, ''] }] });
    statelessTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('stack sizes', () => {
  // CloudFormation refuses a template of more than 500 resources or 200 parameters. 400 leaves room
  // to grow; a capability that nears it is split further (capability-stack.ts).
  it('keeps every stack, top-level and nested, under 400 resources and 150 parameters', () => {
    const sizes = [...stacks].map(([path, { template }]) => ({
      path,
      resources: Object.keys(template.Resources).length,
      parameters: Object.keys(template.Parameters ?? {}).length,
    }));
    expect(sizes.length).toBeGreaterThan(3);
    for (const size of sizes) {
      expect(size.resources, `${size.path}: ${size.resources} resources`).toBeLessThan(400);
      expect(size.parameters, `${size.path}: ${size.parameters} parameters`).toBeLessThan(150);
    }
  });

  it("puts each capability's functions, routes, rules, queues and alarms into a nested stack of its own", () => {
    const capabilityStacks = stateless.capabilities;
    expect(capabilityStacks.map((c) => c.capability)).toEqual(sorted(new Set(allHandlerIds().map(capabilityOf))));
    const parent = stacks.get(stateless.node.path)!.template.Resources;
    // Left in the stateless stack: the API and what every capability shares, no handler's resource.
    for (const type of ['AWS::Lambda::Function', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Integration']) {
      expect({ type, count: ofType(parent, type).length }).toEqual({ type, count: 0 });
    }
    for (const capabilityStack of capabilityStacks) {
      const own = stacks.get(capabilityStack.node.path)!.template.Resources;
      const handlers = ofType(own, 'AWS::Lambda::Function').map(
        ([, fn]) => (fn.Properties!.Tags as { Key: string; Value: string }[]).find((t) => t.Key === handlerTag)!.Value,
      );
      expect(sorted(handlers)).toEqual(allHandlerIds().filter((h) => capabilityOf(h) === capabilityStack.capability));
      const routeKeys = ofType(own, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!.RouteKey as string);
      expect(sorted(routeKeys)).toEqual(
        sorted(
          Object.entries(httpRoutes)
            .filter(([, r]) => capabilityOf(r.handler) === capabilityStack.capability)
            .map(([k]) => k),
        ),
      );
      // Every alarm of the stack watches one of its own functions or queues.
      const queueIds = ofType(own, 'AWS::SQS::Queue').map(([id]) => id);
      const functionIds = ofType(own, 'AWS::Lambda::Function').map(([id]) => id);
      const alarmsHere = ofType(own, 'AWS::CloudWatch::Alarm');
      expect(alarmsHere).toHaveLength(2 * functionIds.length + queueIds.length);
      for (const [, alarm] of alarmsHere) {
        expect([...queueIds, ...functionIds]).toContain(referencedId(alarm.Properties!.Dimensions[0].Value));
      }
    }
  });
});

describe('cdk-nag (AWS Solutions)', () => {
  it('finds nothing unacknowledged, neither errors nor warnings', () => {
    // synthesize() already ran the plugin and would have thrown; this names what was found.
    const { violations } = new AwsSolutionsChecks().validateScope(app);
    const found = violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
    expect(found).toEqual([]);
  });

  it("acknowledges only APIG4 on public routes, SQS3 on dead-letter queues and the site's findings, each on its resource with a reason", () => {
    const acknowledged: { path: string; id: string; reason: string; onResource: boolean }[] = [];
    const visit = (construct: IConstruct) => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledged.push({
            path: construct.node.path,
            id: id.replace(/^annotation::/i, ''),
            reason,
            onResource: !Stack.isStack(construct) && construct !== app,
          });
        }
      }
      construct.node.children.forEach(visit);
    };
    visit(app);

    const publicRoutes = ofType(resources, 'AWS::ApiGatewayV2::Route').filter(
      ([, r]) => r.Properties!.AuthorizationType === 'NONE',
    ).length;
    expect(acknowledged.filter((a) => a.id === 'AwsSolutions-APIG4')).toHaveLength(publicRoutes);
    expect(acknowledged.filter((a) => a.id === 'AwsSolutions-SQS3')).toHaveLength(ofType(resources, 'AWS::SQS::Queue').length);
    const site = acknowledged.filter((a) => !['AwsSolutions-APIG4', 'AwsSolutions-SQS3'].includes(a.id));
    // CDK itself acknowledges cfn-lint's W3045 (a bucket with an ACL) on the CloudFront log bucket.
    expect(sorted(new Set(site.map((a) => `${a.path.replace(/[0-9A-F]{32}256MiB$/, '')} ${a.id.replace(/\[.*/, '')}`)))).toEqual(
      sorted([
        'SparrausStateful/Site/Distribution AwsSolutions-CFR1',
        'SparrausStateful/Site/Distribution AwsSolutions-CFR4',
        'SparrausStateful/Site/Logs AwsSolutions-S1',
        'SparrausStateful/Site/Logs CloudFormation-Validate::W3045',
        'SparrausSite/Custom::CDKBucketDeployment AwsSolutions-IAM4',
        'SparrausSite/Custom::CDKBucketDeployment AwsSolutions-IAM5',
        'SparrausSite/Custom::CDKBucketDeployment AwsSolutions-L1',
      ]),
    );
    for (const a of acknowledged) {
      expect(a.onResource, `${a.id} is acknowledged for a whole stack or app at ${a.path}`).toBe(true);
      expect(a.reason.length).toBeGreaterThan(60);
    }
  });

  it('would report a table without PITR and a queue without TLS (the check can fail)', () => {
    const probe = new App();
    const stack = new Stack(probe, 'Probe');
    new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    new Queue(stack, 'Queue');
    const ruleNames = new AwsSolutionsChecks().validateScope(probe).violations.map((v) => v.ruleName);
    expect(ruleNames).toEqual(expect.arrayContaining(['AwsSolutions-DDB3', 'AwsSolutions-SQS4']));
  });

  it('leaves no CDK warnings or errors on either stack', () => {
    // The alarms nested stack reports in its parent's artifact.
    for (const stack of [stateful, stateless, sparrausSite]) {
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
  });
});

describe('links in emails', () => {
  it('lead to the pages on CloudFront (PAGES_URL is the site, not the API)', () => {
    const [, fn] = ofType(resources, 'AWS::Lambda::Function').find(([, f]) => f.Properties?.Environment?.Variables?.PAGES_URL)!;
    expect(JSON.stringify(fn.Properties!.Environment.Variables.PAGES_URL)).toMatch(/Distribution|cloudfront|DomainName/i);
    expect(JSON.stringify(fn.Properties!.Environment.Variables.PAGES_URL)).toContain('/app/');
  });
});
