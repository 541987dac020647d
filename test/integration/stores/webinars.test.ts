// The webinar repository's contract, run against the in-memory fake and the Dynamo store alike, so
// that the fake the unit tests use cannot drift from the real store: seats, the waiting list, one
// registration per email, cancelling, promoting, attendance, counters, invitations.
import { beforeAll, describe, expect, it } from 'vitest';
import { event } from '../../../functions/shared/outbox.js';
import type { Invitation, Registration, Webinar } from '../../../schemas/stored/webinar.js';
import { implementations, type WebinarStores } from './webinar-stores.js';

const now = '2027-04-01T09:00:00.000Z';
let n = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++n}`;

const webinar = (overrides: Partial<Webinar> = {}): Webinar => ({
  webinarId: unique('w'),
  roundId: 'round-1',
  title: 'Päätöswebinaari',
  startsAt: '2027-05-20T10:00:00.000Z',
  endsAt: '2027-05-20T12:00:00.000Z',
  registrationClosesAt: '2027-05-19T12:00:00.000Z',
  seats: 2,
  joinUrl: 'https://teams.example.fi/w',
  languages: ['fi', 'sv'],
  createdAt: now,
  createdBy: 'kaisa@example.fi',
  confirmed: 0,
  waitlistSeq: 0,
  waitlistLeft: 0,
  sequence: 0,
  ...overrides,
});

const registration = (webinarId: string, i: number, overrides: Partial<Registration> = {}): Registration => ({
  registrationId: unique('r'),
  webinarId,
  name: `Henkilö ${i}`,
  email: `henkilo${i}@example.fi`,
  language: 'fi',
  status: 'confirmed',
  invited: false,
  registeredAt: `2027-04-01T09:00:0${i}.000Z`,
  consentAt: now,
  confirmedAt: now,
  accessToken: 'secret',
  ...overrides,
});

const created = (w: Webinar) =>
  event('WebinarCreated', { webinarId: w.webinarId, roundId: w.roundId, startsAt: w.startsAt, seats: w.seats });
const confirmed = (r: Registration) =>
  event('RegistrationConfirmed', { registrationId: r.registrationId, webinarId: r.webinarId, language: r.language });
const cancelled = (r: Registration) =>
  event('RegistrationCancelled', {
    registrationId: r.registrationId,
    webinarId: r.webinarId,
    previousStatus: r.status as 'confirmed',
  });
const promoted = (r: Registration) => event('RegistrationPromoted', { registrationId: r.registrationId, webinarId: r.webinarId });

describe.each(implementations)('WebinarStore (%s)', (_name, make) => {
  let s: WebinarStores;
  beforeAll(async () => {
    s = await make();
  });

  const stored = async (overrides: Partial<Webinar> = {}) => {
    const w = webinar(overrides);
    expect(await s.webinars.putNewWebinar(w, [created(w)])).toBe(true);
    return w;
  };

  it('stores a webinar with its announcement once; the same id again is refused and announces nothing', async () => {
    const w = await stored();
    expect(await s.webinars.getWebinar(w.webinarId)).toEqual(w);
    expect(await s.webinars.putNewWebinar({ ...w, title: 'Toinen' }, [created(w)])).toBe(false);
    expect(await s.webinars.getWebinar(w.webinarId)).toEqual(w);
    expect(await s.announced(w.webinarId)).toEqual(['WebinarCreated'].sort());
    expect(await s.webinars.getWebinar('nope')).toBeUndefined();
  });

  it('lists the webinars starting in a range, by start', async () => {
    const later = await stored({ startsAt: '2031-01-02T10:00:00.000Z', endsAt: '2031-01-02T12:00:00.000Z' });
    const earlier = await stored({ startsAt: '2031-01-01T10:00:00.000Z', endsAt: '2031-01-01T12:00:00.000Z' });
    await stored({ startsAt: '2031-02-01T10:00:00.000Z' });
    const listed = await s.webinars.listWebinarsStarting('2031-01-01T00:00:00.000Z', '2031-01-02T10:00:00.000Z');
    expect(listed.map((w) => w.webinarId)).toEqual([earlier.webinarId, later.webinarId]);
  });

  it('seats: taken while confirmed < seats, then the newcomer waits; refused once registration closed or for no webinar', async () => {
    const w = await stored({ seats: 2 });
    expect(await s.webinars.takeSeat(w.webinarId, now)).toEqual({ outcome: 'seat' });
    expect(await s.webinars.takeSeat(w.webinarId, now)).toEqual({ outcome: 'seat' });
    expect(await s.webinars.takeSeat(w.webinarId, now)).toEqual({ outcome: 'wait' });
    expect(await s.webinars.getWebinar(w.webinarId)).toMatchObject({ confirmed: 2, countersAt: now });
    expect(await s.webinars.takeSeat(w.webinarId, w.registrationClosesAt)).toEqual({
      outcome: 'refused',
      webinar: await s.webinars.getWebinar(w.webinarId),
    });
    expect(await s.webinars.takeSeat('nope', now)).toEqual({ outcome: 'refused' });
    expect(await s.webinars.takeTicket('nope', now)).toEqual({ outcome: 'refused' });
  });

  it('the waiting list: tickets 1, 2 … with positions; a newcomer never overtakes it, even when a seat is free', async () => {
    const w = await stored({ seats: 1 });
    expect(await s.webinars.takeTicket(w.webinarId, now)).toEqual({ outcome: 'seat-free' });
    expect(await s.webinars.takeSeat(w.webinarId, now)).toEqual({ outcome: 'seat' });
    expect(await s.webinars.takeTicket(w.webinarId, now)).toEqual({ outcome: 'ticket', ticket: 1, position: 1 });
    await s.webinars.giveBack(w.webinarId, 'seat', now); // a seat is free, and someone waits
    expect(await s.webinars.takeSeat(w.webinarId, now)).toEqual({ outcome: 'wait' });
    expect(await s.webinars.takeTicket(w.webinarId, now)).toEqual({ outcome: 'ticket', ticket: 2, position: 2 });
    await s.webinars.giveBack(w.webinarId, 'ticket', now);
    expect(await s.webinars.takeTicket(w.webinarId, now)).toEqual({ outcome: 'ticket', ticket: 3, position: 2 });
    expect(await s.webinars.getWebinar(w.webinarId)).toMatchObject({ confirmed: 0, waitlistSeq: 3, waitlistLeft: 1 });
  });

  it('one registration per email: a second is refused with the holder, and announces nothing', async () => {
    const w = await stored();
    const first = registration(w.webinarId, 1);
    expect(await s.webinars.putRegistration(first, [confirmed(first)])).toEqual({ outcome: 'created' });
    const second = registration(w.webinarId, 1, { name: 'Toinen' });
    expect(await s.webinars.putRegistration(second, [confirmed(second)])).toEqual({
      outcome: 'duplicate',
      registrationId: first.registrationId,
    });
    expect(await s.webinars.registrationIdFor(w.webinarId, first.email)).toBe(first.registrationId);
    expect(await s.webinars.getRegistration(first.registrationId)).toEqual(first);
    expect(await s.webinars.getRegistration(second.registrationId)).toBeUndefined();
    expect(await s.announced(w.webinarId)).toEqual(['WebinarCreated', 'RegistrationConfirmed'].sort());
    // Another webinar takes the same address.
    const other = await stored();
    expect(await s.webinars.putRegistration(registration(other.webinarId, 1), [])).toEqual({ outcome: 'created' });
  });

  it('lists the registrations of a webinar in order of registration', async () => {
    const w = await stored();
    const b = registration(w.webinarId, 2);
    const a = registration(w.webinarId, 1);
    await s.webinars.putRegistration(b, []);
    await s.webinars.putRegistration(a, []);
    expect((await s.webinars.listRegistrations(w.webinarId)).map((r) => r.registrationId)).toEqual([
      a.registrationId,
      b.registrationId,
    ]);
  });

  it('cancel: conditional on the status as read; frees the seat and the email, with its events', async () => {
    const w = await stored();
    await s.webinars.takeSeat(w.webinarId, now);
    const r = registration(w.webinarId, 1);
    await s.webinars.putRegistration(r, []);
    expect(await s.webinars.cancel({ ...r, status: 'waitlisted' }, now, [cancelled(r)])).toBe(false);
    expect(await s.announced(w.webinarId)).toEqual(['WebinarCreated'].sort());
    expect(await s.webinars.cancel(r, now, [cancelled(r)])).toBe(true);
    expect(await s.webinars.getRegistration(r.registrationId)).toMatchObject({
      status: 'cancelled',
      cancelledAt: now,
      cancelledFrom: 'confirmed',
    });
    expect(await s.webinars.getWebinar(w.webinarId)).toMatchObject({ confirmed: 0 });
    expect(await s.webinars.registrationIdFor(w.webinarId, r.email)).toBeUndefined();
    expect(await s.webinars.cancel(r, now, [cancelled(r)])).toBe(false);
    expect(await s.announced(w.webinarId)).toEqual(['WebinarCreated', 'RegistrationCancelled'].sort());
  });

  it('promote: a free seat to a waiting registration; `full` without a seat or after the start, `moved` when no longer waiting', async () => {
    const w = await stored({ seats: 1 });
    await s.webinars.takeSeat(w.webinarId, now);
    const { ticket } = (await s.webinars.takeTicket(w.webinarId, now)) as { ticket: number };
    const waiting = registration(w.webinarId, 2, { status: 'waitlisted', ticket });
    await s.webinars.putRegistration(waiting, []);
    expect(await s.webinars.promote(waiting, now, [promoted(waiting)])).toBe('full');
    await s.webinars.giveBack(w.webinarId, 'seat', now);
    expect(await s.webinars.promote(waiting, w.startsAt, [promoted(waiting)])).toBe('full');
    expect(await s.webinars.promote(waiting, now, [promoted(waiting)])).toBe('promoted');
    expect(await s.webinars.getRegistration(waiting.registrationId)).toMatchObject({
      status: 'confirmed',
      promotedAt: now,
      confirmedAt: now,
    });
    expect(await s.webinars.getWebinar(w.webinarId)).toMatchObject({ confirmed: 1, waitlistSeq: 1, waitlistLeft: 1 });
    await s.webinars.giveBack(w.webinarId, 'seat', now);
    expect(await s.webinars.promote(waiting, now, [promoted(waiting)])).toBe('moved');
    expect(await s.announced(w.webinarId)).toEqual(['WebinarCreated', 'RegistrationPromoted'].sort());
  });

  it('an event that is not valid stops its change', async () => {
    const w = await stored();
    const r = registration(w.webinarId, 1);
    await expect(
      s.webinars.putRegistration(r, [event('RegistrationConfirmed', { registrationId: r.registrationId } as never)]),
    ).rejects.toThrow();
    expect(await s.webinars.getRegistration(r.registrationId)).toBeUndefined();
  });

  it('updateWebinar: never seats below those taken; a reschedule bumps the sequence', async () => {
    const w = await stored({ seats: 2 });
    await s.webinars.takeSeat(w.webinarId, now);
    await s.webinars.takeSeat(w.webinarId, now);
    const changed = event('WebinarUpdated', { webinarId: w.webinarId, changed: ['seats'] }, { roundId: w.roundId });
    expect(await s.webinars.updateWebinar(w.webinarId, { seats: 1 }, false, [changed])).toBeUndefined();
    expect(await s.webinars.updateWebinar('nope', { title: 'X' }, false, [])).toBeUndefined();
    const startsAt = '2027-05-21T10:00:00.000Z';
    expect(await s.webinars.updateWebinar(w.webinarId, { seats: 3, startsAt }, true, [changed])).toMatchObject({
      seats: 3,
      startsAt,
      sequence: 1,
    });
    expect(await s.announced(w.webinarId)).toEqual(['WebinarCreated', 'WebinarUpdated'].sort());
    expect((await s.webinars.listWebinarsStarting(startsAt, startsAt)).map((x) => x.webinarId)).toContain(w.webinarId);
  });

  it('markNoticesDone keeps the first time', async () => {
    const w = await stored();
    await s.webinars.markNoticesDone(w.webinarId, 'reminder', '2027-05-19T10:00:00.000Z');
    await s.webinars.markNoticesDone(w.webinarId, 'reminder', '2027-05-19T11:00:00.000Z');
    await s.webinars.markNoticesDone(w.webinarId, 'thanks', '2027-05-20T13:00:00.000Z');
    expect(await s.webinars.getWebinar(w.webinarId)).toMatchObject({
      remindersDoneAt: '2027-05-19T10:00:00.000Z',
      thanksDoneAt: '2027-05-20T13:00:00.000Z',
    });
  });

  it('reconcileCounters: only while the counters are exactly as seen', async () => {
    const w = await stored({ seats: 3 });
    await s.webinars.takeSeat(w.webinarId, now);
    const seen = (await s.webinars.getWebinar(w.webinarId))!;
    await s.webinars.takeSeat(w.webinarId, now);
    expect(await s.webinars.reconcileCounters(seen, { confirmed: 0, waiting: 0 }, now)).toBe(false);
    const again = (await s.webinars.getWebinar(w.webinarId))!;
    expect(await s.webinars.reconcileCounters(again, { confirmed: 1, waiting: 0 }, now)).toBe(true);
    expect(await s.webinars.getWebinar(w.webinarId)).toMatchObject({ confirmed: 1, countersCheckedAt: now });
  });

  it('markAttendance: marked once, `unchanged` on a repeat (nothing announced), `refused` unless confirmed in this webinar', async () => {
    const w = await stored();
    const r = registration(w.webinarId, 1);
    const waiting = registration(w.webinarId, 2, { status: 'waitlisted' });
    await s.webinars.putRegistration(r, []);
    await s.webinars.putRegistration(waiting, []);
    const marked = (id: string) => event('AttendanceMarked', { registrationId: id, webinarId: w.webinarId, attended: true });
    expect(await s.webinars.markAttendance(r.registrationId, w.webinarId, true, now, [marked(r.registrationId)])).toBe('marked');
    expect(await s.webinars.markAttendance(r.registrationId, w.webinarId, true, now, [marked(r.registrationId)])).toBe(
      'unchanged',
    );
    expect(await s.webinars.markAttendance(waiting.registrationId, w.webinarId, true, now, [])).toBe('refused');
    expect(await s.webinars.markAttendance(r.registrationId, 'other', true, now, [])).toBe('refused');
    expect(await s.webinars.markAttendance('nope', w.webinarId, true, now, [])).toBe('refused');
    expect(await s.webinars.getRegistration(r.registrationId)).toMatchObject({ attended: true, attendanceMarkedAt: now });
    expect(await s.announced(w.webinarId)).toEqual(['WebinarCreated', 'AttendanceMarked'].sort());
  });

  it('claimInvitation: one batch owns an address; a failed invitation is taken over by a later batch', async () => {
    const w = await stored();
    const invitation = (batchId: string): Invitation => ({
      webinarId: w.webinarId,
      email: 'kutsuttu@example.fi',
      name: 'Kutsuttu',
      language: 'sv',
      batchId,
      status: 'queued',
      token: `token-${batchId}`,
      queuedAt: now,
    });
    expect(await s.webinars.claimInvitation(invitation('b1'))).toBe('claimed');
    expect(await s.webinars.claimInvitation(invitation('b1'))).toBe('claimed');
    expect(await s.webinars.claimInvitation(invitation('b2'))).toBe('skipped');
    expect(await s.webinars.getInvitation(w.webinarId, 'kutsuttu@example.fi')).toEqual(invitation('b1'));
    expect(await s.webinars.getInvitation(w.webinarId, 'nobody@example.fi')).toBeUndefined();
  });
});
