// Selection's use cases: run the selection, withdraw, answer offers, fill freed places, let offers
// lapse and carry the waiting list over. Each is safe to run again: it acts on the state it finds.
// Every change is written together with its events (the outbox), so an event is on record exactly
// when its change is, and a repeat that changes nothing announces nothing.
import { randomUUID } from 'node:crypto';
import type { SelectionBody } from '../../schemas/api/rounds.js';
import type { Application, Offer, Round } from '../intake/domain.js';
import { newAccessToken } from '../shared/access.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import { event } from '../shared/outbox.js';
import { intakeStore } from '../intake/store-instance.js';
import { assertCanSelect, assertOpenOffer, nextRank, offerExpiry, planSelection, sameSelection, withdrawPlan } from './domain.js';
import { selectionStore } from './store-instance.js';
import { TransactionRefused } from '../shared/transactions.js';

async function requireRound(roundId: string): Promise<Round> {
  const round = await intakeStore().getRound(roundId);
  if (!round) throw new NotFoundError(`No round ${roundId}`);
  return round;
}

export async function requireApplication(applicationId: string): Promise<Application> {
  const application = await intakeStore().getApplication(applicationId);
  if (!application) throw new NotFoundError(`No application ${applicationId}`);
  return application;
}

/** A coordinator's selection request: records the run (once), then carries it out. */
export async function requestSelection(roundId: string, body: SelectionBody, by: string, now: Date) {
  const round = await requireRound(roundId);
  if (round.selection) {
    if (!sameSelection(round.selection, body)) {
      throw new ConflictError(`The round was already selected (${round.selection.policy}) at ${round.selection.startedAt}`, {
        code: 'already_selected',
      });
    }
    return carryOutSelection(roundId, now);
  }
  const applications = await intakeStore().listRoundApplications(roundId);
  assertCanSelect(round, body, applications, now);
  const selection = {
    policy: body.policy,
    ...(body.policy === 'manual' ? { accept: body.accept } : {}),
    startedAt: now.toISOString(),
    by,
  };
  const closeNow = body.force && now.toISOString() < round.closesAt ? now : undefined;
  const claimed = await selectionStore().claimSelection(roundId, selection, closeNow);
  if (!claimed) {
    // Another request claimed it between our read and our write: answer as for a repeat.
    const current = await requireRound(roundId);
    if (!current.selection || !sameSelection(current.selection, body)) {
      throw new ConflictError('The round was selected by another request at the same moment', { code: 'already_selected' });
    }
  }
  return carryOutSelection(roundId, now);
}

/**
 * Decides every undecided application of a round whose selection is on record, each decision in its
 * own transaction with its event. A crash half-way is finished by the next call (the schedule
 * retries every minute); the decisions the crashed run made were announced when they were written.
 */
export async function carryOutSelection(roundId: string, now: Date) {
  const store = selectionStore();
  const at = now.toISOString();
  let round = await requireRound(roundId);
  const selection = round.selection;
  if (!selection) throw new Error(`Round ${roundId} has no selection on record`);
  let applications = await intakeStore().listRoundApplications(roundId);

  if (!round.selectedAt) {
    const plan = planSelection(round, applications, selection.policy, selection.accept);
    const byId = new Map(applications.map((a) => [a.applicationId, a]));
    const overflow: string[] = [];
    for (const id of plan.accept) {
      const outcome = await store.acceptReceived(byId.get(id)!, at, [
        event('ApplicationAccepted', { applicationId: id, roundId, via: 'selection' }),
      ]);
      if (outcome === 'full') overflow.push(id);
    }
    let rank = nextRank(applications);
    for (const id of [...overflow, ...plan.waitlist]) {
      const written = await store.waitlistReceived(byId.get(id)!, rank, at, [
        event('ApplicationWaitlisted', { applicationId: id, roundId, position: rank }),
      ]);
      if (written) rank += 1;
    }
    applications = await intakeStore().listRoundApplications(roundId);
    const accepted = applications.filter((a) => a.status === 'accepted').length;
    const waitlisted = applications.filter((a) => a.status === 'waitlisted').length;
    // Of concurrent runs, the one that finishes the selection announces it; the others write nothing.
    await store.finishSelection(roundId, at, [
      event('SelectionCompleted', { roundId, policy: selection.policy, accepted, waitlisted }),
    ]);
    round = await requireRound(roundId);
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
export async function selectDueRounds(now: Date): Promise<void> {
  const at = now.toISOString();
  for (const round of await intakeStore().listRounds({ openedBefore: at })) {
    if (round.completedAt || round.selectedAt) continue;
    if (round.selection) {
      await carryOutSelection(round.roundId, now);
    } else if (round.closesAt <= at && round.selectionPolicy === 'first-come') {
      const selection = { policy: 'first-come' as const, startedAt: at, by: 'schedule' };
      if (await selectionStore().claimSelection(round.roundId, selection, undefined)) await carryOutSelection(round.roundId, now);
    }
  }
}

/** Withdraws an application; a freed place goes to the waiting list. */
export async function withdraw(application: Application, by: 'applicant' | 'coordinator', now: Date): Promise<Application> {
  const plan = withdrawPlan(application);
  if (plan.kind === 'refuse') throw new ConflictError(plan.reason, { code: plan.code });
  const { applicationId, roundId } = application;
  try {
    await selectionStore().withdraw(application, now.toISOString(), [
      event('ApplicationWithdrawn', { applicationId, roundId, previousStatus: application.status, by }),
      ...(plan.kind === 'free-place' ? [event('PlaceFreed', { roundId, reason: 'withdrawn' })] : []),
    ]);
  } catch (error) {
    if (error instanceof TransactionRefused) {
      throw new ConflictError('The application changed while withdrawing; reload and try again', {
        code: 'state_changed',
        cause: error,
      });
    }
    throw error;
  }
  return requireApplication(applicationId);
}

/** The applicant's answer to an open offer: a freed place, or carrying over to the next round. */
export async function answerOffer(application: Application, answer: 'accept' | 'decline', now: Date): Promise<Application> {
  const offer = assertOpenOffer(application, now);
  const at = now.toISOString();
  const { applicationId, roundId } = application;
  try {
    if (offer.kind === 'place') {
      await selectionStore().settlePlaceOffer(
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
    } else if (answer === 'accept') {
      await carryOver(application, offer, now);
    } else {
      await selectionStore().endCarryOver(application, offer, 'declined', at, [
        event('OfferDeclined', { applicationId, roundId, offerId: offer.offerId, kind: 'carry-over', reason: 'declined' }),
      ]);
    }
  } catch (error) {
    if (error instanceof TransactionRefused) {
      const current = await requireApplication(applicationId);
      if (current.offer?.offerId !== offer.offerId || current.status !== application.status) {
        throw new ConflictError('The offer was already answered or has lapsed', { code: 'offer_closed', cause: error });
      }
      throw new ConflictError('The next round no longer takes applications', { code: 'round_not_open', cause: error });
    }
    throw error;
  }
  return requireApplication(applicationId);
}

/** Moves the application to the next round, with ApplicationCarriedOver (and ApplicationReceived for a new application). */
async function carryOver(application: Application, offer: Offer, now: Date): Promise<void> {
  const nextRoundId = offer.nextRoundId!;
  const next = await requireRound(nextRoundId);
  const existing = (await intakeStore().listRoundApplications(nextRoundId)).find(
    (a) => a.municipality.code === application.municipality.code,
  );
  const at = now.toISOString();
  const newApplication: Application = {
    ...application,
    applicationId: randomUUID(),
    roundId: next.roundId,
    status: 'received',
    priority: application.rank ?? Number.MAX_SAFE_INTEGER,
    carriedOverFrom: { roundId: application.roundId, applicationId: application.applicationId },
    receivedAt: at,
    accessToken: newAccessToken(),
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
  await selectionStore().carryOver(
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
export async function fillFreePlaces(roundId: string, now: Date): Promise<number> {
  const round = await requireRound(roundId);
  if (!round.selectedAt || round.completedAt) return 0;
  let offered = 0;
  const waiting = (await intakeStore().listRoundApplications(roundId))
    .filter((a) => a.status === 'waitlisted' && !a.offer && !a.carryOver && a.rank !== undefined)
    .sort((a, b) => a.rank! - b.rank!);
  for (const application of waiting) {
    const offer: Offer = { offerId: randomUUID(), kind: 'place', expiresAt: offerExpiry(now, round.offerHours) };
    const outcome = await selectionStore().offerPlace(application, offer, now.toISOString(), [
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
export async function expireOffers(now: Date): Promise<void> {
  const store = selectionStore();
  const at = now.toISOString();
  for (const kind of ['place', 'carry-over'] as const) {
    for (const timer of await store.dueTimers(kind, at)) {
      const application = await intakeStore().getApplication(timer.applicationId);
      const offer = application?.offer;
      if (!application || !offer || offer.offerId !== timer.offerId) {
        await store.deleteStaleTimer(timer);
        continue;
      }
      const { applicationId, roundId } = application;
      const declined = event('OfferDeclined', { applicationId, roundId, offerId: offer.offerId, kind, reason: 'lapsed' });
      try {
        if (kind === 'place') {
          await store.settlePlaceOffer(application, offer, 'lapse', at, [
            declined,
            event('PlaceFreed', { roundId, reason: 'lapsed' }),
          ]);
        } else {
          await store.endCarryOver(application, offer, 'lapsed', at, [declined]);
        }
      } catch (error) {
        if (error instanceof TransactionRefused) continue; // answered at the same moment
        throw error;
      }
    }
  }
  // A place must not stay empty for good when the PlaceFreed handler gave up (dead-lettered): offer it here too.
  for (const round of await intakeStore().listRounds({ openedBefore: at })) {
    if (round.selectedAt && !round.completedAt && round.taken < round.places) await fillFreePlaces(round.roundId, now);
  }
}

/** Asks the still-waitlisted of `round` whether to carry their application over to its next round. */
export async function askCarryOver(round: Round, now: Date): Promise<number> {
  if (!round.nextRoundId) return 0;
  let asked = 0;
  for (const application of await intakeStore().listRoundApplications(round.roundId)) {
    if (application.status !== 'waitlisted' || application.offer || application.carryOver || application.carriedOverTo) continue;
    const offer: Offer = {
      offerId: randomUUID(),
      kind: 'carry-over',
      expiresAt: offerExpiry(now, round.carryOverHours),
      nextRoundId: round.nextRoundId,
    };
    const written = await selectionStore().offerCarryOver(application, offer, [
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
export async function onRoundOpened(openedRoundId: string, now: Date): Promise<void> {
  const rounds = await intakeStore().listRounds();
  for (const round of rounds) {
    if (round.nextRoundId === openedRoundId && round.carryOverWhen === 'next-round-opens' && round.selectedAt) {
      await askCarryOver(round, now);
    }
  }
}

/** On RoundCompleted: the round itself, when it carries over on completion. */
export async function onRoundCompleted(roundId: string, now: Date): Promise<void> {
  const round = await requireRound(roundId);
  if (round.carryOverWhen === 'round-completes') await askCarryOver(round, now);
}

export async function completeRound(roundId: string, now: Date): Promise<Round> {
  const round = await requireRound(roundId);
  if (!round.selection) throw new ConflictError('A round is completed after its selection', { code: 'not_selected' });
  // RoundCompleted is written with completedAt; completing again writes nothing (and answers the same).
  await selectionStore().completeRound(roundId, now.toISOString(), [event('RoundCompleted', { roundId })]);
  return requireRound(roundId);
}
