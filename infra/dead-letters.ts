// Dead letters of the deployed stack, for infra/replay-dead-letters.ts: finds the dead-letter queues
// through the stack's EventBridge rules, reads the two shapes of message that end in them, and
// re-drives each by invoking the function that failed with the event it failed on.
//
// Two shapes reach a handler's queue (infra/capability-stack.ts gives each one queue for both):
// - EventBridge could not deliver to the target: the body is the event itself; message attributes
//   name the rule and target (RULE_ARN, TARGET_ARN) and why (ERROR_CODE, ERROR_MESSAGE, ...).
// - Lambda ran the function asynchronously and it kept failing: the body is an invocation record,
//   `{ requestContext: { functionArn, condition, ... }, requestPayload: <the event>, responsePayload }`.
// A forwarder's queue holds the first shape with the sparraus bus as target.
//
// Replaying invokes the failed function (asynchronously, as EventBridge does) instead of putting the
// event on the bus again: a new PutEvents would also reach every other rule the event matches (their
// handlers already ran, so twice: another email), gets a new event id, and is refused for AWS sources
// (aws.ses, aws.events) anyway. A replay that fails again ends in the same queue.
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import {
  ListRulesCommand,
  ListTargetsByRuleCommand,
  TestEventPatternCommand,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { eventBusName, rulePrefix } from './names.js';

export interface Clients {
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
  readonly lambda: LambdaClient;
}

// --- Message shapes --------------------------------------------------------------------------

/** The fields of an EventBridge event that a dead letter is told apart by; the rest is kept as is. */
const DeliveredEvent = z.looseObject({ id: z.string(), source: z.string(), 'detail-type': z.string() });
export type DeliveredEvent = z.infer<typeof DeliveredEvent>;

/** Lambda's record of an asynchronous invocation that failed (its on-failure destination message). */
const InvocationRecord = z.looseObject({
  timestamp: z.string().optional(),
  requestContext: z.looseObject({
    requestId: z.string().optional(),
    functionArn: z.string(),
    condition: z.string(),
    approximateInvokeCount: z.number().optional(),
  }),
  requestPayload: z.unknown(),
  responsePayload: z.unknown().optional(),
});

interface Received {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** When the message reached the queue (ISO), if SQS said. */
  readonly sentAt?: string;
}

/** What a dead-letter queue message is. */
export type DeadLetter =
  | (Received & {
      readonly kind: 'eventbridge';
      readonly event: DeliveredEvent;
      readonly ruleArn?: string;
      /** The function or event bus EventBridge could not deliver to. */
      readonly targetArn: string;
      readonly error: string;
    })
  | (Received & {
      readonly kind: 'lambda';
      /** The event the function was invoked with (`requestPayload`). */
      readonly event: unknown;
      readonly functionArn: string;
      readonly error: string;
    })
  | (Received & { readonly kind: 'unknown'; readonly reason: string; readonly body: string });

/** Reads one message as ReceiveMessage returns it (with `MessageAttributeNames: ['All']`). */
export function parseDeadLetter(message: Message): DeadLetter {
  const sentTimestamp = Number(message.Attributes?.SentTimestamp);
  const received: Received = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    ...(Number.isFinite(sentTimestamp) && sentTimestamp > 0 ? { sentAt: new Date(sentTimestamp).toISOString() } : {}),
  };
  const body = message.Body ?? '';
  const unknown = (reason: string): DeadLetter => ({ ...received, kind: 'unknown', reason, body });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return unknown('the body is not JSON');
  }

  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const targetArn = attribute('TARGET_ARN');
  if (targetArn !== undefined) {
    const event = DeliveredEvent.safeParse(json);
    if (!event.success) return unknown('TARGET_ARN is set, but the body is no EventBridge event');
    const code = attribute('ERROR_CODE');
    const retries = attribute('RETRY_ATTEMPTS');
    const exhausted = attribute('EXHAUSTED_RETRY_CONDITION');
    const error = [
      code && `${code}:`,
      attribute('ERROR_MESSAGE') ?? 'no error message',
      retries !== undefined && `(after ${retries} retries${exhausted ? `, ${exhausted} reached` : ''})`,
    ]
      .filter(Boolean)
      .join(' ');
    const ruleArn = attribute('RULE_ARN');
    // The event as it came (not zod's copy, which reorders keys): replayed byte for byte.
    const original = json as DeliveredEvent;
    return { ...received, kind: 'eventbridge', event: original, targetArn, error, ...(ruleArn ? { ruleArn } : {}) };
  }

  const record = InvocationRecord.safeParse(json);
  if (record.success && json !== null && typeof json === 'object' && 'requestPayload' in json) {
    const { requestContext, responsePayload } = record.data;
    const failure = z
      .looseObject({ errorType: z.string().optional(), errorMessage: z.string().optional() })
      .safeParse(responsePayload);
    const reason = failure.success ? [failure.data.errorType, failure.data.errorMessage].filter(Boolean).join(': ') : '';
    const attempts = requestContext.approximateInvokeCount;
    const error = `${reason || 'no error in the response'} (${requestContext.condition}${attempts ? ` after ${attempts} attempts` : ''})`;
    const event = (json as { requestPayload: unknown }).requestPayload;
    return { ...received, kind: 'lambda', event, functionArn: requestContext.functionArn, error };
  }
  return unknown('neither an EventBridge dead letter (no TARGET_ARN attribute) nor a Lambda invocation record');
}

/** The event a dead letter holds, in a line: `detail-type (source, event id)`. */
export function describeEvent(letter: DeadLetter): string {
  if (letter.kind === 'unknown') return `unreadable: ${letter.reason}`;
  const event = DeliveredEvent.safeParse(letter.event);
  return event.success
    ? `${event.data['detail-type']} (${event.data.source}, event ${event.data.id})`
    : 'a non-EventBridge payload';
}

const isFunctionArn = (arn: string) => /^arn:[^:]+:lambda:[^:]+:\d+:function:/.test(arn);
const busNameOf = (arn: string) => /^arn:[^:]+:events:[^:]+:\d+:event-bus\/(.+)$/.exec(arn)?.[1];

// --- Where dead letters come from --------------------------------------------------------------

export interface RuleInfo {
  readonly name: string;
  readonly bus: string;
  readonly eventPattern?: string;
  readonly targets: readonly { readonly arn: string; readonly deadLetterArn?: string }[];
}

export interface QueueInfo {
  readonly arn: string;
  readonly name: string;
  /** Rule targets that dead-letter here: `<rule> -> <target arn>`. */
  readonly feeds: readonly string[];
}

export interface Topology {
  readonly rules: readonly RuleInfo[];
  /** Every dead-letter queue a rule target names, sorted by name. */
  readonly queues: readonly QueueInfo[];
}

/**
 * The stack's rules (named `sparraus-…`, on the sparraus bus and the default bus) and the dead-letter
 * queues of their targets. A function's on-failure destination is the same queue as its targets'.
 */
export async function discover(clients: Clients, buses: readonly string[] = [eventBusName, 'default']): Promise<Topology> {
  const rules: RuleInfo[] = [];
  for (const bus of buses) {
    let nextToken: string | undefined;
    do {
      const page = await clients.events.send(
        new ListRulesCommand({ EventBusName: bus, NamePrefix: rulePrefix, NextToken: nextToken }),
      );
      for (const rule of page.Rules ?? []) {
        if (!rule.Name) continue;
        const targets: { arn: string; deadLetterArn?: string }[] = [];
        let targetToken: string | undefined;
        do {
          const t = await clients.events.send(
            new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: bus, NextToken: targetToken }),
          );
          for (const target of t.Targets ?? []) {
            if (target.Arn)
              targets.push({
                arn: target.Arn,
                ...(target.DeadLetterConfig?.Arn ? { deadLetterArn: target.DeadLetterConfig.Arn } : {}),
              });
          }
          targetToken = t.NextToken;
        } while (targetToken);
        rules.push({ name: rule.Name, bus, ...(rule.EventPattern ? { eventPattern: rule.EventPattern } : {}), targets });
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }

  const queues = new Map<string, { arn: string; name: string; feeds: string[] }>();
  for (const rule of rules) {
    for (const target of rule.targets) {
      if (!target.deadLetterArn) continue;
      const queue = queues.get(target.deadLetterArn) ?? {
        arn: target.deadLetterArn,
        name: target.deadLetterArn.split(':').at(-1)!,
        feeds: [],
      };
      queue.feeds.push(`${rule.name} (${rule.bus} bus) -> ${target.arn}`);
      queues.set(queue.arn, queue);
    }
  }
  return { rules, queues: [...queues.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Queue URL of a queue ARN (`arn:aws:sqs:<region>:<account>:<name>`). */
export async function queueUrl(clients: Clients, arn: string): Promise<string> {
  const [, , , , account, name] = arn.split(':');
  const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }));
  if (!QueueUrl) throw new Error(`No URL for queue ${arn}`);
  return QueueUrl;
}

export async function queueCounts(clients: Clients, url: string): Promise<{ waiting: number; inFlight: number }> {
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    waiting: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

// --- Replay ------------------------------------------------------------------------------------

export interface Invocation {
  readonly functionArn: string;
  readonly event: unknown;
}

/**
 * The invocations that re-drive a dead letter: the function that failed, with its event. A letter
 * whose target is an event bus (a forwarder's) goes to the functions of every rule on that bus whose
 * pattern matches the event, as the bus would have delivered it; EventBridge itself decides the match.
 */
export async function invocationsFor(letter: DeadLetter, clients: Clients, topology: Topology): Promise<Invocation[]> {
  switch (letter.kind) {
    case 'unknown':
      throw new Error(`cannot replay: ${letter.reason}`);
    case 'lambda':
      return [{ functionArn: letter.functionArn, event: letter.event }];
    case 'eventbridge': {
      if (isFunctionArn(letter.targetArn)) return [{ functionArn: letter.targetArn, event: letter.event }];
      const bus = busNameOf(letter.targetArn);
      if (bus === undefined) throw new Error(`cannot replay to ${letter.targetArn}: neither a function nor an event bus`);
      const invocations: Invocation[] = [];
      for (const rule of topology.rules.filter((r) => r.bus === bus && r.eventPattern)) {
        const { Result } = await clients.events.send(
          new TestEventPatternCommand({ EventPattern: rule.eventPattern, Event: JSON.stringify(letter.event) }),
        );
        if (!Result) continue;
        for (const target of rule.targets.filter((t) => isFunctionArn(t.arn))) {
          invocations.push({ functionArn: target.arn, event: letter.event });
        }
      }
      if (invocations.length === 0) throw new Error(`no rule of ours on the ${bus} bus matches this event`);
      return invocations;
    }
  }
}

export interface ReplayOutcome {
  readonly letter: DeadLetter;
  /** Functions invoked (or, on a dry run, that would be). */
  readonly invoked: readonly string[];
  /** Why the letter stays in the queue; undefined when it was replayed and deleted. */
  readonly kept?: string;
}

export interface ReadOptions {
  /** Stop after this many messages. */
  readonly max: number;
  /** How long received messages stay hidden while this run works on them. */
  readonly visibilitySeconds?: number;
}

/**
 * Every message of the queue, up to `max`, each received once. Afterwards, `release` makes the ones
 * not deleted visible again at once instead of after the visibility timeout.
 */
export async function receiveAll(
  clients: Clients,
  url: string,
  options: ReadOptions,
): Promise<{ messages: Message[]; release: (keep: readonly Message[]) => Promise<void> }> {
  const messages: Message[] = [];
  const seen = new Set<string>();
  while (messages.length < options.max) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(10, options.max - messages.length),
        WaitTimeSeconds: 1,
        VisibilityTimeout: options.visibilitySeconds ?? 120,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    const fresh = Messages.filter((m) => m.MessageId && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    for (const m of fresh) seen.add(m.MessageId!);
    messages.push(...fresh);
  }
  const release = async (keep: readonly Message[]) => {
    for (const m of keep) {
      await clients.sqs.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }),
      );
    }
  };
  return { messages, release };
}

/**
 * Replays up to `max` dead letters of one queue: each is deleted once every invocation it needs was
 * accepted (asynchronous invoke, status 202); anything else stays in the queue, visible again at once.
 */
export async function replayQueue(
  clients: Clients,
  url: string,
  topology: Topology,
  options: ReadOptions & { readonly dryRun?: boolean },
): Promise<ReplayOutcome[]> {
  const { messages, release } = await receiveAll(clients, url, options);
  const outcomes: ReplayOutcome[] = [];
  const keep: Message[] = [];
  for (const message of messages) {
    const letter = parseDeadLetter(message);
    const invoked: string[] = [];
    try {
      const invocations = await invocationsFor(letter, clients, topology);
      if (options.dryRun) {
        outcomes.push({ letter, invoked: invocations.map((i) => i.functionArn), kept: 'dry run' });
        keep.push(message);
        continue;
      }
      for (const { functionArn, event } of invocations) {
        const { StatusCode } = await clients.lambda.send(
          new InvokeCommand({
            FunctionName: functionArn,
            InvocationType: 'Event',
            Payload: new TextEncoder().encode(JSON.stringify(event)),
          }),
        );
        if (StatusCode !== 202) throw new Error(`${functionArn} answered the invoke with status ${StatusCode}`);
        invoked.push(functionArn);
      }
      await clients.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: letter.receiptHandle }));
      outcomes.push({ letter, invoked });
    } catch (error) {
      // With a part already invoked, the letter stays: replaying it again repeats that part.
      const partly = invoked.length ? ` (after invoking ${invoked.join(', ')})` : '';
      outcomes.push({ letter, invoked, kept: `${error instanceof Error ? error.message : String(error)}${partly}` });
      keep.push(message);
    }
  }
  await release(keep);
  return outcomes;
}
