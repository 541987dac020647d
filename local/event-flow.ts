// The local bus together with the outbox relay that feeds it from the table's stream: started,
// waited on and stopped as one, by the local stack (stack.ts) and by integration tests alike.
import { startEventBus, type EventBusOptions, type LocalEventBus } from './event-bus.js';
import { startStreamRelay, type StreamRelay, type StreamRelayOptions } from './stream-relay.js';

export interface EventFlowOptions extends EventBusOptions {
  dynamoEndpoint: string;
  tableName: string;
  relay?: Pick<StreamRelayOptions, 'pollIntervalMs' | 'retry'> & {
    /** Where the relay reaches DynamoDB's stream and the bus (the fault proxies); default: directly. */
    dynamoEndpoint?: string;
    eventsEndpoint?: string;
  };
}

export interface EventFlow {
  bus: LocalEventBus;
  relay: StreamRelay;
  /**
   * Resolves once every event item written so far is on the bus and handled, including the events
   * those handlers wrote in turn (or once the relay reports the bus refusing: see relay.lastProblem).
   */
  settled(): Promise<void>;
  /** Stops the relay, then the bus. Idempotent. */
  stop(): Promise<void>;
}

export async function startEventFlow(options: EventFlowOptions): Promise<EventFlow> {
  const { dynamoEndpoint, tableName, relay: relayOptions, ...busOptions } = options;
  const bus = await startEventBus(busOptions);
  let relay: StreamRelay;
  try {
    relay = await startStreamRelay({
      tableName,
      eventBusName: bus.busName,
      ...(busOptions.dataDir ? { dataDir: busOptions.dataDir } : {}),
      ...relayOptions,
      dynamoEndpoint: relayOptions?.dynamoEndpoint ?? dynamoEndpoint,
      eventsEndpoint: relayOptions?.eventsEndpoint ?? bus.url,
    });
  } catch (error) {
    await bus.stop();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    bus,
    relay,
    settled: () => settle(bus, relay),
    stop() {
      stopping ??= (async () => {
        await relay.stop();
        await bus.stop();
      })();
      return stopping;
    },
  };
}

/** Until a read of the stream relays nothing new while the bus is idle. */
export async function settle(bus: LocalEventBus, relay?: StreamRelay): Promise<void> {
  for (;;) {
    await bus.idle();
    if (!relay) return;
    const before = relay.relayed();
    await relay.drained();
    if (relay.relayed() === before) return;
  }
}
