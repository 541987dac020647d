// The history use case on in-memory ports: existence and access checks, paging through the cursor.
import { describe, expect, it } from 'vitest';
import { readHistory, type HistoryPorts } from '../../../functions/history/use-cases.js';
import type { HistoryReader } from '../../../functions/history/store.js';
import type { Caller } from '../../../functions/shared/http.js';
import { HistoryQuery } from '../../../schemas/api/history.js';
import type { StoredEvent } from '../../../schemas/events/stored.js';

const stored = (n: number, subjectId = 'app-1'): StoredEvent => ({
  eventId: `event-${n}`,
  detailType: 'ApplicationWaitlisted',
  source: 'sparraus.selection',
  detail: { applicationId: subjectId, roundId: 'round-1', position: n },
  at: `2027-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
  by: { role: 'system' },
  correlationId: `c-${n}`,
  subject: 'application',
  subjectId,
  roundId: 'round-1',
});

/** A history reader over a list, positioned as keys.ts positions events. */
function memoryHistory(events: StoredEvent[]): HistoryReader {
  const position = (e: StoredEvent) => `${e.at}#00#${e.eventId}`;
  return {
    async page(_subject, id, { after, limit }) {
      const mine = events.filter((e) => e.subjectId === id || e.roundId === id).filter((e) => !after || position(e) > after);
      const page = mine.slice(0, limit);
      return { events: page, ...(mine.length > limit ? { lastPosition: position(page.at(-1)!) } : {}) };
    },
  };
}

const ports = (events: StoredEvent[] = []): HistoryPorts => ({
  history: memoryHistory(events),
  subjects: {
    roundExists: async (id) => id === 'round-1',
    applicationExists: async (id) => id === 'app-1',
    webinarExists: async (id) => id === 'web-1',
    engagement: async (id) => (id === 'eng-1' ? { tutorId: 'tutor-1' } : id === 'eng-free' ? {} : undefined),
    tutorIdByEmail: async (email) => ({ 'tuuli@example.fi': 'tutor-1', 'toinen@example.fi': 'tutor-2' })[email],
  },
});
const coordinator: Caller = { role: 'coordinator', email: 'kaisa@example.fi', subject: 's' };
const tutor = (email: string): Caller => ({ role: 'tutor', email, subject: 's' });
const query = (q: Record<string, string> = {}) => HistoryQuery.parse(q);

describe('readHistory', () => {
  it('answers the events as entries, oldest first, and a next cursor that leads to the rest without gaps', async () => {
    const events = [1, 2, 3, 4, 5].map((n) => stored(n));
    const first = await readHistory(ports(events), coordinator, 'application', 'app-1', query({ limit: '2' }));
    expect(first.events.map((e) => e.eventId)).toEqual(['event-1', 'event-2']);
    expect(first.events[0]).toEqual({
      eventId: 'event-1',
      at: events[0]!.at,
      type: 'ApplicationWaitlisted',
      by: { role: 'system' },
      detail: events[0]!.detail,
      correlationId: 'c-1',
    });
    const seen = [...first.events];
    let next = first.next;
    while (next) {
      const page = await readHistory(ports(events), coordinator, 'application', 'app-1', query({ limit: '2', after: next }));
      seen.push(...page.events);
      next = page.next;
    }
    expect(seen.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
  });

  it('404s an unknown subject, for every kind', async () => {
    for (const subject of ['round', 'application', 'webinar', 'engagement'] as const) {
      await expect(readHistory(ports(), coordinator, subject, 'nope', query())).rejects.toMatchObject({ status: 404 });
    }
  });

  it('shows an engagement to its tutor and the coordinators only', async () => {
    await expect(readHistory(ports(), tutor('tuuli@example.fi'), 'engagement', 'eng-1', query())).resolves.toEqual({
      events: [],
    });
    await expect(readHistory(ports(), coordinator, 'engagement', 'eng-free', query())).resolves.toEqual({ events: [] });
    for (const caller of [tutor('toinen@example.fi'), tutor('stranger@example.fi'), tutor('')])
      await expect(readHistory(ports(), caller, 'engagement', 'eng-1', query())).rejects.toMatchObject({ status: 403 });
    await expect(readHistory(ports(), tutor('tuuli@example.fi'), 'engagement', 'eng-free', query())).rejects.toMatchObject({
      status: 403,
    });
  });

  it('keeps the coordinator histories from tutors and the public', async () => {
    for (const caller of [tutor('tuuli@example.fi'), { role: 'public' } as Caller])
      await expect(readHistory(ports(), caller, 'round', 'round-1', query())).rejects.toMatchObject({ status: 403 });
  });
});

describe('HistoryQuery', () => {
  it('defaults limit to 100, caps it at 500, and takes only cursors it issued', () => {
    expect(HistoryQuery.parse({})).toEqual({ limit: 100 });
    expect(HistoryQuery.safeParse({ limit: '501' }).success).toBe(false);
    expect(HistoryQuery.safeParse({ after: 'garbage' }).success).toBe(false);
    const cursor = Buffer.from('2027-01-01T00:00:01.000Z#00#event-1').toString('base64url');
    expect(HistoryQuery.parse({ after: cursor }).after).toBe('2027-01-01T00:00:01.000Z#00#event-1');
    expect(HistoryQuery.safeParse({ other: 'x' }).success).toBe(false);
  });
});
