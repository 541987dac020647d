// npm run dlq:aws without AWS: the dead-letter message shapes (fixtures as ReceiveMessage returns them)
// are read right, and discovery and replay make the calls they should (SDK clients mocked).
import { readFileSync } from 'node:fs';
import {
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventCatalogue } from '../../schemas/events/catalogue.js';
import { SesEmailEvent } from '../../schemas/events/ses.js';
import {
  describeEvent,
  discover,
  invocationsFor,
  parseDeadLetter,
  replayQueue,
  type Clients,
  type DeadLetter,
  type Topology,
} from '../../infra/dead-letters.js';
import { eventBusName, forwardRuleName, ruleName } from '../../infra/names.js';
import { eventRules } from '../../infra/wiring.js';

const fixture = (name: string): Message =>
  JSON.parse(readFileSync(new URL(`./fixtures/dead-letters/${name}.json`, import.meta.url), 'utf8')) as Message;
const bodyOf = (name: string): any => JSON.parse(fixture(name).Body!);

const account = '123456789012';
const region = 'eu-north-1';
const functionArn = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;
const queueArn = (name: string) => `arn:aws:sqs:${region}:${account}:${name}`;
const sendConfirmation = functionArn('SparrausStateless-IntakeSendApplicationConfirmatio-Xq3LmN8pTz2K');
const suppressBounced = functionArn('SparrausStateless-DeliverabilitySuppressBounced-Mn4Op5Qr6St7');
const busArn = `arn:aws:events:${region}:${account}:event-bus/${eventBusName}`;

const sqs = mockClient(SQSClient);
const events = mockClient(EventBridgeClient);
const lambda = mockClient(LambdaClient);
const clients: Clients = {
  sqs: new SQSClient({ region }),
  events: new EventBridgeClient({ region }),
  lambda: new LambdaClient({ region }),
};
beforeEach(() => {
  sqs.reset();
  events.reset();
  lambda.reset();
});

/** What `discover` finds for the deployed stack, cut down to the rules these fixtures concern. */
const topology: Topology = {
  rules: [
    {
      name: ruleName('SendApplicationConfirmation'),
      bus: eventBusName,
      eventPattern: JSON.stringify(eventRules.SendApplicationConfirmation.pattern),
      targets: [{ arn: sendConfirmation, deadLetterArn: queueArn('SendConfirmationDeadLetters') }],
    },
    {
      name: ruleName('SuppressBouncedAddresses'),
      bus: eventBusName,
      eventPattern: JSON.stringify(eventRules.SuppressBouncedAddresses.pattern),
      targets: [{ arn: suppressBounced, deadLetterArn: queueArn('SuppressBouncedDeadLetters') }],
    },
    {
      name: forwardRuleName('SuppressBouncedAddresses'),
      bus: 'default',
      eventPattern: JSON.stringify(eventRules.SuppressBouncedAddresses.pattern),
      targets: [{ arn: busArn, deadLetterArn: queueArn('ForwardDeadLetters') }],
    },
  ],
  queues: [],
};

describe('parseDeadLetter', () => {
  it('reads an EventBridge dead letter of a function target: the event, the rule and target, and why', () => {
    const letter = parseDeadLetter(fixture('eventbridge-to-function'));
    expect(letter).toEqual({
      kind: 'eventbridge',
      messageId: '0b1f7c2e-6d3a-4f0e-9a55-1c2d3e4f5a6b',
      receiptHandle: 'AQEB-eventbridge-to-function',
      sentAt: '2026-03-02T08:15:02.000Z',
      event: bodyOf('eventbridge-to-function'),
      ruleArn: `arn:aws:events:${region}:${account}:rule/${eventBusName}/${ruleName('SendApplicationConfirmation')}`,
      targetArn: sendConfirmation,
      error: 'SDK_CLIENT_ERROR: Unable to invoke Lambda function: Rate Exceeded. (after 8 retries, MaximumRetryAttempts reached)',
    });
    expect(describeEvent(letter)).toBe('ApplicationReceived (sparraus.intake, event 6a7e8feb-b491-4cf7-a9f1-bf3703467718)');
    // A real event of the catalogue, so the replayed invocation is one the handler takes.
    expect(eventCatalogue.ApplicationReceived.detail.safeParse((letter as any).event.detail).success).toBe(true);
  });

  it('reads a schedule tick that could not be delivered (no retry condition: the function was gone)', () => {
    const letter = parseDeadLetter(fixture('schedule-to-function'));
    expect(letter).toMatchObject({
      kind: 'eventbridge',
      targetArn: functionArn('SparrausStateless-IntakeOpenDueRounds-Ab12Cd34Ef56'),
      error: 'RESOURCE_NOT_FOUND: Lambda function not found. (after 0 retries)',
    });
    expect(describeEvent(letter)).toMatch(/^Scheduled Event \(aws\.events, event /);
  });

  it("reads a forwarder's dead letter: an SES bounce that never reached the sparraus bus", () => {
    const letter = parseDeadLetter(fixture('eventbridge-to-bus'));
    expect(letter).toMatchObject({ kind: 'eventbridge', targetArn: busArn, error: expect.stringMatching(/^NO_PERMISSIONS: /) });
    const event = (letter as Extract<DeadLetter, { kind: 'eventbridge' }>).event as any;
    // The fixture is the event SES publishes: the handler's schema takes it, the wiring pattern and
    // the forwarder's configuration-set filter match it.
    expect(SesEmailEvent.parse(event.detail).eventType).toBe('Bounce');
    expect(eventRules.SuppressBouncedAddresses.pattern.source).toContain(event.source);
    expect(eventRules.SuppressBouncedAddresses.pattern['detail-type']).toContain(event['detail-type']);
    expect(event.detail.mail.tags['ses:configuration-set']).toEqual(['sparraus']);
  });

  it("reads a Lambda on-failure record: the function (qualified), its event (requestPayload), and the function's error", () => {
    const letter = parseDeadLetter(fixture('lambda-on-failure'));
    const record = bodyOf('lambda-on-failure');
    expect(letter).toEqual({
      kind: 'lambda',
      messageId: '8d9e0f1a-4444-4b2c-8d3e-4f5a6b7c8d9e',
      receiptHandle: 'AQEB-lambda-on-failure',
      sentAt: '2026-03-03T09:06:41.000Z',
      event: record.requestPayload,
      functionArn: functionArn('SparrausStateless-SelectionNotifyApplicant-Pq9Rs8Tu7Vw6:$LATEST'),
      error: 'ConditionalCheckFailedException: The conditional request failed (RetriesExhausted after 3 attempts)',
    });
    expect(describeEvent(letter)).toBe('ApplicationAccepted (sparraus.selection, event 7b8c9d0e-3333-4f1a-9b2c-3d4e5f6a7b8c)');
    expect(eventCatalogue.ApplicationAccepted.detail.safeParse(record.requestPayload.detail).success).toBe(true);
  });

  it('calls anything else unknown and says why, keeping the body', () => {
    expect(parseDeadLetter(fixture('not-a-dead-letter'))).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('neither'),
      body: fixture('not-a-dead-letter').Body,
    });
    expect(parseDeadLetter({ MessageId: 'm', ReceiptHandle: 'r', Body: 'not json' })).toMatchObject({
      kind: 'unknown',
      reason: 'the body is not JSON',
    });
    // The attributes of an EventBridge dead letter on a body that is no event.
    const noEvent = { ...fixture('eventbridge-to-function'), Body: JSON.stringify({ detail: {} }) };
    expect(parseDeadLetter(noEvent)).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('no EventBridge event') });
    // An invocation record without its payload cannot be replayed.
    const record = bodyOf('lambda-on-failure');
    delete record.requestPayload;
    expect(parseDeadLetter({ ...fixture('lambda-on-failure'), Body: JSON.stringify(record) })).toMatchObject({ kind: 'unknown' });
  });
});

describe('invocationsFor', () => {
  it('invokes the target function of an EventBridge dead letter, and the function of a Lambda record, with the original event', async () => {
    expect(await invocationsFor(parseDeadLetter(fixture('eventbridge-to-function')), clients, topology)).toEqual([
      { functionArn: sendConfirmation, event: bodyOf('eventbridge-to-function') },
    ]);
    expect(await invocationsFor(parseDeadLetter(fixture('lambda-on-failure')), clients, topology)).toEqual([
      {
        functionArn: functionArn('SparrausStateless-SelectionNotifyApplicant-Pq9Rs8Tu7Vw6:$LATEST'),
        event: bodyOf('lambda-on-failure').requestPayload,
      },
    ]);
    expect(events.calls()).toHaveLength(0);
  });

  it("delivers a forwarder's dead letter to the functions of the rules on the sparraus bus that EventBridge says match", async () => {
    const bounce = bodyOf('eventbridge-to-bus');
    events.on(TestEventPatternCommand).callsFake((input) => ({
      Result: JSON.parse(input.EventPattern).source.includes(JSON.parse(input.Event).source),
    }));
    expect(await invocationsFor(parseDeadLetter(fixture('eventbridge-to-bus')), clients, topology)).toEqual([
      { functionArn: suppressBounced, event: bounce },
    ]);
    // Only the rules on the target bus were tested, each with the event as it was.
    const tested = events.commandCalls(TestEventPatternCommand).map((c) => c.args[0].input);
    expect(tested).toEqual([
      { EventPattern: topology.rules[0]!.eventPattern, Event: JSON.stringify(bounce) },
      { EventPattern: topology.rules[1]!.eventPattern, Event: JSON.stringify(bounce) },
    ]);
  });

  it('refuses what it cannot replay: an unknown message, an event no rule matches', async () => {
    await expect(invocationsFor(parseDeadLetter(fixture('not-a-dead-letter')), clients, topology)).rejects.toThrow(
      /cannot replay/,
    );
    events.on(TestEventPatternCommand).resolves({ Result: false });
    await expect(invocationsFor(parseDeadLetter(fixture('eventbridge-to-bus')), clients, topology)).rejects.toThrow(
      /no rule of ours/,
    );
  });
});

describe('discover', () => {
  it("finds the stack's rules on both buses (by name prefix, every page) and the dead-letter queues their targets name", async () => {
    events
      .on(ListRulesCommand, { EventBusName: eventBusName })
      .resolvesOnce({
        Rules: [{ Name: ruleName('SendApplicationConfirmation'), EventPattern: '{"source":["sparraus.intake"]}' }],
        NextToken: 'page2',
      })
      .resolvesOnce({ Rules: [{ Name: ruleName('SuppressBouncedAddresses'), EventPattern: '{"source":["aws.ses"]}' }] });
    events.on(ListRulesCommand, { EventBusName: 'default' }).resolves({
      Rules: [{ Name: forwardRuleName('SuppressBouncedAddresses'), EventPattern: '{"source":["aws.ses"]}' }],
    });
    const targets: Record<string, { Arn: string; DeadLetterConfig?: { Arn: string } }> = {
      [ruleName('SendApplicationConfirmation')]: {
        Arn: sendConfirmation,
        DeadLetterConfig: { Arn: queueArn('B-SendDeadLetters') },
      },
      [ruleName('SuppressBouncedAddresses')]: {
        Arn: suppressBounced,
        DeadLetterConfig: { Arn: queueArn('C-SuppressDeadLetters') },
      },
      [forwardRuleName('SuppressBouncedAddresses')]: { Arn: busArn, DeadLetterConfig: { Arn: queueArn('A-ForwardDeadLetters') } },
    };
    events.on(ListTargetsByRuleCommand).callsFake((input) => ({ Targets: [{ Id: 'Target0', ...targets[input.Rule]! }] }));

    const found = await discover(clients);
    expect(events.commandCalls(ListRulesCommand).map((c) => c.args[0].input)).toEqual([
      { EventBusName: eventBusName, NamePrefix: 'sparraus-', NextToken: undefined },
      { EventBusName: eventBusName, NamePrefix: 'sparraus-', NextToken: 'page2' },
      { EventBusName: 'default', NamePrefix: 'sparraus-', NextToken: undefined },
    ]);
    expect(found.rules.map((r) => [r.name, r.bus])).toEqual([
      [ruleName('SendApplicationConfirmation'), eventBusName],
      [ruleName('SuppressBouncedAddresses'), eventBusName],
      [forwardRuleName('SuppressBouncedAddresses'), 'default'],
    ]);
    expect(found.queues).toEqual([
      {
        arn: queueArn('A-ForwardDeadLetters'),
        name: 'A-ForwardDeadLetters',
        feeds: [`${forwardRuleName('SuppressBouncedAddresses')} (default bus) -> ${busArn}`],
      },
      {
        arn: queueArn('B-SendDeadLetters'),
        name: 'B-SendDeadLetters',
        feeds: [`${ruleName('SendApplicationConfirmation')} (${eventBusName} bus) -> ${sendConfirmation}`],
      },
      {
        arn: queueArn('C-SuppressDeadLetters'),
        name: 'C-SuppressDeadLetters',
        feeds: [`${ruleName('SuppressBouncedAddresses')} (${eventBusName} bus) -> ${suppressBounced}`],
      },
    ]);
  });
});

describe('replayQueue', () => {
  const url = `https://sqs.${region}.amazonaws.com/${account}/SendConfirmationDeadLetters`;
  const letters = ['eventbridge-to-function', 'lambda-on-failure', 'not-a-dead-letter'].map(fixture);
  const receiving = () =>
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: letters.slice(0, 2) })
      .resolvesOnce({ Messages: letters.slice(2) })
      .resolves({});
  const invoked = () =>
    lambda.commandCalls(InvokeCommand).map((c) => {
      const { FunctionName, InvocationType, Payload } = c.args[0].input;
      return { FunctionName, InvocationType, event: JSON.parse(new TextDecoder().decode(Payload as Uint8Array)) };
    });
  const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle);
  const released = () =>
    sqs
      .commandCalls(ChangeMessageVisibilityCommand)
      .map((c) => [c.args[0].input.ReceiptHandle, c.args[0].input.VisibilityTimeout]);

  it('invokes each failed function asynchronously with its event, deletes what was accepted, and releases the rest at once', async () => {
    receiving();
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const outcomes = await replayQueue(clients, url, topology, { max: 100 });

    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({
      QueueUrl: url,
      MessageAttributeNames: ['All'],
      MessageSystemAttributeNames: ['SentTimestamp'],
    });
    expect(invoked()).toEqual([
      { FunctionName: sendConfirmation, InvocationType: 'Event', event: bodyOf('eventbridge-to-function') },
      {
        FunctionName: functionArn('SparrausStateless-SelectionNotifyApplicant-Pq9Rs8Tu7Vw6:$LATEST'),
        InvocationType: 'Event',
        event: bodyOf('lambda-on-failure').requestPayload,
      },
    ]);
    expect(deleted()).toEqual(['AQEB-eventbridge-to-function', 'AQEB-lambda-on-failure']);
    expect(released()).toEqual([['AQEB-not-a-dead-letter', 0]]);
    expect(outcomes.map((o) => [o.letter.messageId, o.kept === undefined])).toEqual([
      [letters[0]!.MessageId, true],
      [letters[1]!.MessageId, true],
      [letters[2]!.MessageId, false],
    ]);
  });

  it('keeps a letter whose invoke is refused or fails', async () => {
    receiving();
    lambda
      .on(InvokeCommand)
      .rejectsOnce(new Error('Rate Exceeded.'))
      .resolvesOnce({ StatusCode: 500 })
      .resolves({ StatusCode: 202 });
    const outcomes = await replayQueue(clients, url, topology, { max: 100 });
    expect(outcomes.map((o) => o.kept)).toEqual([
      'Rate Exceeded.',
      expect.stringContaining('status 500'),
      expect.stringContaining('cannot replay'),
    ]);
    expect(deleted()).toEqual([]);
    expect(released().map(([handle]) => handle)).toEqual(letters.map((l) => l.ReceiptHandle));
  });

  it('on a dry run invokes and deletes nothing, and stops at --max', async () => {
    receiving();
    const outcomes = await replayQueue(clients, url, topology, { max: 2, dryRun: true });
    // One receive for two, and no more: the third letter is not read.
    expect(sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input.MaxNumberOfMessages)).toEqual([2]);
    expect(outcomes.map((o) => [o.invoked, o.kept])).toEqual([
      [[sendConfirmation], 'dry run'],
      [[functionArn('SparrausStateless-SelectionNotifyApplicant-Pq9Rs8Tu7Vw6:$LATEST')], 'dry run'],
    ]);
    expect(lambda.calls()).toHaveLength(0);
    expect(deleted()).toEqual([]);
    expect(released()).toHaveLength(2);
  });
});
