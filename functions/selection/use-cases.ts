// Selection's use cases: run the selection, withdraw, answer offers, fill freed places, let offers
// lapse and carry the waiting list over. Each is safe to run again: it acts on the state it finds.
// Every change is written together with its events (the outbox), so an event is on record exactly
// when its change is, and a repeat that changes nothing announces nothing.
import type { SelectionBody } from '../../schemas/api/rounds.js';
import type { Application, Offer } from '../../schemas/stored/application.js';
import type { Round } from '../../schemas/stored/round.js';
import { assertToken } from '../shared/access.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import { event } from '../shared/outbox.js';
import { waitlistPositions } from '../intake/domain.js';
import { statusUrl } from '../shared/page-links.js';
import type { IntakeMailPorts, IntakePorts } from '../intake/use-cases.js';
import { assertCanSelect, assertOpenOffer, nextRank, offerExpiry, planSelection, sameSelection, withdrawPlan } from './domain.js';
import { selectionEmail, type SelectionMail, type SelectionMailKind } from './emails.js';
import { toRoundApplicationView } from './views.js';

/**
 * What selection's use cases need: the same ports as intake's (the round and application stores, the
 * clock, ids, a status-link secret for a carried-over application and the pages' URL).
 */
export type SelectionPorts = IntakePorts;

/** Selection's ports with the mailer, for telling applicants. */
export type SelectionMailPorts = IntakeMailPorts;

async function requireRound(ports: SelectionPorts, roundId: string): Promise<Round> {
  const round = await ports.rounds.get(roundId);
  if (!round) throw new NotFoundError(`No round ${roundId}`);
  return round;
}

async function requireApplication(ports: SelectionPorts, applicationId: string): Promise<Application> {
  const application = await ports.applications.get(applicationId);
  if (!application) throw new NotFoundError(`No application ${applicationId}`);
  return application;
}

/** Who acts on an application: a coordinator, or the applicant with the status link's token. */
export type ApplicationActor = { by: 'coordinator' } | { by: 'applicant'; token: string | undefined };

async function applicationFor(ports: SelectionPorts, applicationId: string, actor: ApplicationActor): Promise<Application> {
  const application = await requireApplication(ports, applicationId);
  if (actor.by === 'applicant') assertToken(actor.token, application.accessToken, 'application');
  return application;
}

/** A coordinator's view of a round's applications, with live waiting-list positions. */
export async function listRoundApplications(ports: SelectionPorts, roundId: string) {
  const [round, applications] = await Promise.all([ports.rounds.get(roundId), ports.applications.listOfRound(roundId)]);
  if (!round) throw new NotFoundError(`No round ${roundId}`);
  const positions = waitlistPositions(applications);
  return {
    roundId: round.roundId,
    applications: applications.map((a) => toRoundApplicationView(a, positions.get(a.applicationId))),
  };
}

/** A coordinator's selection request: records the run (once), then carries it out. */
export async function requestSelection(ports: SelectionPorts, roundId: string, body: SelectionBody, by: string) {
  const now = ports.clock.now();
  const round = await requireRound(ports, roundId);
  if (round.selection) {
    if (!sameSelection(round.selection, body)) {
      throw new ConflictError(`The round was already selected (${round.selection.policy}) at ${round.selection.startedAt}`, {
        code: 'already_selected',
      });
    }
    return carryOutSelection(ports, roundId);
  }
  const applications = await ports.applications.listOfRound(roundId);
  assertCanSelect(round, body, applications, now);
  const selection = {
    policy: body.policy,
    ...(body.policy === 'manual' ? { accept: body.accept } : {}),
    startedAt: now.toISOString(),
    by,
  };
  const closeNow = body.force && now.toISOString() < round.closesAt ? now : undefined;
  const claimed = await ports.rounds.claimSelection(roundId, selection, closeNow);
  if (!claimed) {
    // Another request claimed it between our read and our write: answer as for a repeat.
    const current = await requireRound(ports, roundId);
    if (!current.selection || !sameSelection(current.selection, body)) {
      throw new ConflictError('The round was selected by another request at the same moment', { code: 'already_selected' });
    }
  }
  return carryOutSelection(ports, roundId);
}

/**
 * Decides every undecided application of a round whose selection is on record, each decision in its
 * own transaction with its event. A crash half-way is finished by the next call (the schedule
 * retries every minute); the decisions the crashed run made were announced when they were written.
 */
export async function carryOutSelection(ports: SelectionPorts, roundId: string) {
  const at = ports.clock.now().toISOString();
  let round = await requireRound(ports, roundId);
  const selection = round.selection;
  if (!selection) throw new Error(`Round ${roundId} has no selection on record`);
  let applications = await ports.applications.listOfRound(roundId);

  if (!round.selectedAt) {
    const plan = planSelection(round, applications, selection.policy, selection.accept);
    const byId = new Map(applications.map((a) => [a.applicationId, a]));
    const overflow: string[] = [];
    for (const id of plan.accept) {
      const outcome = await ports.applications.accept(byId.get(id)!, at, [
        event('ApplicationAccepted', { applicationId: id, roundId, via: 'selection' }),
      ]);
      if (outcome === 'full') overflow.push(id);
    }
    let rank = nextRank(applications);
    for (const id of [...overflow, ...plan.waitlist]) {
      const written = await ports.applications.waitlist(byId.get(id)!, rank, at, [
        event('ApplicationWaitlisted', { applicationId: id, roundId, position: rank }),
      ]);
      if (written) rank += 1;
    }
    applications = await ports.applications.listOfRound(roundId);
    const accepted = applications.filter((a) => a.status === 'accepted').length;
    const waitlisted = applications.filter((a) => a.status === 'waitlisted').length;
    // Of concurrent runs, the one that finishes the selection announces it; the others write nothing.
    await ports.rounds.finishSelection(roundId, at, [
      event('SelectionCompleted', { roundId, policy: selection.policy, accepted, waitlisted }),
    ]);
    round = await requireRound(ports, roundId);
  }
  return {
    roundId,
    policy: selection.policy,
    accepted: round.accepted,
    waitlisted: applications.filter((a) => a.status === 'waitlisted').length,
    placesLeft: Math.max(0, round.places - round.taken),
    ...(round.selectedAt ? { selectedAt: round.selectedAt } : {}),
  };
}

/** Selects every round whose window has closed (first-come rounds) and finishes interrupted runs. */
export async function selectDueRounds(ports: SelectionPorts): Promise<void> {
  const at = ports.clock.now().toISOString();
  for (const round of await ports.rounds.list({ openedBefore: at })) {
    if (round.completedAt || round.selectedAt) continue;
    if (round.selection) {
      await carryOutSelection(ports, round.roundId);
    } else if (round.closesAt <= at && round.selectionPolicy === 'first-come') {
      const selection = { policy: 'first-come' as const, startedAt: at, by: 'schedule' };
      if (await ports.rounds.claimSelection(round.roundId, selection)) await carryOutSelection(ports, round.roundId);
    }
  }
}

/** Withdraws an application; a freed place goes to the waiting list. */
export async function withdraw(ports: SelectionPorts, applicationId: string, actor: ApplicationActor): Promise<Application> {
  const application = await applicationFor(ports, applicationId, actor);
  const plan = withdrawPlan(application);
  if (plan.kind === 'refuse') throw new ConflictError(plan.reason, { code: plan.code });
  const { roundId } = application;
  const withdrawn = await ports.applications.withdraw(application, ports.clock.now().toISOString(), [
    event('ApplicationWithdrawn', { applicationId, roundId, previousStatus: application.status, by: actor.by }),
    ...(plan.kind === 'free-place' ? [event('PlaceFreed', { roundId, reason: 'withdrawn' })] : []),
  ]);
  if (!withdrawn)
    throw new ConflictError('The application changed while withdrawing; reload and try again', { code: 'state_changed' });
  return requireApplication(ports, applicationId);
}

/** The applicant's answer to an open offer: a freed place, or carrying over to the next round. */
export async function answerOffer(
  ports: SelectionPorts,
  applicationId: string,
  token: string | undefined,
  answer: 'accept' | 'decline',
): Promise<Application> {
  const application = await applicationFor(ports, applicationId, { by: 'applicant', token });
  const now = ports.clock.now();
  const offer = assertOpenOffer(application, now);
  const at = now.toISOString();
  const { roundId } = application;
  let outcome: 'answered' | 'offer-closed' | 'round-not-open';
  if (offer.kind === 'place') {
    const settled = await ports.applications.settlePlaceOffer(
      application,
      offer,
      answer,
      at,
      answer === 'accept'
        ? [event('ApplicationAccepted', { applicationId, roundId, via: 'offer' })]
        : [
            event('OfferDeclined', { applicationId, roundId, offerId: offer.offerId, kind: 'place', reason: 'declined' }),
            event('PlaceFreed', { roundId, reason: 'declined' }),
          ],
    );
    outcome = settled ? 'answered' : 'offer-closed';
  } else if (answer === 'accept') {
    const carried = await carryOver(ports, application, offer, now);
    outcome = carried === 'carried-over' ? 'answered' : carried;
  } else {
    const ended = await ports.applications.endCarryOver(application, offer, 'declined', at, [
      event('OfferDeclined', { applicationId, roundId, offerId: offer.offerId, kind: 'carry-over', reason: 'declined' }),
    ]);
    outcome = ended ? 'answered' : 'offer-closed';
  }
  if (outcome === 'offer-closed')
    throw new ConflictError('The offer was already answered or has lapsed', { code: 'offer_closed' });
  if (outcome === 'round-not-open')
    throw new ConflictError('The next round no longer takes applications', { code: 'round_not_open' });
  return requireApplication(ports, applicationId);
}

/** Moves the application to the next round, with ApplicationCarriedOver (and ApplicationReceived for a new application). */
async function carryOver(ports: SelectionPorts, application: Application, offer: Offer, now: Date) {
  const nextRoundId = offer.nextRoundId!;
  const next = await requireRound(ports, nextRoundId);
  const existing = (await ports.applications.listOfRound(nextRoundId)).find(
    (a) => a.municipality.code === application.municipality.code,
  );
  const at = now.toISOString();
  const newApplication: Application = {
    ...application,
    applicationId: ports.newId(),
    roundId: next.roundId,
    status: 'received',
    priority: application.rank ?? Number.MAX_SAFE_INTEGER,
    carriedOverFrom: { roundId: application.roundId, applicationId: application.applicationId },
    receivedAt: at,
    accessToken: ports.newToken(),
  };
  for (const field of [
    'rank',
    'offer',
    'carryOver',
    'carriedOverTo',
    'acceptedAt',
    'waitlistedAt',
    'offeredAt',
    'declinedAt',
    'withdrawnAt',
    'carriedOverAt',
    'confirmationSentAt',
  ] as const) {
    delete newApplication[field];
  }
  const nextApplicationId = existing?.applicationId ?? newApplication.applicationId;
  return ports.applications.carryOver(
    application,
    offer,
    { roundId: next.roundId, newApplication, ...(existing ? { existingApplicationId: existing.applicationId } : {}) },
    at,
    [
      event('ApplicationCarriedOver', {
        applicationId: application.applicationId,
        roundId: application.roundId,
        nextRoundId: next.roundId,
        nextApplicationId,
      }),
      ...(existing
        ? []
        : [
            event('ApplicationReceived', {
              applicationId: newApplication.applicationId,
              roundId: next.roundId,
              municipalityCode: application.municipality.code,
              language: application.language,
              receivedAt: at,
            }),
          ]),
    ],
  );
}

/** Offers each free place of a round to the first on the waiting list, until places or list run out. */
export async function fillFreePlaces(ports: SelectionPorts, roundId: string): Promise<number> {
  const now = ports.clock.now();
  const round = await requireRound(ports, roundId);
  if (!round.selectedAt || round.completedAt) return 0;
  let offered = 0;
  const waiting = (await ports.applications.listOfRound(roundId))
    .filter((a) => a.status === 'waitlisted' && !a.offer && !a.carryOver && a.rank !== undefined)
    .sort((a, b) => a.rank! - b.rank!);
  for (const application of waiting) {
    const offer: Offer = { offerId: ports.newId(), kind: 'place', expiresAt: offerExpiry(now, round.offerHours) };
    const outcome = await ports.applications.offerPlace(application, offer, now.toISOString(), [
      event('PlaceOffered', {
        applicationId: application.applicationId,
        roundId,
        offerId: offer.offerId,
        expiresAt: offer.expiresAt,
      }),
    ]);
    if (outcome === 'full') break;
    if (outcome === 'offered') offered += 1;
  }
  return offered;
}

/** Lets offers past their deadline lapse (a lapsed place moves on), then fills any place still free. */
export async function expireOffers(ports: SelectionPorts): Promise<void> {
  const at = ports.clock.now().toISOString();
  for (const kind of ['place', 'carry-over'] as const) {
    for (const timer of await ports.applications.dueTimers(kind, at)) {
      const application = await ports.applications.get(timer.applicationId);
      const offer = application?.offer;
      if (!application || !offer || offer.offerId !== timer.offerId) {
        await ports.applications.deleteStaleTimer(timer);
        continue;
      }
      const { applicationId, roundId } = application;
      const declined = event('OfferDeclined', { applicationId, roundId, offerId: offer.offerId, kind, reason: 'lapsed' });
      // False when it was answered at the same moment: nothing to do then.
      if (kind === 'place') {
        await ports.applications.settlePlaceOffer(application, offer, 'lapse', at, [
          declined,
          event('PlaceFreed', { roundId, reason: 'lapsed' }),
        ]);
      } else {
        await ports.applications.endCarryOver(application, offer, 'lapsed', at, [declined]);
      }
    }
  }
  // A place must not stay empty for good when the PlaceFreed handler gave up (dead-lettered): offer it here too.
  for (const round of await ports.rounds.list({ openedBefore: at })) {
    if (round.selectedAt && !round.completedAt && round.taken < round.places) await fillFreePlaces(ports, round.roundId);
  }
}

/** Asks the still-waitlisted of `round` whether to carry their application over to its next round. */
export async function askCarryOver(ports: SelectionPorts, round: Round): Promise<number> {
  if (!round.nextRoundId) return 0;
  const now = ports.clock.now();
  let asked = 0;
  for (const application of await ports.applications.listOfRound(round.roundId)) {
    if (application.status !== 'waitlisted' || application.offer || application.carryOver || application.carriedOverTo) continue;
    const offer: Offer = {
      offerId: ports.newId(),
      kind: 'carry-over',
      expiresAt: offerExpiry(now, round.carryOverHours),
      nextRoundId: round.nextRoundId,
    };
    const written = await ports.applications.offerCarryOver(application, offer, [
      event('CarryOverOffered', {
        applicationId: application.applicationId,
        roundId: round.roundId,
        nextRoundId: round.nextRoundId,
        offerId: offer.offerId,
        expiresAt: offer.expiresAt,
      }),
    ]);
    if (written) asked += 1;
  }
  logger.info('carry-over asked', { roundId: round.roundId, asked });
  return asked;
}

/** On RoundOpened: rounds that name the opened one as next, and carry over when it opens. */
export async function onRoundOpened(ports: SelectionPorts, openedRoundId: string): Promise<void> {
  for (const round of await ports.rounds.list()) {
    if (round.nextRoundId === openedRoundId && round.carryOverWhen === 'next-round-opens' && round.selectedAt) {
      await askCarryOver(ports, round);
    }
  }
}

/** On RoundCompleted: the round itself, when it carries over on completion. */
export async function onRoundCompleted(ports: SelectionPorts, roundId: string): Promise<void> {
  const round = await requireRound(ports, roundId);
  if (round.carryOverWhen === 'round-completes') await askCarryOver(ports, round);
}

export async function completeRound(ports: SelectionPorts, roundId: string): Promise<Round> {
  const round = await requireRound(ports, roundId);
  if (!round.selection) throw new ConflictError('A round is completed after its selection', { code: 'not_selected' });
  // RoundCompleted is written with completedAt; completing again writes nothing (and answers the same).
  await ports.rounds.complete(roundId, ports.clock.now().toISOString(), [event('RoundCompleted', { roundId })]);
  return requireRound(ports, roundId);
}

/** A selection event about an application, to tell its contact of by email. */
export interface Notice {
  applicationId: string;
  kind: SelectionMailKind;
  /** Unique per message: a second offer to the same application is a new message. */
  key: string;
  position?: number;
  expiresAt?: string;
  nextRoundId?: string;
}

/** Tells the application's contact of a selection event, once per notice key, in their language. */
export async function notifyApplicant(ports: SelectionMailPorts, notice: Notice): Promise<void> {
  const application = await ports.applications.get(notice.applicationId);
  if (!application) {
    logger.warn('application not found; nobody to tell', { applicationId: notice.applicationId, kind: notice.kind });
    return;
  }
  const [round, nextRound] = await Promise.all([
    ports.rounds.get(application.roundId),
    notice.nextRoundId ? ports.rounds.get(notice.nextRoundId) : undefined,
  ]);
  const mail: SelectionMail = {
    kind: notice.kind,
    language: application.language,
    contactName: application.contact.name,
    municipalityName: application.municipality.name,
    roundName: round?.name ?? application.roundId,
    statusUrl: statusUrl(ports.pagesUrl(), application),
    ...(notice.position !== undefined ? { position: notice.position } : {}),
    ...(notice.expiresAt ? { expiresAt: notice.expiresAt } : {}),
    ...(nextRound ? { nextRoundName: nextRound.name } : {}),
  };
  const result = await ports.mailer.sendOnce({
    key: notice.key,
    kind: notice.kind,
    to: application.contact.email,
    ...selectionEmail(mail),
  });
  logger.info('applicant notified', { applicationId: application.applicationId, kind: notice.kind, result });
}
