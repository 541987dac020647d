// Reading webinars, registrations and batches for the API. Nothing here publishes or mails, so the
// read-only handlers carry neither the EventBridge nor the SES client.
import type { WebinarView } from '../../schemas/api/webinars.js';
import { NotFoundError } from '../shared/errors.js';
import {
  toBatchProgress,
  toRegistrationView,
  toWebinarView,
  waitingCount,
  waitlistPositions,
  type Registration,
  type Webinar,
} from './domain.js';
import type { WebinarPorts } from './ports.js';

export async function requireWebinar(ports: WebinarPorts, webinarId: string): Promise<Webinar> {
  const webinar = await ports.webinars.getWebinar(webinarId);
  if (!webinar) throw new NotFoundError(`No webinar ${webinarId}`);
  return webinar;
}

/** GET /rounds/{roundId}/webinars: the round's webinars, in start order, as its coordinators see them. */
export async function roundWebinars(ports: WebinarPorts, roundId: string): Promise<WebinarView[]> {
  if (!(await ports.rounds.roundExists(roundId))) throw new NotFoundError(`No round ${roundId}`);
  const now = ports.clock.now();
  return (await ports.webinars.listOfRound(roundId)).map((w) => toWebinarView(w, now, 'coordinator'));
}

export async function requireRegistration(ports: WebinarPorts, registrationId: string): Promise<Registration> {
  const registration = await ports.webinars.getRegistration(registrationId);
  if (!registration) throw new NotFoundError(`No registration ${registrationId}`);
  return registration;
}

/** A registration's place on the waiting list now (1 = next), or undefined when it is not waiting. */
export async function currentPosition(ports: WebinarPorts, registration: Registration): Promise<number | undefined> {
  if (registration.status !== 'waitlisted') return undefined;
  const positions = waitlistPositions(await ports.webinars.listRegistrations(registration.webinarId));
  return positions.get(registration.registrationId);
}

/** The coordinator's listing: every registration with status, waiting-list position and attendance. */
export async function registrationList(ports: WebinarPorts, webinarId: string) {
  const webinar = await requireWebinar(ports, webinarId);
  const registrations = await ports.webinars.listRegistrations(webinarId);
  const positions = waitlistPositions(registrations);
  return {
    webinarId,
    seats: webinar.seats,
    confirmed: webinar.confirmed,
    waiting: waitingCount(webinar),
    registrations: registrations.map((r) => toRegistrationView(r, positions.get(r.registrationId))),
  };
}

export async function batchProgress(ports: WebinarPorts, webinarId: string, batchId: string) {
  const batch = await ports.batches.getBatch(webinarId, batchId);
  if (!batch) throw new NotFoundError(`No invitation batch ${batchId} for webinar ${webinarId}`);
  const failures = batch.failed > 0 ? await ports.batches.listFailedInvitations(batchId) : [];
  return toBatchProgress(
    batch,
    failures.map((f) => ({ email: f.email, reason: f.reason ?? 'unknown' })),
  );
}
