// What an integration test of handlers needs: a table of its own on the run's DynamoDB Local, a local
// event bus routing by the wiring table to the real handlers, the outbox relay from the table's
// stream to that bus, and the handler environment pointing at them.
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../local/stack.js';
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { dynamo } from '../../functions/shared/aws.js';
import { applyEnvironment } from '../../local/aws-env.js';
import type { EventBusOptions, LocalEventBus } from '../../local/event-bus.js';
import { startEventFlow, type EventFlow } from '../../local/event-flow.js';
import { createIsolatedTable } from '../../local/testing.js';

export interface Harness {
  tableName: string;
  bus: LocalEventBus;
  relay: EventFlow['relay'];
  /** Resolves once every event written so far is relayed and handled, and what those handlers wrote too. */
  settled(): Promise<void>;
  /** Stops the relay and the bus and puts the environment back. */
  stop(): Promise<void>;
}

export async function startHarness(
  prefix: string,
  options: { retry?: EventBusOptions['retry']; env?: Record<string, string> } = {},
): Promise<Harness> {
  const tableName = await createIsolatedTable(prefix);
  const flow = await startIsolatedEventFlow(tableName, { retry: options.retry ?? { attempts: 3, baseDelayMs: 5 } });
  const { bus } = flow;
  const restore = applyEnvironment({
    TABLE_NAME: tableName,
    EVENT_BUS_NAME: bus.busName,
    EMAIL_FROM: 'no-reply@sparraus.local',
    PUBLIC_URL: 'http://localhost:3000',
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
    ...options.env,
  });
  return {
    tableName,
    bus,
    relay: flow.relay,
    settled: flow.settled,
    async stop() {
      await flow.stop();
      restore();
    },
  };
}

/** The bus and relay of one test table, on the run's DynamoDB Local. */
export function startIsolatedEventFlow(tableName: string, options: Omit<EventBusOptions, 'port'> = {}): Promise<EventFlow> {
  const dynamoEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  if (!dynamoEndpoint) throw new Error('AWS_ENDPOINT_URL_DYNAMODB is not set: run tests with vitest (test/global-setup.ts)');
  return startEventFlow({ port: 0, dynamoEndpoint, tableName, ...options });
}

/** How many items a table holds: tests compare it before and after a refused request ("nothing written"). */
export async function countItems(tableName: string): Promise<number> {
  let count = 0;
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey }));
    count += page.Count ?? 0;
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
}

/**
 * The whole local stack for an end-to-end test: on the run's DynamoDB Local and SES emulator, a table
 * of its own (`<prefix>-<random>`), free ports, in memory, schedules only on POST /dev/clock, quiet.
 */
export function startTestStack(prefix: string, options: Partial<LocalStackOptions> = {}): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    eventsPort: 0,
    dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB!,
    sesEndpoint: process.env.AWS_ENDPOINT_URL_SESV2!,
    dataDir: null,
    tableName: `${prefix}-${Math.random().toString(36).slice(2, 10)}`,
    manualSchedules: true,
    retry: { attempts: 3, baseDelayMs: 20 },
    quiet: true,
    ...options,
  });
}
