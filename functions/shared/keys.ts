// The table's key registry: every item kind's keys, in one place, so that no two aggregates can
// collide and a reader finds what a writer wrote. (Capabilities move their key builders here as
// their stores are reworked; until then some still live beside their stores.)
import type { HistorySubject } from '../../schemas/events/stored.js';

/**
 * Event items (the outbox and the audit trail). One item per event, filed under its subject:
 *   pk HISTORY#<SUBJECT>#<id>   sk EVENT#<at>#<nn>#<eventId>   (nn: the event's place in its transaction)
 *   gsi1pk HISTORY#ROUND#<roundId>  gsi1sk <at>#<nn>#<eventId>  (every event of a round, its own included)
 * Sorting by time first gives each history in the order things happened.
 */
export const historyKeys = {
  partition: (subject: HistorySubject, id: string) => `HISTORY#${subject.toUpperCase()}#${id}`,
  roundPartition: (roundId: string) => `HISTORY#ROUND#${roundId}`,
  sortPrefix: 'EVENT#',
  order: (at: string, index: number, eventId: string) => `${at}#${String(index).padStart(2, '0')}#${eventId}`,
};

/** The `type` attribute that marks an event item; the relay's filter takes exactly these. */
export const eventItemType = 'event';
