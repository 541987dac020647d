// Receiving events from the bus, typed by the event catalogue. Nothing here publishes: commands write
// their events as items of their own transaction (outbox.ts) and the relay puts them on the bus.
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { eventCatalogue, type DetailType, type EventDetail } from '../../schemas/events/catalogue.js';
import { RelayedEventDetail } from '../../schemas/events/stored.js';
import { now } from './clock.js';
import { withCorrelation } from './correlation.js';
import { withLogKeys } from './logger.js';

export type DetailHandlers = {
  [T in DetailType]?: (detail: EventDetail<T>, event: EventBridgeEvent<T, unknown>) => Promise<void>;
};

/**
 * What a handler needs of a bus event, whichever way it came: relayed from an event item by the
 * table's stream (the outbox; `by` and `detail` arrive as DynamoDB attribute maps) or put on the bus
 * directly (AWS service events, and events from before the outbox).
 */
export function unwrapEvent(event: EventBridgeEvent<string, unknown>): {
  eventId: string;
  at: string;
  correlationId: string;
  detail: unknown;
} {
  const relayed = RelayedEventDetail.safeParse(event.detail);
  if (relayed.success) {
    const { eventId, at, correlationId, detail } = relayed.data;
    return { eventId, at, correlationId, detail: unmarshall(detail as never) };
  }
  const meta = (event.detail as { _meta?: { correlationId?: unknown } } | null)?._meta;
  return {
    eventId: event.id,
    at: event.time,
    correlationId: typeof meta?.correlationId === 'string' ? meta.correlationId : event.id,
    detail: event.detail,
  };
}

/**
 * Builds the Lambda handler for one or more event types. The detail is parsed with its contract;
 * any error propagates so that EventBridge (or the local bus) retries and finally dead-letters it.
 * The handler gets the event with its detail unwrapped, and `time` as the moment the event happened.
 */
export function eventHandlers(handlers: DetailHandlers) {
  return async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
    const detailType = event['detail-type'] as DetailType;
    const run = handlers[detailType] as
      ((detail: unknown, event: EventBridgeEvent<string, unknown>) => Promise<void>) | undefined;
    if (!run) throw new Error(`No handler here for ${event['detail-type']}: the wiring is wrong`);
    const unwrapped = unwrapEvent(event);
    const detail = eventCatalogue[detailType].detail.parse(unwrapped.detail);
    const plain = { ...event, id: unwrapped.eventId, time: unwrapped.at, detail: unwrapped.detail };
    await withCorrelation(unwrapped.correlationId, () =>
      withLogKeys({ eventId: unwrapped.eventId, detailType }, () => run(detail, plain)),
    );
  };
}

/** Builds the Lambda handler for a single event type. */
export function eventHandler<T extends DetailType>(
  detailType: T,
  run: (detail: EventDetail<T>, event: EventBridgeEvent<T, unknown>) => Promise<void>,
) {
  return eventHandlers({ [detailType]: run } as DetailHandlers);
}

/** Builds the Lambda handler for a schedule rule: the work reads the shared clock, not the event's time. */
export function scheduledHandler(run: (at: Date) => Promise<void>) {
  return async (event: ScheduledEvent): Promise<void> => {
    await withCorrelation(event?.id, () => run(now()));
  };
}
