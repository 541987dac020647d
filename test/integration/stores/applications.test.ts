// The application repository's contract, run against the in-memory fake and the DynamoDB store alike:
// the one-per-municipality guard, `taken < places`, the status preconditions, the offer timers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Application, Offer } from '../../../schemas/stored/application.js';
import type { Round } from '../../../schemas/stored/round.js';
import { event } from '../../../functions/shared/outbox.js';
import { anApplication } from '../../support/memory/applications.js';
import { aRound } from '../../support/memory/rounds.js';
import { subjects, type Subject } from './subjects.js';

const hour = 3600_000;
const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
const unique = () => Math.random().toString(36).slice(2, 10);
const received = (a: Application) =>
  event('ApplicationReceived', {
    applicationId: a.applicationId,
    roundId: a.roundId,
    municipalityCode: a.municipality.code,
    language: a.language,
    receivedAt: a.receivedAt,
  });

describe.each(subjects)('ApplicationStore ($name)', ({ make }) => {
  let s: Subject;
  beforeAll(async () => {
    s = await make();
  });

  async function roundWith(codes: string[], overrides: Partial<Round> = {}) {
    const round = aRound(overrides);
    await s.rounds.create(round);
    const applications: Application[] = [];
    for (const [i, code] of codes.entries()) {
      const application = anApplication(round, code, {}, new Date(Date.now() - 1000 + i));
      expect((await s.applications.create(application, iso(), [received(application)])).outcome).toBe('created');
      applications.push(application);
    }
    return { round, applications };
  }
  const placeOffer = (expiresAt = iso(48 * hour)): Offer => ({ offerId: unique(), kind: 'place', expiresAt });

  it('stores one application per municipality: a second is a duplicate with the first, writing nothing', async () => {
    const { round, applications } = await roundWith(['091']);
    const again = anApplication(round, '091');
    const result = await s.applications.create(again, iso(), [received(again)]);
    expect(result).toEqual({ outcome: 'duplicate', application: applications[0] });
    expect(await s.applications.get(again.applicationId)).toBeUndefined();
    expect((await s.rounds.get(round.roundId))!.applications).toBe(1);
    expect(await s.eventsOf(round.roundId)).toEqual(['ApplicationReceived']);
    expect(await s.applications.findOf(round.roundId, '091')).toEqual(applications[0]);
    expect(await s.applications.findOf(round.roundId, '092')).toBeUndefined();
  });

  it('refuses an application when the window is not open: before it opens, after it closes, once selected', async () => {
    const scheduled = aRound({ opensAt: iso(hour), closesAt: iso(2 * hour) });
    const closed = aRound({ opensAt: iso(-2 * hour), closesAt: iso(-hour) });
    const selected = aRound({ selection: { policy: 'first-come', startedAt: iso(), by: 'schedule' } });
    for (const round of [scheduled, closed, selected]) {
      await s.rounds.create(round);
      const application = anApplication(round, '091');
      expect(await s.applications.create(application, iso(), [received(application)])).toEqual({ outcome: 'round-not-open' });
      expect(await s.eventsOf(round.roundId)).toEqual([]);
    }
    const missing = anApplication({ roundId: `missing-${unique()}` }, '091');
    expect(await s.applications.create(missing, iso(), [])).toEqual({ outcome: 'round-not-open' });
  });

  it('lists a round’s applications in order of arrival', async () => {
    const { round, applications } = await roundWith(['101', '102', '103']);
    expect((await s.applications.listOfRound(round.roundId)).map((a) => a.applicationId)).toEqual(
      applications.map((a) => a.applicationId),
    );
  });

  it('accepts while a place is free (taken < places), then answers full; a decided application is already-decided', async () => {
    const { round, applications } = await roundWith(['101', '102', '103'], { places: 2 });
    const [a, b, c] = applications as [Application, Application, Application];
    const accepted = (x: Application) => [
      event('ApplicationAccepted', { applicationId: x.applicationId, roundId: round.roundId, via: 'selection' }),
    ];
    expect(await s.applications.accept(a, iso(), accepted(a))).toBe('accepted');
    expect(await s.applications.accept(a, iso(), accepted(a))).toBe('already-decided');
    expect(await s.applications.accept(b, iso(), accepted(b))).toBe('accepted');
    expect(await s.applications.accept(c, iso(), accepted(c))).toBe('full');
    expect(await s.rounds.get(round.roundId)).toMatchObject({ taken: 2, accepted: 2 });
    expect((await s.applications.get(c.applicationId))!.status).toBe('received');
    expect(
      await s.applications.waitlist(c, 1, iso(), [
        event('ApplicationWaitlisted', { applicationId: c.applicationId, roundId: round.roundId, position: 1 }),
      ]),
    ).toBe(true);
    expect(await s.applications.waitlist(c, 2, iso(), [])).toBe(false);
    expect(await s.applications.get(c.applicationId)).toMatchObject({ status: 'waitlisted', rank: 1 });
    expect((await s.eventsOf(round.roundId)).filter((t) => t !== 'ApplicationReceived')).toEqual([
      'ApplicationAccepted',
      'ApplicationAccepted',
      'ApplicationWaitlisted',
    ]);
  });

  it('a withdrawal gives an accepted place back; withdrawing from a status it no longer has is refused', async () => {
    const { round, applications } = await roundWith(['101']);
    const [a] = applications as [Application];
    await s.applications.accept(a, iso(), []);
    const current = (await s.applications.get(a.applicationId))!;
    expect(await s.applications.withdraw(a, iso(), [])).toBe(false); // it is accepted now, not received
    expect(
      await s.applications.withdraw(current, iso(), [event('PlaceFreed', { roundId: round.roundId, reason: 'withdrawn' })]),
    ).toBe(true);
    expect(await s.applications.withdraw(current, iso(), [])).toBe(false);
    expect(await s.rounds.get(round.roundId)).toMatchObject({ taken: 0, accepted: 0 });
    expect((await s.applications.get(a.applicationId))!.status).toBe('withdrawn');
  });

  it('offers a free place to a waitlisted application once, with its timer; full when no place is free', async () => {
    const { round, applications } = await roundWith(['101', '102'], { places: 1, selectedAt: iso() });
    const [a, b] = applications as [Application, Application];
    await s.applications.waitlist(a, 1, iso(), []);
    await s.applications.waitlist(b, 2, iso(), []);
    const offer = placeOffer(iso(-1000));
    expect(await s.applications.offerPlace(a, offer, iso(), [])).toBe('offered');
    expect(await s.applications.offerPlace(b, placeOffer(), iso(), [])).toBe('full');
    expect(await s.rounds.get(round.roundId)).toMatchObject({ taken: 1 });
    expect(await s.applications.get(a.applicationId)).toMatchObject({ status: 'offered', offer });
    const due = await s.applications.dueTimers('place', iso());
    expect(due).toContainEqual({
      kind: 'place',
      dueAt: offer.expiresAt,
      applicationId: a.applicationId,
      roundId: round.roundId,
      offerId: offer.offerId,
    });
  });

  it('a place offer is accepted before its deadline, lapses only after it, and a settled offer is not settled again', async () => {
    const { round, applications } = await roundWith(['101', '102'], { places: 2 });
    const [a, b] = applications as [Application, Application];
    for (const [x, rank] of [
      [a, 1],
      [b, 2],
    ] as const)
      await s.applications.waitlist(x, rank, iso(), []);
    const open = placeOffer(iso(hour));
    const past = placeOffer(iso(-1000));
    await s.applications.offerPlace(a, open, iso(), []);
    await s.applications.offerPlace(b, past, iso(), []);
    const offeredA = (await s.applications.get(a.applicationId))!;
    const offeredB = (await s.applications.get(b.applicationId))!;
    expect(await s.applications.settlePlaceOffer(offeredA, open, 'lapse', iso(), [])).toBe(false);
    expect(await s.applications.settlePlaceOffer(offeredA, open, 'accept', iso(), [])).toBe(true);
    expect(await s.applications.settlePlaceOffer(offeredA, open, 'accept', iso(), [])).toBe(false);
    expect(await s.applications.settlePlaceOffer(offeredB, past, 'decline', iso(), [])).toBe(false);
    expect(await s.applications.settlePlaceOffer(offeredB, past, 'lapse', iso(), [])).toBe(true);
    expect(await s.rounds.get(round.roundId)).toMatchObject({ taken: 1, accepted: 1 });
    expect((await s.applications.get(a.applicationId))!).toMatchObject({ status: 'accepted' });
    expect((await s.applications.get(b.applicationId))!).toMatchObject({ status: 'declined' });
    const due = await s.applications.dueTimers('place', iso(2 * hour));
    expect(due.filter((t) => t.roundId === round.roundId)).toEqual([]);
  });

  it('carries a waitlisted application over to the next round once; the next round must still be open', async () => {
    const next = aRound();
    await s.rounds.create(next);
    const { round, applications } = await roundWith(['101', '102'], { nextRoundId: next.roundId });
    const [a, b] = applications as [Application, Application];
    await s.applications.waitlist(a, 1, iso(), []);
    await s.applications.waitlist(b, 2, iso(), []);
    const offer: Offer = { offerId: unique(), kind: 'carry-over', expiresAt: iso(hour), nextRoundId: next.roundId };
    expect(await s.applications.offerCarryOver(a, offer, [])).toBe(true);
    expect(await s.applications.offerCarryOver(a, offer, [])).toBe(false);
    const asked = (await s.applications.get(a.applicationId))!;
    const moved = {
      ...anApplication(next, '101'),
      priority: 1,
      carriedOverFrom: { roundId: round.roundId, applicationId: a.applicationId },
    };
    const target = { roundId: next.roundId, newApplication: moved };
    expect(await s.applications.carryOver(asked, offer, target, iso(), [])).toBe('carried-over');
    expect(await s.applications.carryOver(asked, offer, target, iso(), [])).toBe('offer-closed');
    expect(await s.applications.get(a.applicationId)).toMatchObject({
      status: 'carried-over',
      carriedOverTo: { roundId: next.roundId, applicationId: moved.applicationId },
    });
    expect(await s.applications.findOf(next.roundId, '101')).toEqual(moved);
    expect((await s.rounds.get(next.roundId))!.applications).toBe(1);

    const offerB: Offer = { offerId: unique(), kind: 'carry-over', expiresAt: iso(hour), nextRoundId: next.roundId };
    await s.applications.offerCarryOver(b, offerB, []);
    await s.rounds.claimSelection(next.roundId, { policy: 'first-come', startedAt: iso(), by: 'schedule' });
    const askedB = (await s.applications.get(b.applicationId))!;
    const movedB = { ...anApplication(next, '102'), priority: 2 };
    expect(await s.applications.carryOver(askedB, offerB, { roundId: next.roundId, newApplication: movedB }, iso(), [])).toBe(
      'round-not-open',
    );
    expect((await s.applications.get(b.applicationId))!.status).toBe('waitlisted');
  });

  it('carrying over to a round the municipality applied to itself gives that application the priority', async () => {
    const next = aRound();
    await s.rounds.create(next);
    const own = anApplication(next, '101');
    await s.applications.create(own, iso(), []);
    const { round, applications } = await roundWith(['101'], { nextRoundId: next.roundId });
    const [a] = applications as [Application];
    await s.applications.waitlist(a, 1, iso(), []);
    const offer: Offer = { offerId: unique(), kind: 'carry-over', expiresAt: iso(hour), nextRoundId: next.roundId };
    await s.applications.offerCarryOver(a, offer, []);
    const asked = (await s.applications.get(a.applicationId))!;
    const from = { roundId: round.roundId, applicationId: a.applicationId };
    const result = await s.applications.carryOver(
      asked,
      offer,
      {
        roundId: next.roundId,
        newApplication: { ...anApplication(next, '101'), priority: 1, carriedOverFrom: from },
        existingApplicationId: own.applicationId,
      },
      iso(),
      [],
    );
    expect(result).toBe('carried-over');
    expect(await s.applications.get(own.applicationId)).toMatchObject({ status: 'received', priority: 1, carriedOverFrom: from });
    expect(await s.applications.listOfRound(next.roundId)).toHaveLength(1);
  });

  it('a carry-over question is declined before its deadline or lapses after it, once', async () => {
    const { applications } = await roundWith(['101', '102'], { nextRoundId: 'next' });
    const [a, b] = applications as [Application, Application];
    await s.applications.waitlist(a, 1, iso(), []);
    await s.applications.waitlist(b, 2, iso(), []);
    const open: Offer = { offerId: unique(), kind: 'carry-over', expiresAt: iso(hour), nextRoundId: 'next' };
    const past: Offer = { offerId: unique(), kind: 'carry-over', expiresAt: iso(-1000), nextRoundId: 'next' };
    await s.applications.offerCarryOver(a, open, []);
    await s.applications.offerCarryOver(b, past, []);
    expect((await s.applications.dueTimers('carry-over', iso())).map((t) => t.offerId)).toContain(past.offerId);
    expect(await s.applications.endCarryOver(a, open, 'lapsed', iso(), [])).toBe(false);
    expect(await s.applications.endCarryOver(a, open, 'declined', iso(), [])).toBe(true);
    expect(await s.applications.endCarryOver(a, open, 'declined', iso(), [])).toBe(false);
    // The timer goes by the offer the caller read.
    expect(await s.applications.endCarryOver((await s.applications.get(b.applicationId))!, past, 'lapsed', iso(), [])).toBe(true);
    expect(await s.applications.get(a.applicationId)).toMatchObject({ status: 'waitlisted', carryOver: 'declined' });
    expect(await s.applications.get(b.applicationId)).toMatchObject({ status: 'waitlisted', carryOver: 'lapsed' });
    expect((await s.applications.dueTimers('carry-over', iso(2 * hour))).map((t) => t.offerId)).not.toContain(past.offerId);
  });

  it('removes a stale timer', async () => {
    const { applications } = await roundWith(['101'], { selectedAt: iso() });
    const [a] = applications as [Application];
    await s.applications.waitlist(a, 1, iso(), []);
    const offer = placeOffer(iso(-1000));
    await s.applications.offerPlace(a, offer, iso(), []);
    const timer = (await s.applications.dueTimers('place', iso())).find((t) => t.offerId === offer.offerId)!;
    await s.applications.deleteStaleTimer(timer);
    expect((await s.applications.dueTimers('place', iso())).map((t) => t.offerId)).not.toContain(offer.offerId);
  });

  it('records a status-link request at most once in the interval, with its event', async () => {
    const { round, applications } = await roundWith(['101']);
    const [a] = applications as [Application];
    const requested = (at: Date) => [
      event('StatusLinkRequested', { applicationId: a.applicationId, roundId: round.roundId, requestedAt: at.toISOString() }),
    ];
    const first = new Date();
    const soon = new Date(first.getTime() + 5 * 60_000);
    const later = new Date(first.getTime() + 11 * 60_000);
    expect(await s.applications.recordStatusLinkRequest(a, first, 10, requested(first))).toBe(true);
    expect(await s.applications.recordStatusLinkRequest(a, soon, 10, requested(soon))).toBe(false);
    expect(await s.applications.recordStatusLinkRequest(a, later, 10, requested(later))).toBe(true);
    expect((await s.eventsOf(round.roundId)).filter((t) => t === 'StatusLinkRequested')).toHaveLength(2);
  });

  it('keeps the first time the confirmation was sent; an unknown application is refused', async () => {
    const { applications } = await roundWith(['101']);
    const [a] = applications as [Application];
    await s.applications.markConfirmationSent(a.applicationId, '2027-01-01T00:00:00.000Z');
    await s.applications.markConfirmationSent(a.applicationId, '2027-02-01T00:00:00.000Z');
    expect((await s.applications.get(a.applicationId))!.confirmationSentAt).toBe('2027-01-01T00:00:00.000Z');
    await expect(s.applications.markConfirmationSent(`missing-${unique()}`, iso())).rejects.toThrow();
  });
});
