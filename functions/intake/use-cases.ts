// Intake's use cases: rounds (create, read, change, open) and applications (apply, read, the status
// link again, the confirmation). Each takes its ports; every change is written together with its
// events (the outbox), so a repeat that changes nothing announces nothing.
import type { ApplyBody, ApplyResponse } from '../../schemas/api/applications.js';
import type { CreateRoundBody, RoundStatus, RoundView, UpdateRoundBody } from '../../schemas/api/rounds.js';
import type { Application } from '../../schemas/stored/application.js';
import type { Round } from '../../schemas/stored/round.js';
import { assertToken } from '../shared/access.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import type { Mailer } from '../shared/mailer.js';
import { event } from '../shared/outbox.js';
import type { ApplicationStore } from '../stores/applications.js';
import type { RoundStore } from '../stores/rounds.js';
import { assertCanApply, changedRound, newApplication, newRound, statusUrl, toRoundView } from './domain.js';
import { applicationReceivedEmail, statusLinkEmail } from './emails.js';

/** What intake's use cases need. */
export interface IntakePorts {
  rounds: RoundStore;
  applications: ApplicationStore;
  clock: Clock;
  newId: () => string;
  /** A new status-link secret. */
  newToken: () => string;
  /** Base URL of the pages that emailed links point to (read when a link is made). */
  pagesUrl: () => string;
}

/** The ports of the use cases that mail: intake's, and the mailer. */
export interface IntakeMailPorts extends IntakePorts {
  mailer: Mailer;
}

/** How often one application's contact may be mailed the link again. */
export const statusLinkIntervalMinutes = 10;

async function requireRound(ports: Pick<IntakePorts, 'rounds'>, roundId: string): Promise<Round> {
  const round = await ports.rounds.get(roundId);
  if (!round) throw new NotFoundError(`No round ${roundId}`);
  return round;
}

/** A coordinator opens a new round. */
export async function createRound(ports: IntakePorts, body: CreateRoundBody, createdBy: string): Promise<RoundView> {
  const now = ports.clock.now();
  const round = newRound(body, { roundId: ports.newId(), now, createdBy });
  await ports.rounds.create(round);
  return toRoundView(round, now);
}

export async function getRound(ports: IntakePorts, roundId: string): Promise<RoundView> {
  return toRoundView(await requireRound(ports, roundId), ports.clock.now());
}

/** The rounds in `status` (all of them for `all`), by opening time. */
export async function listRounds(ports: IntakePorts, status: RoundStatus | 'all'): Promise<RoundView[]> {
  const now = ports.clock.now();
  return (await ports.rounds.list())
    .map((round) => toRoundView(round, now))
    .filter((round) => status === 'all' || round.status === status);
}

/** A coordinator changes a round whose window has not closed. */
export async function updateRound(ports: IntakePorts, roundId: string, body: UpdateRoundBody): Promise<RoundView> {
  const now = ports.clock.now();
  const round = await requireRound(ports, roundId);
  const updated = await ports.rounds.update(round.roundId, changedRound(round, body, now), now.toISOString());
  if (!updated) throw new ConflictError('The round closed or was selected while changing it', { code: 'round_closed' });
  return toRoundView(updated, now);
}

/** Announces each round whose application window has opened (RoundOpened, once); how many it announced. */
export async function openDueRounds(ports: IntakePorts): Promise<number> {
  const at = ports.clock.now().toISOString();
  const due = (await ports.rounds.list({ openedBefore: at })).filter((round) => !round.openedAt && round.closesAt > at);
  let opened = 0;
  for (const round of due) {
    // openedAt and RoundOpened are written in one transaction, on the condition that openedAt is not
    // yet set: of concurrent runs one writes both, the others nothing; a run that dies writes nothing.
    const written = await ports.rounds.markOpened(round.roundId, at, [
      event('RoundOpened', { roundId: round.roundId, opensAt: round.opensAt, closesAt: round.closesAt }),
    ]);
    if (written) opened += 1;
  }
  return opened;
}

/** What an application answers: created (with the status link) or the municipality's existing one. */
export interface Applied {
  created: boolean;
  response: ApplyResponse;
}

/** A municipality applies; one application per municipality per round. */
export async function apply(ports: IntakePorts, roundId: string, body: ApplyBody): Promise<Applied> {
  const now = ports.clock.now();
  const round = await requireRound(ports, roundId);
  assertCanApply(round, body.language, now);
  const candidate = newApplication(round, body, { applicationId: ports.newId(), accessToken: ports.newToken(), now });
  // ApplicationReceived is written with the application, in one transaction. A repeat (the applicant's
  // retry, a race) is a duplicate and writes nothing: the first one's event is already on record.
  const result = await ports.applications.create(candidate, now.toISOString(), [
    event('ApplicationReceived', {
      applicationId: candidate.applicationId,
      roundId: candidate.roundId,
      municipalityCode: candidate.municipality.code,
      language: candidate.language,
      receivedAt: candidate.receivedAt,
    }),
  ]);
  if (result.outcome === 'round-not-open') {
    throw new ConflictError('The round is not open for applications', { code: 'round_not_open' });
  }
  const { application } = result;
  const created = result.outcome === 'created';
  // The status link is a secret: only the first answer carries it. A repeat answers the same for any
  // address (so it tells nobody which address applied); the contact asks for the link again with
  // POST /rounds/{roundId}/status-link, which mails it to the address on file.
  return {
    created,
    response: {
      applicationId: application.applicationId,
      status: application.status,
      ...(created ? { statusUrl: statusUrl(ports.pagesUrl(), application) } : {}),
    },
  };
}

/** The application that the holder of its status link's `token` may see. */
export async function applicationByToken(
  ports: Pick<IntakePorts, 'applications'>,
  applicationId: string,
  token: string | undefined,
): Promise<Application> {
  const application = await ports.applications.get(applicationId);
  if (!application) throw new NotFoundError(`No application ${applicationId}`);
  assertToken(token, application.accessToken, 'application');
  return application;
}

/**
 * The contact lost the email with the status link. When the address is the one on file, the link is
 * mailed to it again (at most once in `statusLinkIntervalMinutes`); the caller answers the same either
 * way, so it tells nobody whether, or with which address, a municipality applied.
 */
export async function requestStatusLink(
  ports: IntakePorts,
  roundId: string,
  body: { municipalityCode: string; email: string },
): Promise<void> {
  const application = await ports.applications.findOf(roundId, body.municipalityCode);
  if (!application || application.contact.email.toLowerCase() !== body.email.toLowerCase()) return;
  const at = ports.clock.now();
  await ports.applications.recordStatusLinkRequest(application, at, statusLinkIntervalMinutes, [
    event('StatusLinkRequested', {
      applicationId: application.applicationId,
      roundId: application.roundId,
      requestedAt: at.toISOString(),
    }),
  ]);
}

async function applicationAndRound(ports: IntakeMailPorts, applicationId: string, roundId: string) {
  const [application, round] = await Promise.all([ports.applications.get(applicationId), ports.rounds.get(roundId)]);
  return application && round ? { application, round } : undefined;
}

/** On ApplicationReceived: the confirmation with the status link, exactly once. */
export async function sendApplicationConfirmation(
  ports: IntakeMailPorts,
  received: { applicationId: string; roundId: string },
): Promise<void> {
  const { applicationId, roundId } = received;
  const found = await applicationAndRound(ports, applicationId, roundId);
  if (!found) {
    // Erased (privacy) or never committed: there is nobody to tell, and retrying will not change that.
    logger.warn('application or round not found; no confirmation sent', { applicationId, roundId });
    return;
  }
  const { application, round } = found;
  const mail = applicationReceivedEmail({
    language: application.language,
    contactName: application.contact.name,
    municipalityName: application.municipality.name,
    roundName: round.name,
    closesAt: round.closesAt,
    statusUrl: statusUrl(ports.pagesUrl(), application),
  });
  const result = await ports.mailer.sendOnce({
    key: `application-received/${applicationId}`,
    kind: 'application-received',
    to: application.contact.email,
    ...mail,
  });
  await ports.applications.markConfirmationSent(applicationId, ports.clock.now().toISOString());
  logger.info('application confirmation', { applicationId, result });
}

/** On StatusLinkRequested: the status link to the application's contact, once per request. */
export async function sendStatusLink(
  ports: IntakeMailPorts,
  requested: { applicationId: string; roundId: string; requestedAt: string },
): Promise<void> {
  const { applicationId, roundId, requestedAt } = requested;
  const found = await applicationAndRound(ports, applicationId, roundId);
  if (!found) {
    logger.warn('application or round not found; no status link sent', { applicationId, roundId });
    return;
  }
  const { application, round } = found;
  const mail = statusLinkEmail({
    language: application.language,
    contactName: application.contact.name,
    municipalityName: application.municipality.name,
    roundName: round.name,
    statusUrl: statusUrl(ports.pagesUrl(), application),
  });
  const result = await ports.mailer.sendOnce({
    key: `status-link/${applicationId}/${requestedAt}`,
    kind: 'status-link',
    to: application.contact.email,
    ...mail,
  });
  logger.info('status link sent again', { applicationId, result });
}
