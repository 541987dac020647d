// Selection's use cases on in-memory ports: each happy path, the repeat that changes nothing and
// announces nothing, and each refusal with its error code.
import { describe, expect, it } from 'vitest';
import type { Application } from '../../../schemas/stored/application.js';
import type { Round } from '../../../schemas/stored/round.js';
import {
  answerOffer,
  carryOutSelection,
  completeRound,
  expireOffers,
  fillFreePlaces,
  listRoundApplications,
  notifyApplicant,
  onRoundCompleted,
  onRoundOpened,
  requestSelection,
  selectDueRounds,
  withdraw,
} from '../../../functions/selection/use-cases.js';
import { anApplication } from '../../support/memory/applications.js';
import { memoryPorts } from '../../support/memory/ports.js';
import { aRound } from '../../support/memory/rounds.js';

const hour = 3600_000;
const start = new Date('2027-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(start.getTime() + ms).toISOString();
const firstCome = { policy: 'first-come', force: true } as const;

/** A round with `codes` applied in that order (a minute apart), before the clock's `start`. */
async function roundWith(codes: string[], overrides: Partial<Round> = {}) {
  const ports = memoryPorts(start);
  const round = aRound({ roundId: 'r1', places: 2, opensAt: at(-24 * hour), closesAt: at(24 * hour), ...overrides }, start);
  await ports.rounds.create(round);
  const applications: Application[] = [];
  for (const [i, code] of codes.entries()) {
    const application = anApplication(
      round,
      code,
      { applicationId: `a${code}`, accessToken: `t${code}` },
      new Date(start.getTime() - hour + i * 60_000),
    );
    await ports.applications.create(application, at(-hour), []);
    applications.push(application);
  }
  return { ports, round, applications };
}

const status = async (ports: ReturnType<typeof memoryPorts>, id: string) => (await ports.applications.get(id))!.status;

describe('selection', () => {
  it('first come: the places accepted in order of arrival, the rest waitlisted in order, each announced once', async () => {
    const { ports } = await roundWith(['101', '102', '103']);
    const result = await requestSelection(ports, 'r1', firstCome, 'kaisa@example.fi');
    expect(result).toMatchObject({ roundId: 'r1', policy: 'first-come', accepted: 2, waitlisted: 1, placesLeft: 0 });
    expect(ports.log.events.map((e) => [e.detailType, (e.detail as { applicationId?: string }).applicationId])).toEqual([
      ['ApplicationAccepted', 'a101'],
      ['ApplicationAccepted', 'a102'],
      ['ApplicationWaitlisted', 'a103'],
      ['SelectionCompleted', undefined],
    ]);
    expect((await ports.rounds.get('r1'))!.closesAt).toBe(start.toISOString()); // force closes the window now
    const again = await requestSelection(ports, 'r1', firstCome, 'kaisa@example.fi');
    expect(again).toEqual(result);
    expect(ports.log.events).toHaveLength(4);
  });

  it('manual: the listed ones accepted, the rest waitlisted; a different request afterwards is already_selected', async () => {
    const { ports } = await roundWith(['101', '102', '103']);
    await requestSelection(ports, 'r1', { policy: 'manual', accept: ['a103'], force: true }, 'kaisa@example.fi');
    expect([await status(ports, 'a101'), await status(ports, 'a102'), await status(ports, 'a103')]).toEqual([
      'waitlisted',
      'waitlisted',
      'accepted',
    ]);
    await expect(requestSelection(ports, 'r1', firstCome, 'kaisa@example.fi')).rejects.toMatchObject({
      code: 'already_selected',
    });
  });

  it('refuses while the window is open without force (window_open), a bad list (invalid_request), an unknown round', async () => {
    const { ports } = await roundWith(['101']);
    await expect(requestSelection(ports, 'r1', { policy: 'first-come', force: false }, 'k')).rejects.toMatchObject({
      code: 'window_open',
    });
    await expect(requestSelection(ports, 'r1', { policy: 'manual', accept: ['nope'], force: true }, 'k')).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(requestSelection(ports, 'nope', firstCome, 'k')).rejects.toMatchObject({ code: 'not_found' });
    expect(ports.log.events).toEqual([]);
  });

  it('a run that crashed half-way is finished without announcing its earlier decisions again', async () => {
    const { ports, applications } = await roundWith(['101', '102', '103']);
    await ports.rounds.claimSelection('r1', { policy: 'first-come', startedAt: at(0), by: 'schedule' });
    await ports.applications.accept(applications[0]!, at(0), []);
    await carryOutSelection(ports, 'r1');
    expect(ports.log.types()).toEqual(['ApplicationAccepted', 'ApplicationWaitlisted', 'SelectionCompleted']);
  });

  it('the schedule selects closed first-come rounds once, and leaves open and manual rounds', async () => {
    const { ports } = await roundWith(['101'], { closesAt: at(-1000) });
    await ports.rounds.create(
      aRound({ roundId: 'manual', selectionPolicy: 'manual', opensAt: at(-2 * hour), closesAt: at(-1000) }, start),
    );
    await ports.rounds.create(aRound({ roundId: 'open', opensAt: at(-2 * hour), closesAt: at(hour) }, start));
    await selectDueRounds(ports);
    await selectDueRounds(ports);
    expect(ports.log.types()).toEqual(['ApplicationAccepted', 'SelectionCompleted']);
    expect((await ports.rounds.get('manual'))!.selection).toBeUndefined();
    expect((await ports.rounds.get('open'))!.selection).toBeUndefined();
  });

  it('lists a round’s applications with live positions; an unknown round is not found', async () => {
    const { ports } = await roundWith(['101', '102', '103'], { places: 1 });
    await requestSelection(ports, 'r1', firstCome, 'k');
    const list = await listRoundApplications(ports, 'r1');
    expect(list.applications.map((a) => [a.applicationId, a.status, a.position])).toEqual([
      ['a101', 'accepted', undefined],
      ['a102', 'waitlisted', 1],
      ['a103', 'waitlisted', 2],
    ]);
    await expect(listRoundApplications(ports, 'nope')).rejects.toMatchObject({ code: 'not_found' });
  });
});

async function selected(codes: string[], overrides: Partial<Round> = {}) {
  const world = await roundWith(codes, { places: 1, ...overrides });
  await requestSelection(world.ports, 'r1', firstCome, 'k');
  world.ports.log.clear();
  return world;
}

describe('withdrawal and offers', () => {
  it('an accepted municipality withdraws with its token: the place is freed (PlaceFreed); again is already_withdrawn', async () => {
    const { ports } = await selected(['101', '102']);
    const withdrawn = await withdraw(ports, 'a101', { by: 'applicant', token: 't101' });
    expect(withdrawn.status).toBe('withdrawn');
    expect(ports.log.events).toEqual([
      {
        detailType: 'ApplicationWithdrawn',
        detail: { applicationId: 'a101', roundId: 'r1', previousStatus: 'accepted', by: 'applicant' },
      },
      { detailType: 'PlaceFreed', detail: { roundId: 'r1', reason: 'withdrawn' } },
    ]);
    expect(await ports.rounds.get('r1')).toMatchObject({ taken: 0, accepted: 0 });
    await expect(withdraw(ports, 'a101', { by: 'coordinator' })).rejects.toMatchObject({ code: 'already_withdrawn' });
    expect(ports.log.events).toHaveLength(2);
  });

  it('a waitlisted one withdraws without freeing a place; a wrong token is forbidden; a status changed meanwhile is state_changed', async () => {
    const { ports } = await selected(['101', '102', '103']);
    await expect(withdraw(ports, 'a102', { by: 'applicant', token: 'wrong' })).rejects.toMatchObject({ code: 'forbidden' });
    await withdraw(ports, 'a102', { by: 'coordinator' });
    expect(ports.log.types()).toEqual(['ApplicationWithdrawn']);
    const stale = (await ports.applications.get('a103'))!;
    await ports.applications.withdraw(stale, at(0), []);
    const racing = { ...ports, applications: Object.assign(Object.create(ports.applications), { get: async () => stale }) };
    await expect(withdraw(racing, 'a103', { by: 'coordinator' })).rejects.toMatchObject({ code: 'state_changed' });
    await expect(withdraw(ports, 'nope', { by: 'coordinator' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a free place is offered to the first waitlisted once (PlaceOffered); a repeat offers nothing', async () => {
    const { ports } = await selected(['101', '102', '103']);
    expect(await fillFreePlaces(ports, 'r1')).toBe(0);
    await withdraw(ports, 'a101', { by: 'coordinator' });
    ports.log.clear();
    expect(await fillFreePlaces(ports, 'r1')).toBe(1);
    expect(await fillFreePlaces(ports, 'r1')).toBe(0);
    expect(ports.log.events).toEqual([
      {
        detailType: 'PlaceOffered',
        detail: { applicationId: 'a102', roundId: 'r1', offerId: expect.any(String), expiresAt: at(48 * hour) },
      },
    ]);
    expect(await status(ports, 'a103')).toBe('waitlisted');
  });

  async function offered() {
    const world = await selected(['101', '102', '103']);
    await withdraw(world.ports, 'a101', { by: 'coordinator' });
    await fillFreePlaces(world.ports, 'r1');
    world.ports.log.clear();
    return world;
  }

  it('an accepted offer makes the application accepted (via offer); answering again is no_open_offer', async () => {
    const { ports } = await offered();
    expect((await answerOffer(ports, 'a102', 't102', 'accept')).status).toBe('accepted');
    expect(ports.log.events).toEqual([
      { detailType: 'ApplicationAccepted', detail: { applicationId: 'a102', roundId: 'r1', via: 'offer' } },
    ]);
    expect(await ports.rounds.get('r1')).toMatchObject({ taken: 1, accepted: 1 });
    await expect(answerOffer(ports, 'a102', 't102', 'accept')).rejects.toMatchObject({ code: 'no_open_offer' });
    await expect(answerOffer(ports, 'a103', 'wrong', 'accept')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('a declined offer frees the place again; an expired one is offer_expired; one answered meanwhile is offer_closed', async () => {
    const { ports } = await offered();
    const stale = (await ports.applications.get('a102'))!;
    await answerOffer(ports, 'a102', 't102', 'decline');
    expect(ports.log.types()).toEqual(['OfferDeclined', 'PlaceFreed']);
    expect(ports.log.events[0]!.detail).toMatchObject({ kind: 'place', reason: 'declined' });
    const racing = { ...ports, applications: Object.assign(Object.create(ports.applications), { get: async () => stale }) };
    await expect(answerOffer(racing, 'a102', 't102', 'accept')).rejects.toMatchObject({ code: 'offer_closed' });
    await fillFreePlaces(ports, 'r1');
    ports.clock.advance(49 * hour);
    await expect(answerOffer(ports, 'a103', 't103', 'accept')).rejects.toMatchObject({ code: 'offer_expired' });
  });

  it('offers past their deadline lapse and the place moves on to the next; a repeat does nothing', async () => {
    const { ports } = await offered();
    ports.clock.advance(49 * hour);
    await expireOffers(ports);
    expect(ports.log.types()).toEqual(['OfferDeclined', 'PlaceFreed', 'PlaceOffered']);
    expect(ports.log.events[0]!.detail).toMatchObject({ applicationId: 'a102', reason: 'lapsed' });
    expect([await status(ports, 'a102'), await status(ports, 'a103')]).toEqual(['declined', 'offered']);
    await expireOffers(ports);
    expect(ports.log.events).toHaveLength(3);
  });

  it('a timer whose offer was settled otherwise is removed without a word', async () => {
    const { ports } = await offered();
    const [timer] = await ports.applications.dueTimers('place', at(49 * hour));
    await ports.applications.deleteStaleTimer(timer!);
    const stale = { ...timer!, offerId: 'settled-long-ago' };
    ports.applications.timers.set(`${stale.kind}#${stale.dueAt}#${stale.applicationId}#${stale.offerId}`, stale);
    ports.clock.advance(49 * hour);
    await expireOffers(ports);
    expect(await ports.applications.dueTimers('place', at(49 * hour))).toEqual([]);
    expect(ports.log.events).toEqual([]);
    expect(await status(ports, 'a102')).toBe('offered');
  });
});

describe('carry-over and completion', () => {
  async function withNext(carryOverWhen: Round['carryOverWhen'] = 'next-round-opens') {
    const world = await selected(['101', '102'], { nextRoundId: 'r2', carryOverWhen });
    await world.ports.rounds.create(aRound({ roundId: 'r2', opensAt: at(-hour), closesAt: at(48 * hour) }, start));
    return world;
  }

  it('when the next round opens the waitlisted are asked once; a yes moves them with their rank as priority', async () => {
    const { ports } = await withNext();
    await onRoundOpened(ports, 'r2');
    await onRoundOpened(ports, 'r2');
    expect(ports.log.types()).toEqual(['CarryOverOffered']);
    ports.log.clear();
    await answerOffer(ports, 'a102', 't102', 'accept');
    expect(ports.log.types()).toEqual(['ApplicationCarriedOver', 'ApplicationReceived']);
    const [moved] = await ports.applications.listOfRound('r2');
    expect(moved).toMatchObject({ status: 'received', priority: 1, carriedOverFrom: { roundId: 'r1', applicationId: 'a102' } });
    expect(moved!.accessToken).not.toBe('t102');
    expect(await ports.applications.get('a102')).toMatchObject({
      status: 'carried-over',
      carriedOverTo: { roundId: 'r2', applicationId: moved!.applicationId },
    });
  });

  it('a no ends the question (OfferDeclined carry-over); a next round selected meanwhile is round_not_open', async () => {
    const { ports } = await withNext();
    await onRoundOpened(ports, 'r2');
    ports.log.clear();
    await ports.rounds.claimSelection('r2', { policy: 'first-come', startedAt: at(0), by: 'schedule' });
    await expect(answerOffer(ports, 'a102', 't102', 'accept')).rejects.toMatchObject({ code: 'round_not_open' });
    await answerOffer(ports, 'a102', 't102', 'decline');
    expect(ports.log.events).toEqual([
      {
        detailType: 'OfferDeclined',
        detail: { applicationId: 'a102', roundId: 'r1', offerId: expect.any(String), kind: 'carry-over', reason: 'declined' },
      },
    ]);
    expect((await ports.applications.get('a102'))!.carryOver).toBe('declined');
  });

  it('completes a selected round once (RoundCompleted), asking the waitlisted when it carries over on completion', async () => {
    const { ports } = await withNext('round-completes');
    const completed = await completeRound(ports, 'r1');
    expect(completed.completedAt).toBe(start.toISOString());
    await completeRound(ports, 'r1');
    expect(ports.log.types()).toEqual(['RoundCompleted']);
    await onRoundCompleted(ports, 'r1');
    expect(ports.log.types()).toEqual(['RoundCompleted', 'CarryOverOffered']);
    await onRoundOpened(ports, 'r2'); // not this round's moment
    expect(ports.log.events).toHaveLength(2);
  });

  it('a round is completed only after its selection (not_selected)', async () => {
    const { ports } = await roundWith(['101']);
    await expect(completeRound(ports, 'r1')).rejects.toMatchObject({ code: 'not_selected' });
  });
});

describe('telling the applicant', () => {
  it('mails each notice once per key, in the applicant language, with the next round’s name', async () => {
    const { ports } = await roundWith(['101']);
    await ports.rounds.create(aRound({ roundId: 'r2', name: 'Syksy 2027' }, start));
    const notice = { applicationId: 'a101', kind: 'carried-over' as const, key: 'carried-over/a101', nextRoundId: 'r2' };
    await notifyApplicant(ports, notice);
    await notifyApplicant(ports, notice);
    expect(ports.mailer.sent).toHaveLength(1);
    expect(ports.mailer.sent[0]).toMatchObject({ key: 'carried-over/a101', to: 'maija.101@example.fi' });
    expect(ports.mailer.sent[0]!.text).toContain('Syksy 2027');
    await notifyApplicant(ports, { ...notice, applicationId: 'gone', key: 'x' });
    expect(ports.mailer.sent).toHaveLength(1);
  });
});
