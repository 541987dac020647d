// Selection rules as plain functions: who gets a place, the waiting list's order, offers and their
// deadlines, and what each state allows. No AWS here.
import type { SelectionBody } from '../../schemas/api/rounds.js';
import type { Application } from '../../schemas/stored/application.js';
import type { Round, SelectionPolicy } from '../../schemas/stored/round.js';
import { ConflictError, ValidationError, type Issue } from '../shared/errors.js';

const hourMs = 3600_000;

/**
 * First come, first served: carried-over applications first in their old order (`priority`),
 * then everyone else by time of application. Ties fall back to the id, so the order is total.
 */
export function firstComeOrder<T extends Pick<Application, 'priority' | 'receivedAt' | 'applicationId'>>(
  applications: readonly T[],
): T[] {
  return [...applications].sort(
    (a, b) =>
      (a.priority ?? Number.POSITIVE_INFINITY) - (b.priority ?? Number.POSITIVE_INFINITY) ||
      a.receivedAt.localeCompare(b.receivedAt) ||
      a.applicationId.localeCompare(b.applicationId),
  );
}

export interface SelectionPlan {
  accept: string[];
  /** In waiting-list order. */
  waitlist: string[];
}

/**
 * Decides the applications still undecided (`received`). Places already taken (a resumed run)
 * are respected, and the waiting list continues after the ranks already given.
 */
export function planSelection(
  round: Pick<Round, 'places' | 'taken'>,
  applications: readonly Application[],
  policy: SelectionPolicy,
  manualAccept: readonly string[] = [],
): SelectionPlan {
  const undecided = firstComeOrder(applications.filter((a) => a.status === 'received'));
  let free = Math.max(0, round.places - round.taken);
  const accept: string[] = [];
  const waitlist: string[] = [];
  const chosen = new Set(manualAccept);
  for (const application of undecided) {
    const wanted = policy === 'first-come' || chosen.has(application.applicationId);
    if (wanted && free > 0) {
      accept.push(application.applicationId);
      free -= 1;
    } else {
      waitlist.push(application.applicationId);
    }
  }
  return { accept, waitlist };
}

/** The next waiting-list rank after those already given. */
export function nextRank(applications: readonly Pick<Application, 'rank'>[]): number {
  return applications.reduce((max, a) => Math.max(max, a.rank ?? 0), 0) + 1;
}

/** Checks a selection request against the round before anything is written. */
export function assertCanSelect(round: Round, body: SelectionBody, applications: readonly Application[], now: Date): void {
  if (round.completedAt) throw new ConflictError('The round is already completed', { code: 'round_completed' });
  if (!body.force && now.toISOString() < round.closesAt) {
    throw new ConflictError(`Applications are open until ${round.closesAt}; select with "force": true to close the window now`, {
      code: 'window_open',
    });
  }
  if (body.policy === 'manual') {
    const byId = new Map(applications.map((a) => [a.applicationId, a]));
    const issues: Issue[] = body.accept.flatMap((id, index): Issue[] => {
      const application = byId.get(id);
      if (!application)
        return [{ path: `accept.${index}`, message: `no application ${id} in this round`, code: 'unknown_application' }];
      if (application.status !== 'received' && application.status !== 'accepted') {
        return [
          {
            path: `accept.${index}`,
            message: `application ${id} is ${application.status}`,
            code: 'wrong_status',
            params: { status: application.status },
          },
        ];
      }
      return [];
    });
    if (new Set(body.accept).size !== body.accept.length)
      issues.push({ path: 'accept', message: 'lists an application twice', code: 'duplicate' });
    if (body.accept.length > round.places) {
      issues.push({
        path: 'accept',
        message: `lists ${body.accept.length} applications for ${round.places} places`,
        code: 'too_many',
        params: { maximum: round.places },
      });
    }
    if (issues.length) throw new ValidationError('The selection is not valid', { issues });
  }
}

/** Whether a second selection request asks for the same thing as the run on record (then it is a no-op). */
export function sameSelection(recorded: NonNullable<Round['selection']>, body: SelectionBody): boolean {
  if (recorded.policy !== body.policy) return false;
  if (body.policy === 'first-come') return true;
  const a = [...(recorded.accept ?? [])].sort();
  const b = [...body.accept].sort();
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

export function offerExpiry(now: Date, hours: number): string {
  return new Date(now.getTime() + hours * hourMs).toISOString();
}

export type WithdrawPlan =
  { kind: 'free-place'; wasAccepted: boolean } | { kind: 'no-place' } | { kind: 'refuse'; reason: string; code: string };

/** What withdrawing does in each status: accepted and offered ones give a place back. */
export function withdrawPlan(application: Pick<Application, 'status'>): WithdrawPlan {
  switch (application.status) {
    case 'accepted':
      return { kind: 'free-place', wasAccepted: true };
    case 'offered':
      return { kind: 'free-place', wasAccepted: false };
    case 'received':
    case 'waitlisted':
      return { kind: 'no-place' };
    case 'withdrawn':
      return { kind: 'refuse', reason: 'The application is already withdrawn', code: 'already_withdrawn' };
    default:
      return {
        kind: 'refuse',
        reason: `An application that is ${application.status} cannot be withdrawn`,
        code: 'not_withdrawable',
      };
  }
}

/** The open offer an answer applies to; refuses answers to nothing, or too late. */
export function assertOpenOffer(application: Application, now: Date): NonNullable<Application['offer']> {
  const { offer } = application;
  if (!offer) throw new ConflictError('There is no open offer for this application', { code: 'no_open_offer' });
  if (offer.expiresAt <= now.toISOString()) {
    throw new ConflictError(`The offer expired at ${offer.expiresAt}`, { code: 'offer_expired' });
  }
  return offer;
}
