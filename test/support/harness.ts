// What an integration test of handlers needs: a table of its own on the run's DynamoDB Local, a local
// event bus routing by the wiring table to the real handlers, and the handler environment pointing at both.
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
