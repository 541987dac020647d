// The webinar use cases that change state and announce it: creating and changing a webinar,
// registering, cancelling, giving freed seats to the waiting list, attendance, and asking for an
// invitation batch. Each change and its events are one transaction (the outbox; the table's stream
// carries the events to the bus). Mail goes out from the event handlers (notices.ts, invitations.ts).
import type {
  AttendanceBody,
  CreateWebinarBody,
  InvitationsBody,
  RegisterBody,
  UpdateWebinarBody,
} from '../../schemas/api/webinars.js';
import { newAccessToken, sameSecret } from '../shared/access.js';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import { event, type PendingEvent } from '../shared/outbox.js';
import {
  assertCanMarkAttendance,
  batchLeft,
  assertCanRegister,
  changedWebinar,
  idempotentWebinarId,
  newRegistration,
  newWebinar,
  sameCreation,
  waitingCount,
  waitingInOrder,
  type Invitation,
  type InvitationBatch,
  type Registration,
  type Webinar,
} from './domain.js';
import { forEachLimited } from './pacing.js';
import type { WebinarPorts } from './ports.js';
import { currentPosition, requireRegistration, requireWebinar } from './queries.js';

/** How long the seat counters must have been still before the sweep trusts the listing to check them. */
export const counterSettleMs = 2 * 60_000;
/** How far ahead the sweep looks for webinars with seats to fill. */
const sweepHorizonMs = 120 * 24 * 3600_000;

/**
 * Creates a webinar with its WebinarCreated, in one transaction. Under an idempotency key the
 * webinar's id comes from the key, so the same request again (a retry after a 503 or a lost answer)
 * answers the webinar it made and announces nothing; the key with another body is refused (409).
 */
export async function createWebinar(
  ports: WebinarPorts,
  roundId: string,
  body: CreateWebinarBody,
  by: string,
  options: { idempotencyKey?: string } = {},
): Promise<{ webinar: Webinar; created: boolean }> {
  if (!(await ports.rounds.roundExists(roundId))) throw new NotFoundError(`No round ${roundId}`);
  const webinarId = options.idempotencyKey ? idempotentWebinarId(roundId, by, options.idempotencyKey) : ports.newId();
  const webinar = newWebinar(body, { webinarId, roundId, now: ports.clock.now(), createdBy: by });
  const created = await ports.webinars.putNewWebinar(webinar, [
    event('WebinarCreated', { webinarId, roundId, startsAt: webinar.startsAt, seats: webinar.seats }),
  ]);
  if (created) return { webinar, created };
  const existing = await ports.webinars.getWebinar(webinarId);
  if (!existing || !sameCreation(existing, webinar)) {
    throw new ConflictError('This Idempotency-Key was used for another webinar; use a new key for a new webinar', {
      code: 'idempotency_key_reused',
    });
  }
  return { webinar: existing, created: false };
}

export async function updateWebinar(ports: WebinarPorts, webinarId: string, body: UpdateWebinarBody): Promise<Webinar> {
  const webinar = await requireWebinar(ports, webinarId);
  const { change, reschedules } = changedWebinar(webinar, body);
  const updated = await ports.webinars.updateWebinar(webinarId, change, reschedules, [
    event('WebinarUpdated', { webinarId, changed: Object.keys(change).sort() }, { roundId: webinar.roundId }),
  ]);
  if (!updated) {
    const current = await requireWebinar(ports, webinarId);
    throw new ConflictError(`${current.confirmed} people hold a seat now; seats cannot go below that`, { code: 'seats_taken' });
  }
  return updated;
}

export interface Registered {
  created: boolean;
  registration: Registration;
  position?: number;
}

function refused(webinarId: string, webinar: Webinar | undefined): Error {
  if (!webinar) return new NotFoundError(`No webinar ${webinarId}`);
  return new ConflictError(`Registration for "${webinar.title}" closed at ${webinar.registrationClosesAt}`, {
    code: 'registration_closed',
  });
}

/**
 * Registers one person. A seat if one is free and nobody waits, else the next waiting-list ticket;
 * both are single conditional writes on the webinar's counters, so any number of concurrent
 * registrations get exactly `seats` seats and positions 1..N. The registration is stored with its
 * announcement in one transaction. The same email again gets the registration it already has, and
 * announces nothing (the first announcement was written with it).
 */
export async function register(ports: WebinarPorts, webinarId: string, body: RegisterBody): Promise<Registered> {
  const store = ports.webinars;
  const now = ports.clock.now();
  const recent = recentWebinar(ports, webinarId, now);
  const webinar = await recent.webinar;
  assertCanRegister(webinar, body, now);
  const email = body.email.toLowerCase();
  const existingId = await store.registrationIdFor(webinarId, email);
  if (existingId) return existingRegistration(ports, existingId);

  const invitation = body.invitation ? await matchingInvitation(ports, webinarId, email, body.invitation) : undefined;
  const base = newRegistration(webinar, body, {
    registrationId: ports.newId(),
    accessToken: newAccessToken(),
    now,
    ...(invitation ? { invitation } : {}),
  });
  const at = now.toISOString();
  const round = { roundId: webinar.roundId };
  const { registrationId, language } = base;
  /** Stores the registration that holds a seat or ticket; a duplicate (the same email at the same moment) gives it back. */
  const hold = async (registration: Registration, held: 'seat' | 'ticket', announced: PendingEvent): Promise<Registered> => {
    const stored = await store.putRegistration(registration, [announced]);
    if (stored.outcome === 'created')
      return {
        created: true,
        registration,
        ...(registration.joinedAtPosition !== undefined ? { position: registration.joinedAtPosition } : {}),
      };
    // The same email registered at the same moment and holds its own place: ours goes back.
    await store.giveBack(webinarId, held, at);
    if (held === 'seat') await fillFreeSeats(ports, webinarId);
    return existingRegistration(ports, stored.registrationId);
  };
  // Start where the webinar as read says (a full one straight to the waiting list); the writes
  // decide. A seat can free up between "full" and taking a ticket (and the other way round): go again.
  let trySeat = recent.full === undefined ? webinar.confirmed < webinar.seats && waitingCount(webinar) === 0 : !recent.full;
  for (let attempt = 0; attempt < 6; attempt++, trySeat = !trySeat) {
    if (trySeat) {
      const seat = await store.takeSeat(webinarId, at);
      if (seat.outcome === 'refused') throw refused(webinarId, seat.webinar);
      if (seat.outcome === 'wait') {
        recent.full = true;
        continue;
      }
      return hold(
        { ...base, status: 'confirmed', confirmedAt: at },
        'seat',
        event('RegistrationConfirmed', { registrationId, webinarId, language }, round),
      );
    }
    const ticket = await store.takeTicket(webinarId, at);
    if (ticket.outcome === 'refused') throw refused(webinarId, ticket.webinar);
    if (ticket.outcome === 'seat-free') {
      recent.full = false;
      continue;
    }
    return hold(
      { ...base, status: 'waitlisted', ticket: ticket.ticket, joinedAtPosition: ticket.position, waitlistedAt: at },
      'ticket',
      event('RegistrationWaitlisted', { registrationId, webinarId, position: ticket.position }, round),
    );
  }
  throw new ServiceUnavailableError('Seats changed hands too fast to register; please try again');
}

/**
 * The webinar as read at most `webinarReadMaxAgeMs` ago in this process, with what the latest write
 * learnt about its seats (`full`). A burst of registrations reads the item once instead of once
 * each, and stops trying for seats once they are gone. It only chooses where to start: the
 * conditional writes decide, and check the registration window again.
 */
const webinarReadMaxAgeMs = 1_000;
interface RecentRead {
  at: number;
  webinar: Promise<Webinar>;
  full?: boolean;
}
/** Per store, so that what one store said is never taken for another's (tests run many). */
const recentReadsOf = new WeakMap<WebinarPorts['webinars'], Map<string, RecentRead>>();

function recentWebinar(ports: WebinarPorts, webinarId: string, now: Date): RecentRead {
  let recentReads = recentReadsOf.get(ports.webinars);
  if (!recentReads) recentReadsOf.set(ports.webinars, (recentReads = new Map()));
  const cached = recentReads.get(webinarId);
  if (cached && Math.abs(now.getTime() - cached.at) < webinarReadMaxAgeMs) return cached;
  const read: RecentRead = { at: now.getTime(), webinar: requireWebinar(ports, webinarId) };
  recentReads.set(webinarId, read);
  read.webinar.catch(() => recentReads.delete(webinarId));
  if (recentReads.size > 100) recentReads.delete(recentReads.keys().next().value!);
  return read;
}

async function existingRegistration(ports: WebinarPorts, registrationId: string): Promise<Registered> {
  // Nothing is announced again: the registration's events were written with it.
  const registration = await requireRegistration(ports, registrationId);
  const position = await currentPosition(ports, registration);
  return { created: false, registration, ...(position !== undefined ? { position } : {}) };
}

/** The invitation a registration came from, when its link's token matches the invited address. */
async function matchingInvitation(
  ports: WebinarPorts,
  webinarId: string,
  email: string,
  token: string,
): Promise<Invitation | undefined> {
  const invitation = await ports.webinars.getInvitation(webinarId, email);
  return invitation && sameSecret(token, invitation.token) ? invitation : undefined;
}

/**
 * Cancels; the seat (or waiting-list place) is freed, and the cancellation announced, in one
 * transaction. Cancelling again changes nothing and announces nothing.
 */
export async function cancelRegistration(ports: WebinarPorts, registration: Registration): Promise<Registration> {
  const { registrationId, webinarId } = registration;
  if (registration.status === 'cancelled') return registration;
  const now = ports.clock.now();
  const webinar = await requireWebinar(ports, webinarId);
  if (now.toISOString() >= webinar.endsAt) {
    throw new ConflictError('The webinar is over; there is nothing to cancel', { code: 'webinar_ended' });
  }
  const cancelled = event(
    'RegistrationCancelled',
    { registrationId, webinarId, previousStatus: registration.status },
    { roundId: webinar.roundId },
  );
  if (!(await ports.webinars.cancel(registration, now.toISOString(), [cancelled]))) {
    const current = await requireRegistration(ports, registrationId);
    if (current.status === 'cancelled') return current;
    throw new ConflictError('The registration changed while cancelling; please try again', { code: 'state_changed' });
  }
  return requireRegistration(ports, registrationId);
}

/**
 * Gives each free seat to the first of the waiting list, until seats or list run out. Safe to run
 * any number of times: each promotion is conditional on a free seat and on the person still waiting,
 * and its RegistrationPromoted is written in the same transaction: a promotion that happened has
 * been announced, and a run that finds nothing to do announces nothing.
 */
export async function fillFreeSeats(ports: WebinarPorts, webinarId: string): Promise<number> {
  const store = ports.webinars;
  const webinar = await store.getWebinar(webinarId);
  const at = ports.clock.now().toISOString();
  if (!webinar || at >= webinar.startsAt) return 0;
  if (webinar.confirmed >= webinar.seats || waitingCount(webinar) === 0) return 0;
  let promoted = 0;
  for (const registration of waitingInOrder(await store.listRegistrations(webinarId))) {
    const outcome = await store.promote(registration, at, [
      event('RegistrationPromoted', { registrationId: registration.registrationId, webinarId }, { roundId: webinar.roundId }),
    ]);
    if (outcome === 'full') break;
    if (outcome === 'promoted') promoted += 1;
  }
  return promoted;
}

/**
 * The safety net behind the events: for every upcoming webinar, counters left wrong by a writer
 * that died half-way are set right once they have been still for a while, and free seats go to
 * the waiting list even if the event that should have said so was lost.
 */
export async function sweepSeats(ports: WebinarPorts): Promise<void> {
  const store = ports.webinars;
  const now = ports.clock.now();
  const at = now.toISOString();
  for (const webinar of await store.listWebinarsStarting(at, new Date(now.getTime() + sweepHorizonMs).toISOString())) {
    const settled = !webinar.countersAt || Date.parse(webinar.countersAt) <= now.getTime() - counterSettleMs;
    const unchecked = webinar.countersAt && (!webinar.countersCheckedAt || webinar.countersCheckedAt < webinar.countersAt);
    if (settled && unchecked) {
      const registrations = await store.listRegistrations(webinar.webinarId);
      const actual = {
        confirmed: registrations.filter((r) => r.status === 'confirmed').length,
        waiting: registrations.filter((r) => r.status === 'waitlisted').length,
      };
      if (actual.confirmed !== webinar.confirmed || actual.waiting !== waitingCount(webinar)) {
        logger.warn('seat counters reconciled', {
          webinarId: webinar.webinarId,
          counted: { confirmed: webinar.confirmed, waiting: waitingCount(webinar) },
          actual,
        });
      }
      await store.reconcileCounters(webinar, actual, at);
    }
    await fillFreeSeats(ports, webinar.webinarId);
  }
}

/**
 * Records attendance for a list of confirmed registrations, all checked before any is written; each
 * with its AttendanceMarked. One already marked so counts as marked and announces nothing again.
 */
export async function markAttendance(ports: WebinarPorts, webinarId: string, body: AttendanceBody) {
  const store = ports.webinars;
  const webinar = await requireWebinar(ports, webinarId);
  const registrations = new Map((await store.listRegistrations(webinarId)).map((r) => [r.registrationId, r]));
  const now = ports.clock.now();
  assertCanMarkAttendance(webinar, body, registrations, now);
  const at = now.toISOString();
  let marked = 0;
  await forEachLimited(body.registrationIds, 10, async (registrationId) => {
    const outcome = await store.markAttendance(registrationId, webinarId, body.attended, at, [
      event('AttendanceMarked', { registrationId, webinarId, attended: body.attended }, { roundId: webinar.roundId }),
    ]);
    if (outcome !== 'refused') marked += 1;
  });
  return { webinarId, attended: body.attended, marked };
}

/**
 * Records a press of "send" as a batch and hands it to the background sender. The recipients are
 * gathered by the sender, not here, so that the request stays short whatever the round's size.
 */
export async function requestInvitations(
  ports: WebinarPorts,
  webinarId: string,
  body: InvitationsBody,
  by: string,
): Promise<InvitationBatch> {
  const webinar = await requireWebinar(ports, webinarId);
  const now = ports.clock.now();
  if (now.toISOString() >= webinar.startsAt) {
    throw new ConflictError('The webinar has started; invitations are no longer sent', { code: 'webinar_started' });
  }
  const batch: InvitationBatch = {
    batchId: ports.newId(),
    webinarId,
    status: 'preparing',
    ratePerSecond: body.ratePerSecond,
    ...(body.extraInvitees.length ? { extraInvitees: body.extraInvitees } : {}),
    recipients: 0,
    skipped: 0,
    sent: 0,
    failed: 0,
    throttled: 0,
    createdAt: now.toISOString(),
    createdBy: by,
  };
  await ports.batches.putBatch(batch, [
    event('InvitationsRequested', { webinarId, batchId: batch.batchId }, { roundId: webinar.roundId }),
  ]);
  return batch;
}

/**
 * Restarts every open batch whose sender is gone (crashed, timed out, or stalled behind throttled
 * mail): an InvitationBatchProgressed for it, written only if the batch is still open and free.
 */
export async function resumeStalledBatches(ports: WebinarPorts): Promise<number> {
  const at = ports.clock.now().toISOString();
  let resumed = 0;
  for (const batch of await ports.batches.listOpenBatches()) {
    if (batch.leaseUntil && batch.leaseUntil > at) continue;
    const webinar = await ports.webinars.getWebinar(batch.webinarId);
    const progressed = event(
      'InvitationBatchProgressed',
      { webinarId: batch.webinarId, batchId: batch.batchId, sent: batch.sent, failed: batch.failed, left: batchLeft(batch) },
      webinar ? { roundId: webinar.roundId } : {},
    );
    if (await ports.batches.resumeBatch(batch.webinarId, batch.batchId, at, [progressed])) resumed += 1;
  }
  return resumed;
}
