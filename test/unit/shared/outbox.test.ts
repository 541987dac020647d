// The outbox's pure parts: an event's subject, its stored form (validated, stamped) and its table item and transaction part.
import { describe, expect, it } from 'vitest';
import { withActor } from '../../../functions/shared/actor.js';
import { withCorrelation } from '../../../functions/shared/correlation.js';
import { historyKeys } from '../../../functions/shared/keys.js';
import { event, eventItem, eventParts, historySubject, storedEvents } from '../../../functions/shared/outbox.js';
import { StoredEvent } from '../../../schemas/events/stored.js';

const at = '2027-03-01T07:00:00.000Z';
const received = event('ApplicationReceived', {
  applicationId: 'app-1',
  roundId: 'round-1',
  municipalityCode: '091',
  language: 'fi',
  receivedAt: at,
});

describe('historySubject', () => {
  it('files an event under the most specific aggregate it names: engagement > webinar > application > round', () => {
    const all = { engagementId: 'e', webinarId: 'w', applicationId: 'a', roundId: 'r' };
    expect(historySubject(all)).toEqual({ subject: 'engagement', subjectId: 'e' });
    expect(historySubject({ ...all, engagementId: undefined })).toEqual({ subject: 'webinar', subjectId: 'w' });
    expect(historySubject({ applicationId: 'a', roundId: 'r' })).toEqual({ subject: 'application', subjectId: 'a' });
    expect(historySubject({ roundId: 'r' })).toEqual({ subject: 'round', subjectId: 'r' });
  });

  it('refuses an event that names none of them, and ignores ids that are not strings', () => {
    expect(() => historySubject({ meetingId: 'm' })).toThrow(/must name/);
    expect(historySubject({ engagementId: 7, roundId: 'r' })).toEqual({ subject: 'round', subjectId: 'r' });
  });
});

describe('storedEvents', () => {
  it('validates each detail against the catalogue: a bad detail throws', () => {
    const bad = event('ApplicationReceived', { ...received.detail, municipalityCode: 'Helsinki' });
    expect(() => storedEvents([bad], at)).toThrow();
    expect(() => storedEvents([event('PlaceFreed', { roundId: 'r', reason: 'because' as 'withdrawn' })], at)).toThrow();
  });

  it('stamps the time, the actor of withActor and the correlation id of withCorrelation, the same on every event of the call', async () => {
    const stored = await withCorrelation('corr-1', () =>
      withActor({ role: 'coordinator', email: 'kaisa@example.fi' }, async () =>
        storedEvents([received, event('PlaceFreed', { roundId: 'round-1', reason: 'withdrawn' })], at),
      ),
    );
    expect(stored).toHaveLength(2);
    for (const s of stored) {
      expect(StoredEvent.parse(s)).toEqual(s);
      expect(s).toMatchObject({
        at,
        by: { role: 'coordinator', email: 'kaisa@example.fi' },
        correlationId: 'corr-1',
        roundId: 'round-1',
      });
    }
    expect(stored[0]).toMatchObject({
      detailType: 'ApplicationReceived',
      source: 'sparraus.intake',
      subject: 'application',
      subjectId: 'app-1',
      detail: received.detail,
    });
    expect(stored[1]).toMatchObject({ subject: 'round', subjectId: 'round-1' });
    expect(stored[0]!.eventId).not.toBe(stored[1]!.eventId);
  });

  it('is the system outside any withActor, with a correlation id of its own; roundId comes from the option when the detail lacks it', () => {
    const [stored] = storedEvents(
      [event('SessionLogged', { meetingId: 'm-1', engagementId: 'e-1', version: 1 } as never, { roundId: 'r-9' })],
      at,
    );
    expect(stored!.by).toEqual({ role: 'system' });
    expect(stored!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored!.roundId).toBe('r-9');
  });

  it('keeps times in UTC, so that the history sorts them as text', () => {
    const [stored] = storedEvents([received], '2027-03-01T09:00:00+02:00');
    expect(stored!.at).toBe(at);
  });
});

describe('eventItem', () => {
  it('keys the item per keys.ts, and puts it on the round index only when it has a round', () => {
    const [withRound] = storedEvents([received], at);
    const item = eventItem(withRound!, 3);
    const order = `${at}#03#${withRound!.eventId}`;
    expect(item).toMatchObject({
      pk: historyKeys.partition('application', 'app-1'),
      sk: `EVENT#${order}`,
      gsi1pk: 'HISTORY#ROUND#round-1',
      gsi1sk: order,
      type: 'event',
      eventId: withRound!.eventId,
      detailType: 'ApplicationReceived',
    });
    expect(item.pk).toBe('HISTORY#APPLICATION#app-1');

    const noRound = { ...withRound!, roundId: undefined };
    delete noRound.roundId;
    const bare = eventItem(noRound, 0);
    expect(bare).not.toHaveProperty('gsi1pk');
    expect(bare).not.toHaveProperty('gsi1sk');
  });
});

describe('eventParts', () => {
  it('names the parts event:<DetailType>, numbers them in order from the offset, and puts each only if new', () => {
    const parts = eventParts([received, event('PlaceFreed', { roundId: 'round-1', reason: 'withdrawn' })], {
      tableName: 'table-1',
      at,
      offset: 2,
    });
    expect(parts.map((p) => p.name)).toEqual(['event:ApplicationReceived', 'event:PlaceFreed']);
    const puts = parts.map((p) => p.item.Put!);
    expect(puts.map((p) => p.TableName)).toEqual(['table-1', 'table-1']);
    expect(puts.map((p) => String(p.Item!.sk).split('#')[2])).toEqual(['02', '03']);
    expect(puts.every((p) => p.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
    // In order: the sort keys of one transaction's events sort as they were given.
    const keys = puts.map((p) => String(p.Item!.gsi1sk));
    expect([...keys].sort()).toEqual(keys);
  });

  it('numbers from 00 without an offset', () => {
    const [only] = eventParts([received], { tableName: 't', at });
    expect(String(only!.item.Put!.Item!.sk)).toMatch(/^EVENT#2027-03-01T07:00:00.000Z#00#/);
  });
});
