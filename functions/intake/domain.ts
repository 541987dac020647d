// Intake rules as plain functions: rounds, their application window, and applications. No AWS here.
import type { ApplicationStatus, ApplicationView, ApplyBody } from '../../schemas/api/applications.js';
import type { CreateRoundBody, RoundStatus, RoundView } from '../../schemas/api/rounds.js';
import type { Language } from '../../schemas/common.js';
import { ConflictError, ValidationError } from '../shared/errors.js';

/** A round as stored. Times are normalised to UTC ISO strings so that they compare as text. */
export interface Round {
  roundId: string;
  name: string;
  region: string;
  places: number;
  opensAt: string;
  closesAt: string;
  languages: Language[];
  nextRoundId?: string;
  offerHours: number;
  createdAt: string;
  createdBy: string;
  /** How many applications arrived; kept by the same transaction that stores each one. */
  applications: number;
  /** How many places are taken (selection keeps it). */
  accepted: number;
  /** Set once RoundOpened has been published. */
  openedAt?: string;
}

export interface Application {
  applicationId: string;
  roundId: string;
  municipality: { code: string; name: string };
  contact: { name: string; email: string; phone?: string };
  language: Language;
  themes: string[];
  situation?: string;
  status: ApplicationStatus;
  position?: number;
  receivedAt: string;
  consentAt: string;
  /** Secret of the status link; whoever holds it may read and act on this one application. */
  accessToken: string;
  confirmationSentAt?: string;
}

const utc = (iso: string) => new Date(iso).toISOString();

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
    createdAt: ids.now.toISOString(),
    createdBy: ids.createdBy,
    applications: 0,
    accepted: 0,
  };
}

/** Where a round's application window stands at `now`. */
export function roundStatus(round: Pick<Round, 'opensAt' | 'closesAt'>, now: Date): RoundStatus {
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
    placesLeft: Math.max(0, round.places - round.accepted),
    applications: round.applications,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    languages: round.languages,
    ...(round.nextRoundId ? { nextRoundId: round.nextRoundId } : {}),
    offerHours: round.offerHours,
    status: roundStatus(round, now),
    createdAt: round.createdAt,
  };
}

/** Refuses an application that the round cannot take. The store re-checks the window atomically. */
export function assertCanApply(round: Round, language: Language, now: Date): void {
  const status = roundStatus(round, now);
  if (status === 'scheduled') {
    throw new ConflictError(`Round "${round.name}" opens for applications at ${round.opensAt}`, { code: 'round_not_open' });
  }
  if (status === 'closed') {
    throw new ConflictError(`Round "${round.name}" closed for applications at ${round.closesAt}`, { code: 'round_not_open' });
  }
  if (!round.languages.includes(language)) {
    throw new ValidationError('The request is not valid', {
      issues: [{ path: 'language', message: `this round is run in ${round.languages.join(', ')}` }],
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

export function statusUrl(publicUrl: string, application: Pick<Application, 'applicationId' | 'accessToken'>): string {
  return `${publicUrl}/applications/${encodeURIComponent(application.applicationId)}?token=${encodeURIComponent(application.accessToken)}`;
}

export function toApplicationView(application: Application, round: Pick<Round, 'name'>): ApplicationView {
  return {
    applicationId: application.applicationId,
    roundId: application.roundId,
    roundName: round.name,
    municipality: application.municipality,
    language: application.language,
    themes: application.themes,
    status: application.status,
    ...(application.position !== undefined ? { position: application.position } : {}),
    receivedAt: application.receivedAt,
    meetings: [],
  };
}
