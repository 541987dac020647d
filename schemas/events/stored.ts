// The event item: how one event is kept in the table, written in the same transaction as the state
// change it announces. The table's stream relays it to the bus (infra/outbox-relay.ts), and the
// history routes read it back as the audit trail. Ids and facts only: no personal data beyond the
// email of the staff member who acted.
import * as z from 'zod';
import { Id, IsoDateTime } from '../common.js';

/** Who caused a change: a member of staff (with their email), the public (a link holder), or the system itself. */
export const Actor = z.object({
  role: z.enum(['public', 'coordinator', 'tutor', 'admin', 'system']),
  email: z.email().optional(),
});
export type Actor = z.infer<typeof Actor>;

/** What an event's history is filed under: the most specific aggregate it speaks of. */
export const HistorySubject = z.enum(['round', 'application', 'engagement', 'webinar']);
export type HistorySubject = z.infer<typeof HistorySubject>;

export const StoredEvent = z.object({
  eventId: Id,
  detailType: z.string().min(1),
  source: z.string().min(1),
  /** The detail as validated against the event catalogue. */
  detail: z.record(z.string(), z.unknown()),
  at: IsoDateTime,
  by: Actor,
  correlationId: z.string().min(1),
  subject: HistorySubject,
  subjectId: Id,
  /** The round the event belongs to, where known: the round's history lists it and its retention erases it. */
  roundId: Id.optional(),
});
export type StoredEvent = z.infer<typeof StoredEvent>;

/**
 * The bus event's detail as the relay (the pipe's input template, and its local twin) builds it from
 * the event item's stream image. `by` and `detail` arrive as DynamoDB attribute maps, since a pipe's
 * input template copies the image as it is; functions/shared/events.ts turns them back into JSON.
 */
export const RelayedEventDetail = z.object({
  format: z.literal('sparraus.outbox/1'),
  eventId: Id,
  at: IsoDateTime,
  correlationId: z.string(),
  by: z.record(z.string(), z.unknown()),
  detail: z.record(z.string(), z.unknown()),
});
export type RelayedEventDetail = z.infer<typeof RelayedEventDetail>;
