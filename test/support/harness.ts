// What an integration test of handlers needs: a table of its own on the run's DynamoDB Local, a local
// event bus routing by the wiring table to the real handlers, and the handler environment pointing at both.
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { dynamo } from '../../functions/shared/aws.js';
import { applyEnvironment } from '../../local/aws-env.js';
import { startEventBus, type EventBusOptions, type LocalEventBus } from '../../local/event-bus.js';
import { createIsolatedTable } from '../../local/testing.js';

export interface Harness {
  tableName: string;
  bus: LocalEventBus;
  /** Stops the bus and puts the environment back. */
  stop(): Promise<void>;
}

export async function startHarness(
  prefix: string,
  options: { retry?: EventBusOptions['retry']; env?: Record<string, string> } = {},
): Promise<Harness> {
  const tableName = await createIsolatedTable(prefix);
  const bus = await startEventBus({ port: 0, retry: options.retry ?? { attempts: 3, baseDelayMs: 5 } });
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
    async stop() {
      await bus.stop();
      restore();
    },
  };
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
