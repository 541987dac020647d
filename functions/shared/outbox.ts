// The transactional outbox: a command's events become items of the same DynamoDB transaction as its
// state change, so both commit or neither does. Nothing calls PutEvents after a write: the table's
// stream carries each new event item to the bus (infra/outbox-relay.ts says how, for AWS and locally).
import { randomUUID } from 'node:crypto';
import { eventCatalogue, type DetailType, type EventDetail } from '../../schemas/events/catalogue.js';
import type { HistorySubject, StoredEvent } from '../../schemas/events/stored.js';
import { currentActor } from './actor.js';
import { nowIso } from './clock.js';
import { config } from './config.js';
import { correlationId } from './correlation.js';
import { eventItemType, historyKeys } from './keys.js';
import { part, type TransactPart } from './transactions.js';

/** An event a use case decided on, not yet written. */
export interface PendingEvent<T extends DetailType = DetailType> {
  readonly detailType: T;
  readonly detail: EventDetail<T>;
  /** The round, for events whose detail does not name it (meetings): its history and retention take them. */
  readonly roundId?: string;
}

/** Declares an event; its detail is checked against the catalogue when it is written. */
export function event<T extends DetailType>(
  detailType: T,
  detail: EventDetail<T>,
  options: { roundId?: string } = {},
): PendingEvent<T> {
  return { detailType, detail, ...(options.roundId ? { roundId: options.roundId } : {}) };
}

/** An event's subject: the most specific aggregate its detail names. */
export function historySubject(detail: Record<string, unknown>): { subject: HistorySubject; subjectId: string } {
  const pick = (subject: HistorySubject, field: string) =>
    typeof detail[field] === 'string' ? { subject, subjectId: detail[field] as string } : undefined;
  const found =
    pick('engagement', 'engagementId') ??
    pick('webinar', 'webinarId') ??
    pick('application', 'applicationId') ??
    pick('round', 'roundId');
  if (!found) throw new Error('An event must name its engagement, webinar, application or round');
  return found;
}

/** The stored form of each event, stamped with the time, the actor and the correlation id of this invocation. */
export function storedEvents(events: readonly PendingEvent[], at: string = nowIso()): StoredEvent[] {
  // In UTC whatever offset the caller gave: the history's sort keys compare times as text.
  const utc = new Date(at).toISOString();
  const by = currentActor();
  const correlation = correlationId() ?? randomUUID();
  return events.map(({ detailType, detail, roundId }) => {
    const entry = eventCatalogue[detailType];
    const parsed = entry.detail.parse(detail) as Record<string, unknown>;
    const round = roundId ?? (typeof parsed.roundId === 'string' ? parsed.roundId : undefined);
    return {
      eventId: randomUUID(),
      detailType,
      source: entry.source,
      detail: parsed,
      at: utc,
      by,
      correlationId: correlation,
      ...historySubject(parsed),
      ...(round ? { roundId: round } : {}),
    };
  });
}

/** The table item of a stored event (see historyKeys). */
export function eventItem(stored: StoredEvent, index: number) {
  const order = historyKeys.order(stored.at, index, stored.eventId);
  return {
    pk: historyKeys.partition(stored.subject, stored.subjectId),
    sk: `${historyKeys.sortPrefix}${order}`,
    ...(stored.roundId ? { gsi1pk: historyKeys.roundPartition(stored.roundId), gsi1sk: order } : {}),
    type: eventItemType,
    ...stored,
  };
}

/**
 * Transaction parts that write the events (named `event:<DetailType>`), to be given to `transact`
 * together with the state change's own parts. `offset` numbers them after events already in the
 * same transaction.
 */
export function eventParts(
  events: readonly PendingEvent[],
  options: { tableName?: string; at?: string; offset?: number } = {},
): TransactPart[] {
  const tableName = options.tableName ?? config.tableName();
  return storedEvents(events, options.at).map((stored, i) =>
    part(`event:${stored.detailType}`, {
      Put: {
        TableName: tableName,
        Item: eventItem(stored, (options.offset ?? 0) + i),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
  );
}
