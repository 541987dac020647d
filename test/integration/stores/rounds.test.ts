// The round repository's contract, run against the in-memory fake and the DynamoDB store alike.
import { beforeAll, describe, expect, it } from 'vitest';
import { event } from '../../../functions/shared/outbox.js';
import { aRound } from '../../support/memory/rounds.js';
import { subjects, type Subject } from './subjects.js';

const hour = 3600_000;

describe.each(subjects)('RoundStore ($name)', ({ make }) => {
  let s: Subject;
  beforeAll(async () => {
    s = await make();
  });
  const now = () => new Date();

  it('stores a round once and reads it back; a second create is refused', async () => {
    const round = aRound();
    await s.rounds.create(round);
    expect(await s.rounds.get(round.roundId)).toEqual(round);
    await expect(s.rounds.create(round)).rejects.toThrow();
    expect(await s.rounds.get('no-such-round')).toBeUndefined();
  });

  it('lists rounds by opening time; openedBefore leaves out the rounds not yet open', async () => {
    const later = aRound({
      opensAt: new Date(Date.now() + 50 * 24 * hour).toISOString(),
      closesAt: new Date(Date.now() + 60 * 24 * hour).toISOString(),
    });
    const earlier = aRound({ opensAt: new Date(Date.now() - 50 * 24 * hour).toISOString() });
    await s.rounds.create(later);
    await s.rounds.create(earlier);
    const all = (await s.rounds.list()).map((r) => r.roundId);
    expect(all.indexOf(earlier.roundId)).toBeLessThan(all.indexOf(later.roundId));
    const open = (await s.rounds.list({ openedBefore: now().toISOString() })).map((r) => r.roundId);
    expect(open).toContain(earlier.roundId);
    expect(open).not.toContain(later.roundId);
  });

  it('changes a round while its window is open, removes nextRoundId on request, and refuses once closed or selected', async () => {
    const round = aRound({ nextRoundId: 'next' });
    await s.rounds.create(round);
    const updated = await s.rounds.update(
      round.roundId,
      { name: 'Syksy 2027', places: 5, removeNextRoundId: true },
      now().toISOString(),
    );
    expect(updated).toMatchObject({ name: 'Syksy 2027', places: 5 });
    expect(updated!.nextRoundId).toBeUndefined();
    expect(await s.rounds.update(round.roundId, { places: 6 }, new Date(Date.now() + 48 * hour).toISOString())).toBeUndefined();
    await s.rounds.claimSelection(round.roundId, { policy: 'first-come', startedAt: now().toISOString(), by: 'schedule' });
    expect(await s.rounds.update(round.roundId, { places: 7 }, now().toISOString())).toBeUndefined();
    expect((await s.rounds.get(round.roundId))!.places).toBe(5);
    expect(await s.rounds.update('no-such-round', { places: 7 }, now().toISOString())).toBeUndefined();
  });

  it('marks a round opened once, with its event once', async () => {
    const round = aRound();
    await s.rounds.create(round);
    const opened = [event('RoundOpened', { roundId: round.roundId, opensAt: round.opensAt, closesAt: round.closesAt })];
    const at = now().toISOString();
    expect(await s.rounds.markOpened(round.roundId, at, opened)).toBe(true);
    expect(await s.rounds.markOpened(round.roundId, at, opened)).toBe(false);
    expect((await s.rounds.get(round.roundId))!.openedAt).toBe(at);
    expect(await s.eventsOf(round.roundId)).toEqual(['RoundOpened']);
  });

  it('claims the selection once; closing now is refused once the window has closed; a completed round is not claimed', async () => {
    const round = aRound();
    await s.rounds.create(round);
    const selection = { policy: 'manual' as const, accept: ['a'], startedAt: now().toISOString(), by: 'kaisa@example.fi' };
    const closeNow = now();
    expect(await s.rounds.claimSelection(round.roundId, selection, closeNow)).toBe(true);
    expect(await s.rounds.claimSelection(round.roundId, selection, closeNow)).toBe(false);
    expect(await s.rounds.get(round.roundId)).toMatchObject({ selection, closesAt: closeNow.toISOString() });

    const closed = aRound({ closesAt: new Date(Date.now() - 1000).toISOString() });
    await s.rounds.create(closed);
    expect(await s.rounds.claimSelection(closed.roundId, selection, now())).toBe(false);
    expect(await s.rounds.claimSelection(closed.roundId, selection)).toBe(true);
    expect(await s.rounds.claimSelection('no-such-round', selection)).toBe(false);
  });

  it('finishes the selection and completes the round once each, only after a selection, with their events once', async () => {
    const round = aRound();
    await s.rounds.create(round);
    const done = [event('SelectionCompleted', { roundId: round.roundId, policy: 'first-come', accepted: 0, waitlisted: 0 })];
    const completed = [event('RoundCompleted', { roundId: round.roundId })];
    const at = now().toISOString();
    expect(await s.rounds.finishSelection(round.roundId, at, done)).toBe(false);
    expect(await s.rounds.complete(round.roundId, at, completed)).toBe(false);
    await s.rounds.claimSelection(round.roundId, { policy: 'first-come', startedAt: at, by: 'schedule' });
    expect(await s.rounds.finishSelection(round.roundId, at, done)).toBe(true);
    expect(await s.rounds.finishSelection(round.roundId, at, done)).toBe(false);
    expect(await s.rounds.complete(round.roundId, at, completed)).toBe(true);
    expect(await s.rounds.complete(round.roundId, at, completed)).toBe(false);
    expect(await s.rounds.get(round.roundId)).toMatchObject({ selectedAt: at, completedAt: at });
    expect(await s.eventsOf(round.roundId)).toEqual(['RoundCompleted', 'SelectionCompleted']);
  });

  it('keeps the first time personal data was erased', async () => {
    const round = aRound();
    await s.rounds.create(round);
    await s.rounds.markPersonalDataErased(round.roundId, '2027-01-01T00:00:00.000Z');
    await s.rounds.markPersonalDataErased(round.roundId, '2027-02-01T00:00:00.000Z');
    expect((await s.rounds.get(round.roundId))!.personalDataErasedAt).toBe('2027-01-01T00:00:00.000Z');
  });
});
