// The audit trail's HTTP contract: paths, the paging query (an opaque cursor) and the answer.
import * as z from 'zod';
import { Id, IsoDateTime } from '../common.js';
import { Actor } from '../events/stored.js';

/** Where a page starts: the position (`<at>#<nn>#<eventId>`, see functions/shared/keys.ts) of the last event seen. */
const position = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z#\d{2,}#[A-Za-z0-9_-]{1,64}$/;

export const encodeHistoryCursor = (eventPosition: string) => Buffer.from(eventPosition, 'utf8').toString('base64url');

/** The opaque `after` cursor, decoded to the position it stands for; anything else is a bad request. */
export const HistoryCursor = z.string().transform((cursor, ctx) => {
  const decoded = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!position.test(decoded)) {
    ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned as `next`', params: { code: 'invalid_cursor' } });
    return z.NEVER;
  }
  return decoded;
});

export const HistoryQuery = z.strictObject({
  after: HistoryCursor.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const RoundHistoryPath = z.object({ roundId: Id });
export const ApplicationHistoryPath = z.object({ applicationId: Id });
export const WebinarHistoryPath = z.object({ webinarId: Id });
export const EngagementHistoryPath = z.object({ engagementId: Id });

export const HistoryEntry = z.object({
  eventId: Id,
  at: IsoDateTime,
  /** The event's detail-type (PascalCase, past tense). */
  type: z.string(),
  by: Actor,
  detail: z.record(z.string(), z.unknown()),
  /** Shared by every event one request caused. */
  correlationId: z.string(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const HistoryPage = z.object({
  /** Oldest first. */
  events: z.array(HistoryEntry),
  /** Pass as `after` for the next page; absent on the last page. */
  next: z.string().optional(),
});
export type HistoryPage = z.infer<typeof HistoryPage>;
