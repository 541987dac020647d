// Every webinar use case on in-memory ports (test/support/memory/): the happy path, the repeat that
// changes nothing and announces nothing, and each refusal with its error code.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Application } from '../../../schemas/stored/application.js';
import { envNames } from '../../../functions/shared/config.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../functions/shared/errors.js';
import type { OutgoingEmail, SendOutcome } from '../../../functions/shared/mailer.js';
import type { PendingEvent } from '../../../functions/shared/outbox.js';
import { sendDueNotices } from '../../../functions/webinar/due-notices.js';
import { runInvitationBatch } from '../../../functions/webinar/invitations.js';
import { notifyRegistrant } from '../../../functions/webinar/notices.js';
import type { MailingWebinarPorts } from '../../../functions/webinar/ports.js';
import { batchProgress, registrationList, requireRegistration, roundWebinars } from '../../../functions/webinar/queries.js';
import {
  cancelRegistration,
  counterSettleMs,
  createWebinar,
  fillFreeSeats,
  markAttendance,
  register,
  requestInvitations,
  resumeStalledBatches,
  sweepSeats,
  updateWebinar,
} from '../../../functions/webinar/use-cases.js';
import {
  AttendanceBody,
  CreateWebinarBody,
  InvitationsBody,
  RegisterBody,
  UpdateWebinarBody,
} from '../../../schemas/api/webinars.js';
import { MemoryInvitationBatchStore } from '../../support/memory/invitation-batches.js';
import { MemoryWebinarStore } from '../../support/memory/webinars.js';

const hour = 3600_000;
const start = new Date('2027-04-01T09:00:00Z');

interface World {
  ports: MailingWebinarPorts;
  webinars: MemoryWebinarStore;
  batches: MemoryInvitationBatchStore;
  events: PendingEvent[];
  mail: OutgoingEmail[];
  applications: Application[];
  clock: { at: Date };
  /** What the mailer answers next (default: sent once per key). */
  mailerAnswer?: (email: OutgoingEmail) => SendOutcome | Error;
}

function world(): World {
  const events: PendingEvent[] = [];
  const webinars = new MemoryWebinarStore(events);
  const batches = new MemoryInvitationBatchStore(webinars);
  const mail: OutgoingEmail[] = [];
  const sentKeys = new Set<string>();
  const applications: Application[] = [];
  const clock = { at: start };
  let ids = 0;
  const w: World = {
    webinars,
    batches,
    events,
    mail,
    applications,
    clock,
    ports: {
      webinars,
      batches,
      rounds: {
        roundExists: async (roundId) => roundId === 'round-1',
        roundApplications: async (roundId) => (roundId === 'round-1' ? applications : []),
      },
      clock: { now: () => clock.at },
      newId: () => `id-${++ids}`,
      mailer: {
        sendOnce: async (email) => {
          const answer = w.mailerAnswer?.(email);
          if (answer instanceof Error) throw answer;
          if (answer) return answer;
          if (sentKeys.has(email.key)) return 'already-sent';
          sentKeys.add(email.key);
          mail.push(email);
          return 'sent';
        },
      },
    },
  };
  return w;
}

const createBody = (overrides: Record<string, unknown> = {}) =>
  CreateWebinarBody.parse({
    title: 'Päätöswebinaari',
    startsAt: '2027-05-20T10:00:00Z',
    endsAt: '2027-05-20T12:00:00Z',
    seats: 2,
    registrationClosesAt: '2027-05-19T12:00:00Z',
    joinUrl: 'https://teams.example.fi/w',
    languages: ['fi', 'sv'],
    ...overrides,
  });
const person = (i: number, overrides: Record<string, unknown> = {}) =>
  RegisterBody.parse({ name: `Henkilö ${i}`, email: `Henkilo${i}@Example.fi`, language: 'fi', consent: true, ...overrides });
const types = (events: readonly PendingEvent[]) => events.map((e) => e.detailType);

/** Runs `act` and answers what it announced. */
async function announced(w: World, act: () => Promise<unknown>): Promise<string[]> {
  const before = w.events.length;
  await act();
  return types(w.events.slice(before));
}

async function expectCode(promise: Promise<unknown>, type: new (...args: never[]) => Error, code?: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  if (code) expect((error as { code?: string }).code).toBe(code);
}

// The links in the emails name the pages and the sender.
beforeAll(() => {
  vi.stubEnv(envNames.publicUrl, 'https://sparraus.example.fi');
  vi.stubEnv(envNames.emailFrom, 'noreply@sparraus.example.fi');
});
afterAll(() => vi.unstubAllEnvs());

let w: World;
beforeEach(() => {
  w = world();
});

const newWebinar = async (overrides: Record<string, unknown> = {}) =>
  (await createWebinar(w.ports, 'round-1', createBody(overrides), 'kaisa@example.fi')).webinar;

describe('createWebinar', () => {
  it('stores the webinar with empty counters and announces WebinarCreated', async () => {
    const webinar = await newWebinar();
    expect(webinar).toMatchObject({
      webinarId: 'id-1',
      roundId: 'round-1',
      confirmed: 0,
      waitlistSeq: 0,
      createdBy: 'kaisa@example.fi',
    });
    expect(await w.webinars.getWebinar('id-1')).toEqual(webinar);
    expect(w.events).toEqual([
      { detailType: 'WebinarCreated', detail: { webinarId: 'id-1', roundId: 'round-1', startsAt: webinar.startsAt, seats: 2 } },
    ]);
  });
  it('under an Idempotency-Key, the same request again answers the webinar it made and announces nothing', async () => {
    const first = await createWebinar(w.ports, 'round-1', createBody(), 'kaisa@example.fi', { idempotencyKey: 'key-1' });
    expect(first.created).toBe(true);
    const said = await announced(w, async () => {
      const again = await createWebinar(w.ports, 'round-1', createBody(), 'kaisa@example.fi', { idempotencyKey: 'key-1' });
      expect(again).toEqual({ webinar: first.webinar, created: false });
    });
    expect(said).toEqual([]);
    // The same key of another coordinator, or for another round, is another webinar.
    const other = await createWebinar(w.ports, 'round-1', createBody(), 'toinen@example.fi', { idempotencyKey: 'key-1' });
    expect(other.created).toBe(true);
    expect(other.webinar.webinarId).not.toBe(first.webinar.webinarId);
    expect(w.webinars.webinars.size).toBe(2);
  });
  it('refuses the same Idempotency-Key with another body (409 idempotency_key_reused)', async () => {
    await createWebinar(w.ports, 'round-1', createBody(), 'kaisa@example.fi', { idempotencyKey: 'key-1' });
    const said = await announced(w, () =>
      expectCode(
        createWebinar(w.ports, 'round-1', createBody({ title: 'Toinen' }), 'kaisa@example.fi', { idempotencyKey: 'key-1' }),
        ConflictError,
        'idempotency_key_reused',
      ),
    );
    expect(said).toEqual([]);
  });
  it('refuses an unknown round (404) and a start in the past (400), writing nothing', async () => {
    await expectCode(createWebinar(w.ports, 'round-x', createBody(), 'k'), NotFoundError);
    w.clock.at = new Date('2027-06-01T00:00:00Z');
    await expectCode(newWebinar(), ValidationError);
    expect(w.webinars.webinars.size).toBe(0);
    expect(w.events).toEqual([]);
  });
});

describe('updateWebinar', () => {
  it('changes the fields, bumps the sequence when rescheduled, and announces what changed', async () => {
    const { webinarId } = await newWebinar();
    const said = await announced(w, async () => {
      const updated = await updateWebinar(
        w.ports,
        webinarId,
        UpdateWebinarBody.parse({ startsAt: '2027-05-21T10:00:00Z', endsAt: '2027-05-21T12:00:00Z' }),
      );
      expect(updated).toMatchObject({ startsAt: '2027-05-21T10:00:00.000Z', sequence: 1 });
    });
    expect(said).toEqual(['WebinarUpdated']);
    expect(w.events.at(-1)!.detail).toEqual({ webinarId, changed: ['endsAt', 'startsAt'] });
    const retitled = await updateWebinar(w.ports, webinarId, UpdateWebinarBody.parse({ title: 'Uusi' }));
    expect(retitled).toMatchObject({ title: 'Uusi', sequence: 1 });
  });
  it('refuses seats below those taken (409 seats_taken), also when they were taken after the read', async () => {
    const { webinarId } = await newWebinar();
    await register(w.ports, webinarId, person(1));
    await register(w.ports, webinarId, person(2));
    await expectCode(updateWebinar(w.ports, webinarId, UpdateWebinarBody.parse({ seats: 1 })), ConflictError, 'seats_taken');
    // Taken between the use case's read and its write: the store's condition refuses it.
    const stale = w.webinars.getWebinar.bind(w.webinars);
    w.webinars.getWebinar = async (id) => ({ ...(await stale(id))!, confirmed: 0 });
    const said = await announced(w, () =>
      expectCode(updateWebinar(w.ports, webinarId, UpdateWebinarBody.parse({ seats: 1 })), ConflictError, 'seats_taken'),
    );
    expect(said).toEqual([]);
  });
  it('answers 404 for an unknown webinar', async () => {
    await expectCode(updateWebinar(w.ports, 'nope', UpdateWebinarBody.parse({ title: 'X' })), NotFoundError);
  });
});

describe('register', () => {
  it('gives seats while any is free, then waiting-list places 1, 2 …, each announced once', async () => {
    const { webinarId } = await newWebinar();
    const a = await register(w.ports, webinarId, person(1));
    const b = await register(w.ports, webinarId, person(2));
    const c = await register(w.ports, webinarId, person(3));
    const d = await register(w.ports, webinarId, person(4));
    expect([a, b, c, d].map((r) => [r.created, r.registration.status, r.position])).toEqual([
      [true, 'confirmed', undefined],
      [true, 'confirmed', undefined],
      [true, 'waitlisted', 1],
      [true, 'waitlisted', 2],
    ]);
    expect(a.registration.email).toBe('henkilo1@example.fi');
    expect(types(w.events.slice(1))).toEqual([
      'RegistrationConfirmed',
      'RegistrationConfirmed',
      'RegistrationWaitlisted',
      'RegistrationWaitlisted',
    ]);
    expect(await w.webinars.getWebinar(webinarId)).toMatchObject({ confirmed: 2, waitlistSeq: 2, waitlistLeft: 0 });
  });
  it('the same email again answers the registration it has, with its position now, and announces nothing', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    await register(w.ports, webinarId, person(1));
    const first = await register(w.ports, webinarId, person(2));
    const said = await announced(w, async () => {
      const again = await register(w.ports, webinarId, person(2, { email: 'HENKILO2@example.fi', name: 'Toinen nimi' }));
      expect(again).toEqual({ created: false, registration: first.registration, position: 1 });
    });
    expect(said).toEqual([]);
  });
  it('a newcomer never overtakes the waiting list: a freed seat goes to the first waiting', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    const a = await register(w.ports, webinarId, person(1));
    const b = await register(w.ports, webinarId, person(2));
    // A seat is freed but nobody has promoted B yet (the event is on its way): the newcomer waits.
    w.webinars.webinars.get(webinarId)!.confirmed = 0;
    const c = await register(w.ports, webinarId, person(3));
    expect(c.registration.status).toBe('waitlisted');
    expect(c.position).toBe(2);
    expect(a.registration.status).toBe('confirmed');
    expect(b.registration.status).toBe('waitlisted');
  });
  it('the same email at the same moment: the second writer gives its seat back and answers the first registration', async () => {
    const { webinarId } = await newWebinar({ seats: 2 });
    const first = await register(w.ports, webinarId, person(1));
    // As if the guard had not been there when this request looked.
    const look = w.webinars.registrationIdFor.bind(w.webinars);
    w.webinars.registrationIdFor = async () => undefined;
    const said = await announced(w, async () => {
      const second = await register(w.ports, webinarId, person(1));
      expect(second).toMatchObject({ created: false, registration: { registrationId: first.registration.registrationId } });
    });
    w.webinars.registrationIdFor = look;
    expect(said).toEqual([]);
    expect(await w.webinars.getWebinar(webinarId)).toMatchObject({ confirmed: 1 });
  });
  it('takes the municipality from a matching invitation, and ignores a token that does not match', async () => {
    const { webinarId } = await newWebinar();
    await w.webinars.claimInvitation({
      webinarId,
      email: 'henkilo1@example.fi',
      name: 'H',
      language: 'fi',
      municipality: 'Kunta 1',
      batchId: 'b',
      status: 'sent',
      token: 'secret-token',
      queuedAt: start.toISOString(),
    });
    const invited = await register(w.ports, webinarId, person(1, { invitation: 'secret-token' }));
    expect(invited.registration).toMatchObject({ invited: true, municipality: 'Kunta 1' });
    await w.webinars.claimInvitation({
      webinarId,
      email: 'henkilo2@example.fi',
      name: 'H',
      language: 'fi',
      batchId: 'b',
      status: 'sent',
      token: 'other-token',
      queuedAt: start.toISOString(),
    });
    const guessed = await register(w.ports, webinarId, person(2, { invitation: 'secret-token' }));
    expect(guessed.registration.invited).toBe(false);
  });
  it('refuses after the window closed (409 registration_closed), a language not held (400), an unknown webinar (404)', async () => {
    const { webinarId } = await newWebinar();
    await expectCode(register(w.ports, webinarId, person(1, { language: 'en' })), ValidationError);
    await expectCode(register(w.ports, 'nope', person(1)), NotFoundError);
    w.clock.at = new Date('2027-05-19T12:00:00Z');
    await expectCode(register(w.ports, webinarId, person(1)), ConflictError, 'registration_closed');
    expect(types(w.events)).toEqual(['WebinarCreated']);
  });
  it('refuses when the window closed between the read and the write (the store re-checks it)', async () => {
    const { webinarId } = await newWebinar();
    await register(w.ports, webinarId, person(1)); // the read is cached now
    w.webinars.webinars.get(webinarId)!.registrationClosesAt = start.toISOString();
    await expectCode(register(w.ports, webinarId, person(2)), ConflictError, 'registration_closed');
  });
});

describe('cancelRegistration', () => {
  it('frees the seat and the email, announcing RegistrationCancelled; cancelling again changes and announces nothing', async () => {
    const { webinarId } = await newWebinar();
    const { registration } = await register(w.ports, webinarId, person(1));
    const said = await announced(w, async () => {
      const cancelled = await cancelRegistration(w.ports, registration);
      expect(cancelled).toMatchObject({ status: 'cancelled', cancelledFrom: 'confirmed', cancelledAt: start.toISOString() });
    });
    expect(said).toEqual(['RegistrationCancelled']);
    expect(w.events.at(-1)!.detail).toEqual({
      registrationId: registration.registrationId,
      webinarId,
      previousStatus: 'confirmed',
    });
    expect(await w.webinars.getWebinar(webinarId)).toMatchObject({ confirmed: 0 });
    expect(await w.webinars.registrationIdFor(webinarId, registration.email)).toBeUndefined();
    const current = await requireRegistration(w.ports, registration.registrationId);
    expect(await announced(w, () => cancelRegistration(w.ports, current))).toEqual([]);
    // Cancelled meanwhile (the caller read it before): the answer is the cancelled registration, nothing announced.
    expect(await announced(w, () => cancelRegistration(w.ports, registration))).toEqual([]);
  });
  it('a waiting place is given back to the list', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    await register(w.ports, webinarId, person(1));
    const { registration } = await register(w.ports, webinarId, person(2));
    await cancelRegistration(w.ports, registration);
    expect(await w.webinars.getWebinar(webinarId)).toMatchObject({ confirmed: 1, waitlistSeq: 1, waitlistLeft: 1 });
  });
  it('refuses once the webinar is over (409 webinar_ended), and a registration changed since it was read (409 state_changed)', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    await register(w.ports, webinarId, person(1));
    const { registration } = await register(w.ports, webinarId, person(2));
    await fillFreeSeats(w.ports, webinarId);
    w.webinars.registrations.get(registration.registrationId)!.status = 'confirmed'; // promoted since the read
    await expectCode(cancelRegistration(w.ports, registration), ConflictError, 'state_changed');
    w.clock.at = new Date('2027-05-20T12:00:00Z');
    const current = await requireRegistration(w.ports, registration.registrationId);
    await expectCode(cancelRegistration(w.ports, current), ConflictError, 'webinar_ended');
  });
});

describe('fillFreeSeats', () => {
  it('gives freed seats to the waiting list in order, each announced; a second run does nothing', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    const a = await register(w.ports, webinarId, person(1));
    const b = await register(w.ports, webinarId, person(2));
    const c = await register(w.ports, webinarId, person(3));
    await updateWebinar(w.ports, webinarId, UpdateWebinarBody.parse({ seats: 2 }));
    await cancelRegistration(w.ports, a.registration);
    const said = await announced(w, async () => expect(await fillFreeSeats(w.ports, webinarId)).toBe(2));
    expect(said).toEqual(['RegistrationPromoted', 'RegistrationPromoted']);
    expect(w.events.slice(-2).map((e) => (e.detail as { registrationId: string }).registrationId)).toEqual([
      b.registration.registrationId,
      c.registration.registrationId,
    ]);
    expect(await announced(w, async () => expect(await fillFreeSeats(w.ports, webinarId)).toBe(0))).toEqual([]);
    expect(await w.webinars.getWebinar(webinarId)).toMatchObject({ confirmed: 2, waitlistSeq: 2, waitlistLeft: 2 });
  });
  it('promotes nobody once the webinar has started, or for an unknown webinar', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    const a = await register(w.ports, webinarId, person(1));
    await register(w.ports, webinarId, person(2));
    await cancelRegistration(w.ports, a.registration);
    w.clock.at = new Date('2027-05-20T10:00:00Z');
    expect(await fillFreeSeats(w.ports, webinarId)).toBe(0);
    expect(await fillFreeSeats(w.ports, 'nope')).toBe(0);
  });
});

describe('sweepSeats', () => {
  it('sets counters right once they have been still a while, then fills the freed seat', async () => {
    const { webinarId } = await newWebinar({ seats: 2 });
    await register(w.ports, webinarId, person(1));
    // A writer took a seat and died before storing its registration.
    await w.webinars.takeSeat(webinarId, w.clock.at.toISOString());
    const waiting = await register(w.ports, webinarId, person(2));
    expect(waiting.registration.status).toBe('waitlisted');
    await sweepSeats(w.ports); // the counters just moved: left alone
    expect(await w.webinars.getWebinar(webinarId)).toMatchObject({ confirmed: 2 });
    w.clock.at = new Date(start.getTime() + counterSettleMs + 1);
    const said = await announced(w, () => sweepSeats(w.ports));
    expect(said).toEqual(['RegistrationPromoted']);
    expect(await w.webinars.getWebinar(webinarId)).toMatchObject({ confirmed: 2, waitlistSeq: 1, waitlistLeft: 1 });
    expect(await announced(w, () => sweepSeats(w.ports))).toEqual([]);
  });
});

describe('markAttendance', () => {
  it('marks the confirmed, each announced once; marking again counts them and announces nothing', async () => {
    const { webinarId } = await newWebinar();
    const a = await register(w.ports, webinarId, person(1));
    const b = await register(w.ports, webinarId, person(2));
    w.clock.at = new Date('2027-05-20T11:00:00Z');
    const body = AttendanceBody.parse({
      registrationIds: [a.registration.registrationId, b.registration.registrationId],
      attended: false,
    });
    const said = await announced(w, async () =>
      expect(await markAttendance(w.ports, webinarId, body)).toEqual({ webinarId, attended: false, marked: 2 }),
    );
    expect(said).toEqual(['AttendanceMarked', 'AttendanceMarked']);
    expect(await announced(w, async () => expect((await markAttendance(w.ports, webinarId, body)).marked).toBe(2))).toEqual([]);
    expect((await requireRegistration(w.ports, a.registration.registrationId)).attended).toBe(false);
  });
  it('refuses before the start (409 not_started) and a list naming someone not confirmed (400), writing nothing', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    const a = await register(w.ports, webinarId, person(1));
    const b = await register(w.ports, webinarId, person(2));
    const body = AttendanceBody.parse({
      registrationIds: [a.registration.registrationId, b.registration.registrationId],
      attended: true,
    });
    await expectCode(markAttendance(w.ports, webinarId, body), ConflictError, 'not_started');
    w.clock.at = new Date('2027-05-20T11:00:00Z');
    await expectCode(markAttendance(w.ports, webinarId, body), ValidationError);
    expect((await requireRegistration(w.ports, a.registration.registrationId)).attended).toBeUndefined();
  });
});

const application = (i: number, status: Application['status']) =>
  ({
    contact: { name: `Yhteyshenkilö ${i}`, email: `yh${i}@kunta.fi` },
    language: 'sv',
    municipality: { code: '001', name: `Kunta ${i}` },
    status,
  }) as Application;

describe('requestInvitations and the sender', () => {
  it('records a batch (InvitationsRequested); the sender mails each participant and extra once, then announces InvitationsSent', async () => {
    const { webinarId } = await newWebinar();
    w.applications.push(application(1, 'accepted'), application(2, 'completed'), application(3, 'withdrawn'));
    const body = InvitationsBody.parse({
      extraInvitees: [{ name: 'Extra', email: 'Extra@Example.fi', language: 'en' }],
      ratePerSecond: 500,
    });
    const batch = await requestInvitations(w.ports, webinarId, body, 'kaisa@example.fi');
    expect(types(w.events.slice(-1))).toEqual(['InvitationsRequested']);
    expect(batch).toMatchObject({ status: 'preparing', extraInvitees: [{ email: 'Extra@Example.fi' }] });

    expect(await runInvitationBatch(w.ports, webinarId, batch.batchId)).toBe('done');
    expect(w.mail.map((m) => m.to).sort()).toEqual(['extra@example.fi', 'yh1@kunta.fi', 'yh2@kunta.fi']);
    expect(w.mail.every((m) => m.kind === 'webinar-invitation')).toBe(true);
    expect(types(w.events.slice(-1))).toEqual(['InvitationsSent']);
    expect(w.events.at(-1)!.detail).toEqual({ webinarId, batchId: batch.batchId, sent: 3, failed: 0, skipped: 0 });
    expect(await batchProgress(w.ports, webinarId, batch.batchId)).toMatchObject({
      status: 'done',
      recipients: 3,
      sent: 3,
      left: 0,
    });

    // A done batch is not run again, and announces nothing.
    expect(
      await announced(w, async () => expect(await runInvitationBatch(w.ports, webinarId, batch.batchId)).toBe('busy')),
    ).toEqual([]);

    // Sending again skips everyone already invited: nobody is mailed twice.
    const again = await requestInvitations(w.ports, webinarId, InvitationsBody.parse({}), 'kaisa@example.fi');
    expect(await runInvitationBatch(w.ports, webinarId, again.batchId)).toBe('done');
    expect(w.mail).toHaveLength(3);
    expect(await batchProgress(w.ports, webinarId, again.batchId)).toMatchObject({ recipients: 2, skipped: 2, sent: 0 });
  });
  it('a suppressed address is settled as failed, listed with its reason; a later batch retries it', async () => {
    const { webinarId } = await newWebinar();
    w.applications.push(application(1, 'accepted'));
    w.mailerAnswer = () => 'suppressed';
    const batch = await requestInvitations(w.ports, webinarId, InvitationsBody.parse({ ratePerSecond: 500 }), 'k');
    expect(await runInvitationBatch(w.ports, webinarId, batch.batchId)).toBe('done');
    expect(await batchProgress(w.ports, webinarId, batch.batchId)).toMatchObject({
      failed: 1,
      failures: [{ email: 'yh1@kunta.fi', reason: 'address suppressed after a bounce or complaint' }],
    });
    delete w.mailerAnswer;
    const retry = await requestInvitations(w.ports, webinarId, InvitationsBody.parse({ ratePerSecond: 500 }), 'k');
    expect(await runInvitationBatch(w.ports, webinarId, retry.batchId)).toBe('done');
    expect(w.mail.map((m) => m.to)).toEqual(['yh1@kunta.fi']);
  });
  it('mail parked by the mailer leaves the batch open and let go (stalled); the schedule resumes it once its sender is gone', async () => {
    const { webinarId } = await newWebinar();
    w.applications.push(application(1, 'accepted'));
    w.mailerAnswer = () => 'queued';
    const batch = await requestInvitations(w.ports, webinarId, InvitationsBody.parse({ ratePerSecond: 500 }), 'k');
    expect(await runInvitationBatch(w.ports, webinarId, batch.batchId)).toBe('stalled');
    expect(await w.batches.getBatch(webinarId, batch.batchId)).toMatchObject({ status: 'sending', throttled: 1 });
    expect(await w.batches.getBatch(webinarId, batch.batchId)).not.toHaveProperty('leaseUntil');
    const said = await announced(w, async () => expect(await resumeStalledBatches(w.ports)).toBe(1));
    expect(said).toEqual(['InvitationBatchProgressed']);
    delete w.mailerAnswer;
    expect(await runInvitationBatch(w.ports, webinarId, batch.batchId)).toBe('done');
    expect(await announced(w, async () => expect(await resumeStalledBatches(w.ports)).toBe(0))).toEqual([]);
  });
  it('a batch held by a live sender is left alone: neither run nor resumed', async () => {
    const { webinarId } = await newWebinar();
    const batch = await requestInvitations(w.ports, webinarId, InvitationsBody.parse({}), 'k');
    const until = new Date(start.getTime() + 60_000).toISOString();
    await w.batches.claimBatch(webinarId, batch.batchId, 'other', start.toISOString(), until);
    expect(await runInvitationBatch(w.ports, webinarId, batch.batchId)).toBe('busy');
    expect(await announced(w, async () => expect(await resumeStalledBatches(w.ports)).toBe(0))).toEqual([]);
  });
  it('refuses once the webinar has started (409 webinar_started), and an unknown webinar (404)', async () => {
    const { webinarId } = await newWebinar();
    await expectCode(requestInvitations(w.ports, 'nope', InvitationsBody.parse({}), 'k'), NotFoundError);
    w.clock.at = new Date('2027-05-20T10:00:00Z');
    await expectCode(requestInvitations(w.ports, webinarId, InvitationsBody.parse({}), 'k'), ConflictError, 'webinar_started');
    expect(w.batches.batches.size).toBe(0);
  });
  it('answers 404 for the progress of an unknown batch', async () => {
    const { webinarId } = await newWebinar();
    await expectCode(batchProgress(w.ports, webinarId, 'nope'), NotFoundError);
  });
});

describe('notifyRegistrant', () => {
  it('mails a seat with its calendar invitation, once per event kind', async () => {
    const { webinarId } = await newWebinar();
    const { registration } = await register(w.ports, webinarId, person(1));
    await notifyRegistrant(w.ports, 'confirmed', registration.registrationId);
    await notifyRegistrant(w.ports, 'confirmed', registration.registrationId);
    expect(w.mail).toHaveLength(1);
    expect(w.mail[0]).toMatchObject({ key: `webinar-confirmed/${registration.registrationId}`, to: 'henkilo1@example.fi' });
    expect(w.mail[0]!.attachments?.[0]).toMatchObject({ filename: 'webinar.ics' });
  });
  it('tells nothing that is no longer true (a promotion since cancelled), and nobody for an erased registration', async () => {
    const { webinarId } = await newWebinar();
    const { registration } = await register(w.ports, webinarId, person(1));
    await cancelRegistration(w.ports, registration);
    await notifyRegistrant(w.ports, 'promoted', registration.registrationId);
    await notifyRegistrant(w.ports, 'confirmed', 'erased');
    expect(w.mail).toEqual([]);
  });
});

describe('sendDueNotices', () => {
  it('reminds the confirmed the day before and thanks the not-absent after, each once; the notice is then done', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    const a = await register(w.ports, webinarId, person(1));
    await register(w.ports, webinarId, person(2)); // waiting: no reminder
    w.clock.at = new Date(Date.parse('2027-05-20T10:00:00Z') - 23 * hour);
    await sendDueNotices(w.ports);
    await sendDueNotices(w.ports);
    expect(w.mail.map((m) => [m.kind, m.to])).toEqual([['webinar-reminder', 'henkilo1@example.fi']]);
    expect((await w.webinars.getWebinar(webinarId))!.remindersDoneAt).toBe(w.clock.at.toISOString());
    w.clock.at = new Date('2027-05-20T12:30:00Z');
    await markAttendance(
      w.ports,
      webinarId,
      AttendanceBody.parse({ registrationIds: [a.registration.registrationId], attended: true }),
    );
    await sendDueNotices(w.ports);
    expect(w.mail.map((m) => m.kind)).toEqual(['webinar-reminder', 'webinar-thanks']);
    expect((await w.webinars.getWebinar(webinarId))!.thanksDoneAt).toBeDefined();
  });
});

describe('registrationList', () => {
  it('lists every registration with status and waiting-list position now', async () => {
    const { webinarId } = await newWebinar({ seats: 1 });
    await register(w.ports, webinarId, person(1));
    const b = await register(w.ports, webinarId, person(2));
    await register(w.ports, webinarId, person(3));
    await cancelRegistration(w.ports, b.registration);
    const list = await registrationList(w.ports, webinarId);
    expect(list).toMatchObject({ seats: 1, confirmed: 1, waiting: 1 });
    expect(list.registrations.map((r) => [r.status, r.position])).toEqual([
      ['confirmed', undefined],
      ['cancelled', undefined],
      ['waitlisted', 1],
    ]);
  });
});

describe('roundWebinars', () => {
  it('lists the round’s webinars in start order, and only its own; an unknown round is 404', async () => {
    const w = world();
    const later = (await createWebinar(w.ports, 'round-1', createBody({ title: 'Myöhempi' }), 'kaisa@example.fi')).webinar;
    const { webinar: earlier } = await createWebinar(
      w.ports,
      'round-1',
      createBody({
        title: 'Aiempi',
        startsAt: '2027-05-10T10:00:00Z',
        endsAt: '2027-05-10T12:00:00Z',
        registrationClosesAt: '2027-05-09T12:00:00Z',
      }),
      'kaisa@example.fi',
    );
    const listed = await roundWebinars(w.ports, 'round-1');
    expect(listed.map((v) => [v.webinarId, v.title])).toEqual([
      [earlier.webinarId, 'Aiempi'],
      [later.webinarId, 'Myöhempi'],
    ]);
    await expect(roundWebinars(w.ports, 'round-2')).rejects.toBeInstanceOf(NotFoundError);
  });
});
