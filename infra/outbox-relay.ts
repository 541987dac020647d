// The outbox relay, defined once: which stream records are events and how each becomes a bus event.
// On AWS an EventBridge Pipe reads the table's stream with exactly this filter and target mapping
// (infra/stateful-stack.ts); locally local/stream-relay.ts reads DynamoDB Local's stream and applies
// the same definition; test/infra checks that the synthesized pipe says what this file says.
import { eventItemType } from '../functions/shared/keys.js';

const image = '$.dynamodb.NewImage';

export const outboxRelay = {
  /** The stream carries new images only: an event item is written once and never changed. */
  streamViewType: 'NEW_IMAGE',
  /** Only newly written event items; every other item of the table stays off the bus. */
  filterPattern: {
    eventName: ['INSERT'],
    dynamodb: { NewImage: { type: { S: [eventItemType] } } },
  },
  target: {
    /** DetailType and Source are taken from the item (dynamic path parameters of the pipe's target). */
    detailType: `${image}.detailType.S`,
    source: `${image}.source.S`,
    /**
     * The bus event's detail (schemas/events/stored.ts RelayedEventDetail). Quoted paths insert
     * strings; unquoted ones insert the attribute maps as they are (functions/shared/events.ts
     * turns them back into JSON).
     */
    inputTemplate:
      `{"format": "sparraus.outbox/1", "eventId": "<${image}.eventId.S>", "at": "<${image}.at.S>", ` +
      `"correlationId": "<${image}.correlationId.S>", "by": <${image}.by.M>, "detail": <${image}.detail.M>}`,
  },
  source: {
    /** Records read per batch; each becomes one PutEvents entry. */
    batchSize: 10,
    startingPosition: 'TRIM_HORIZON',
    /** A record the bus keeps refusing goes to the pipe's dead-letter queue after this many tries. */
    maximumRetryAttempts: 10,
  },
} as const;
