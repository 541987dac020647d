// Intake rules as plain functions: rounds, their application window, and applications. No AWS here.
import type { ApplicationView, ApplyBody } from '../../schemas/api/applications.js';
import type { CreateRoundBody, RoundStatus, RoundView, UpdateRoundBody } from '../../schemas/api/rounds.js';
import type { Language } from '../../schemas/common.js';
import type { Application } from '../../schemas/stored/application.js';
import type { Round } from '../../schemas/stored/round.js';
import { ConflictError, ValidationError } from '../shared/errors.js';

import { offerUrl } from '../shared/page-links.js';

export { offerUrl, statusUrl } from '../shared/page-links.js';

const utc = (iso: string) => new Date(iso).toISOString();

export const defaultRetentionDays = 365;

export function newRound(input: CreateRoundBody, ids: { roundId: string; now: Date; createdBy: string }): Round {
  return {
    roundId: ids.roundId,
    name: input.name,
    region: input.region,
    places: input.places,
    opensAt: utc(input.opensAt),
    closesAt: utc(input.closesAt),
    languages: [...new Set(input.languages)],
    ...(input.nextRoundId ? { nextRoundId: input.nextRoundId } : {}),
    offerHours: input.offerHours,
    selectionPolicy: input.selectionPolicy,
    carryOverWhen: input.carryOverWhen,
    carryOverHours: input.carryOverHours,
    retentionDays: input.retentionDays,
    createdAt: ids.now.toISOString(),
    createdBy: ids.createdBy,
    applications: 0,
    accepted: 0,
    taken: 0,
  };
}

/** Where a round stands at `now`: its application window, then selection and completion. */
export function roundStatus(round: Pick<Round, 'opensAt' | 'closesAt' | 'selection' | 'completedAt'>, now: Date): RoundStatus {
  if (round.completedAt) return 'completed';
  if (round.selection) return 'selected';
  const t = now.toISOString();
  if (t < round.opensAt) return 'scheduled';
  if (t < round.closesAt) return 'open';
  return 'closed';
}

export function toRoundView(round: Round, now: Date): RoundView {
  return {
    roundId: round.roundId,
    name: round.name,
    region: round.region,
    places: round.places,
    placesLeft: Math.max(0, round.places - round.taken),
    applications: round.applications,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    languages: round.languages,
    ...(round.nextRoundId ? { nextRoundId: round.nextRoundId } : {}),
    offerHours: round.offerHours,
    selectionPolicy: round.selectionPolicy,
    carryOverWhen: round.carryOverWhen,
    carryOverHours: round.carryOverHours,
    retentionDays: round.retentionDays ?? defaultRetentionDays,
    accepted: round.accepted,
    status: roundStatus(round, now),
    createdAt: round.createdAt,
    ...(round.selectedAt ? { selectedAt: round.selectedAt } : {}),
    ...(round.completedAt ? { completedAt: round.completedAt } : {}),
  };
}

/**
 * The fields of a round after a coordinator's change. Only a round whose window has not closed can
 * change, and the result must still make sense (closing after opening).
 */
export function changedRound(round: Round, changes: UpdateRoundBody, now: Date): Partial<Round> & { removeNextRoundId?: true } {
  const status = roundStatus(round, now);
  if (status !== 'scheduled' && status !== 'open') {
    throw new ConflictError(`Round "${round.name}" is ${status} and can no longer be changed`, { code: 'round_closed' });
  }
  const { nextRoundId, opensAt, closesAt, languages, ...rest } = changes;
  const update: Partial<Round> & { removeNextRoundId?: true } = { ...rest };
  if (opensAt) update.opensAt = utc(opensAt);
  if (closesAt) update.closesAt = utc(closesAt);
  if (languages) update.languages = [...new Set(languages)];
  if (nextRoundId === null) update.removeNextRoundId = true;
  else if (nextRoundId) update.nextRoundId = nextRoundId;
  if (nextRoundId === round.roundId) {
    throw new ValidationError('The request is not valid', {
      issues: [{ path: 'nextRoundId', message: 'cannot be the round itself', code: 'same_round' }],
    });
  }
  const opens = update.opensAt ?? round.opensAt;
  const closes = update.closesAt ?? round.closesAt;
  if (closes <= opens) {
    throw new ValidationError('The request is not valid', {
      issues: [
        {
          path: closesAt ? 'closesAt' : 'opensAt',
          message: 'closesAt must be after opensAt',
          code: 'not_after',
          params: { other: 'opensAt' },
        },
      ],
    });
  }
  return update;
}

/** Refuses an application that the round cannot take. The store re-checks the window atomically. */
export function assertCanApply(round: Round, language: Language, now: Date): void {
  const status = roundStatus(round, now);
  if (status === 'selected' || status === 'completed') {
    throw new ConflictError(`Round "${round.name}" has already selected its municipalities`, { code: 'round_not_open' });
  }
  if (status === 'scheduled') {
    throw new ConflictError(`Round "${round.name}" opens for applications at ${round.opensAt}`, { code: 'round_not_open' });
  }
  if (status === 'closed') {
    throw new ConflictError(`Round "${round.name}" closed for applications at ${round.closesAt}`, { code: 'round_not_open' });
  }
  if (!round.languages.includes(language)) {
    throw new ValidationError('The request is not valid', {
      issues: [
        {
          path: 'language',
          message: `this round is run in ${round.languages.join(', ')}`,
          code: 'language_not_offered',
          params: { languages: round.languages.join(', ') },
        },
      ],
    });
  }
}

export function newApplication(
  round: Round,
  body: ApplyBody,
  ids: { applicationId: string; accessToken: string; now: Date },
): Application {
  const at = ids.now.toISOString();
  return {
    applicationId: ids.applicationId,
    roundId: round.roundId,
    municipality: { code: body.municipality.code, name: body.municipality.name },
    contact: {
      name: body.contact.name,
      email: body.contact.email.toLowerCase(),
      ...(body.contact.phone ? { phone: body.contact.phone } : {}),
    },
    language: body.language,
    themes: [...new Set(body.themes)],
    ...(body.situation ? { situation: body.situation } : {}),
    status: 'received',
    receivedAt: at,
    consentAt: at,
    accessToken: ids.accessToken,
  };
}

/** Positions on the waiting list now: the still-waitlisted in rank order, 1 = next to be offered a place. */
export function waitlistPositions(
  applications: readonly Pick<Application, 'applicationId' | 'status' | 'rank'>[],
): Map<string, number> {
  const waiting = applications.filter((a) => a.status === 'waitlisted' && a.rank !== undefined).sort((a, b) => a.rank! - b.rank!);
  return new Map(waiting.map((a, index) => [a.applicationId, index + 1]));
}

export function toApplicationView(
  application: Application,
  round: Pick<Round, 'name'>,
  context: { position?: number; publicUrl: string },
): ApplicationView {
  const { offer } = application;
  return {
    applicationId: application.applicationId,
    roundId: application.roundId,
    roundName: round.name,
    municipality: application.municipality,
    language: application.language,
    themes: application.themes,
    status: application.status,
    ...(context.position !== undefined ? { position: context.position } : {}),
    ...(offer
      ? {
          offer: {
            kind: offer.kind,
            expiresAt: offer.expiresAt,
            ...(offer.nextRoundId ? { nextRoundId: offer.nextRoundId } : {}),
            answerUrl: offerUrl(context.publicUrl, application),
          },
        }
      : {}),
    ...(application.carriedOverTo ? { carriedOverTo: application.carriedOverTo } : {}),
    receivedAt: application.receivedAt,
    meetings: [],
  };
}
