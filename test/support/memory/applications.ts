// The application repository in memory, with the DynamoDB store's conditions: one application per
// municipality per round, `taken < places` on every place that moves, and each change on the
// condition of the application's current status (the contract suite in
// test/integration/stores/applications.test.ts runs the same tests against both).
import type { Application, Offer, OfferTimer } from '../../../schemas/stored/application.js';
import type { PendingEvent } from '../../../functions/shared/outbox.js';
import type { ApplicationStore, CarryOverTarget, CreateOutcome, OfferKind } from '../../../functions/stores/applications.js';
import { ConditionFailed, type MemoryRoundStore } from './rounds.js';

type Status = Application['status'];

export class MemoryApplicationStore implements ApplicationStore {
  readonly items = new Map<string, Application>();
  /** `<roundId>#<municipality code>` → applicationId. */
  readonly guards = new Map<string, string>();
  readonly timers = new Map<string, OfferTimer>();
  /** Status-link requests by applicationId: when the last was recorded. */
  readonly statusLinkRequests = new Map<string, string>();

  constructor(private readonly rounds: MemoryRoundStore) {}

  get log() {
    return this.rounds.log;
  }

  async create(application: Application, now: string, events: readonly PendingEvent[]): Promise<CreateOutcome> {
    const { roundId, applicationId, municipality } = application;
    const existingId = this.guards.get(`${roundId}#${municipality.code}`);
    if (existingId !== undefined) {
      const existing = await this.get(existingId);
      if (existing) return { outcome: 'duplicate', application: existing };
    }
    const round = this.rounds.items.get(roundId);
    if (!round || !(round.opensAt <= now) || !(round.closesAt > now) || round.selection || existingId !== undefined) {
      return { outcome: 'round-not-open' };
    }
    if (this.items.has(applicationId)) throw new ConditionFailed(`application ${applicationId} exists`);
    this.log.record(events);
    round.applications += 1;
    this.guards.set(`${roundId}#${municipality.code}`, applicationId);
    this.items.set(applicationId, structuredClone(application));
    return { outcome: 'created', application };
  }

  async get(applicationId: string): Promise<Application | undefined> {
    const application = this.items.get(applicationId);
    return application && structuredClone(application);
  }

  async listOfRound(roundId: string): Promise<Application[]> {
    const key = (a: Application) => `${a.receivedAt}#${a.applicationId}`;
    return [...this.items.values()]
      .filter((a) => a.roundId === roundId)
      .sort((a, b) => key(a).localeCompare(key(b)))
      .map((a) => structuredClone(a));
  }

  async findOf(roundId: string, municipalityCode: string): Promise<Application | undefined> {
    const id = this.guards.get(`${roundId}#${municipalityCode}`);
    return id === undefined ? undefined : this.get(id);
  }

  async recordStatusLinkRequest(
    application: Application,
    at: Date,
    minutes: number,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const before = new Date(at.getTime() - minutes * 60_000).toISOString();
    const last = this.statusLinkRequests.get(application.applicationId);
    if (last !== undefined && !(last < before)) return false;
    this.log.record(events);
    this.statusLinkRequests.set(application.applicationId, at.toISOString());
    return true;
  }

  async markCompleted(applicationId: string, at: string): Promise<boolean> {
    const application = this.items.get(applicationId);
    if (application?.status !== 'accepted') return false;
    application.status = 'completed';
    application.completedAt ??= at;
    return true;
  }

  async ofContact(address: string): Promise<Application[]> {
    return [...this.items.values()].filter((a) => a.contact.email === address.toLowerCase()).map((a) => structuredClone(a));
  }

  async markUnreachable(
    applicationId: string,
    reason: 'bounce' | 'complaint',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const application = this.items.get(applicationId);
    if (!application || application.contact.unreachable) return false;
    application.contact.unreachable = { reason, at };
    this.log.record(events);
    return true;
  }

  async markConfirmationSent(applicationId: string, at: string): Promise<void> {
    const application = this.items.get(applicationId);
    if (!application) throw new ConditionFailed(`no application ${applicationId}`);
    application.confirmationSentAt ??= at;
  }

  async accept(
    application: Application,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'accepted' | 'full' | 'already-decided'> {
    const stored = this.withStatus(application.applicationId, 'received');
    if (!stored) return 'already-decided';
    const round = this.rounds.items.get(application.roundId);
    if (!round || !(round.taken < round.places)) return 'full';
    this.log.record(events);
    round.taken += 1;
    round.accepted += 1;
    Object.assign(stored, { status: 'accepted', acceptedAt: at });
    return 'accepted';
  }

  async waitlist(application: Application, rank: number, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const stored = this.withStatus(application.applicationId, 'received');
    if (!stored) return false;
    this.log.record(events);
    Object.assign(stored, { status: 'waitlisted', rank, waitlistedAt: at });
    return true;
  }

  async withdraw(application: Application, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const from = application.status;
    const stored = this.withStatus(application.applicationId, from);
    const round = this.rounds.items.get(application.roundId);
    if (!stored || ((from === 'accepted' || from === 'offered') && !round)) return false;
    this.log.record(events);
    if (round && from === 'accepted') {
      round.taken -= 1;
      round.accepted -= 1;
    }
    if (round && from === 'offered') round.taken -= 1;
    this.deleteTimers(application);
    Object.assign(stored, { status: 'withdrawn', withdrawnAt: at });
    delete stored.offer;
    return true;
  }

  async offerPlace(
    application: Application,
    offer: Offer,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'offered' | 'full' | 'not-waiting'> {
    const round = this.rounds.items.get(application.roundId);
    if (!round || !(round.taken < round.places) || round.completedAt) return 'full';
    const stored = this.withStatus(application.applicationId, 'waitlisted');
    if (!stored || stored.offer) return 'not-waiting';
    this.log.record(events);
    round.taken += 1;
    Object.assign(stored, { status: 'offered', offer: structuredClone(offer), offeredAt: at });
    this.putTimer('place', stored, offer);
    return 'offered';
  }

  async settlePlaceOffer(
    application: Application,
    offer: Offer,
    outcome: 'accept' | 'decline' | 'lapse',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const stored = this.withStatus(application.applicationId, 'offered');
    const round = this.rounds.items.get(application.roundId);
    if (!stored || stored.offer?.offerId !== offer.offerId || !round) return false;
    const expired = stored.offer.expiresAt <= at;
    if (outcome === 'lapse' ? !expired : expired) return false;
    this.log.record(events);
    if (outcome === 'accept') round.accepted += 1;
    else round.taken -= 1;
    this.deleteTimers(application);
    Object.assign(stored, outcome === 'accept' ? { status: 'accepted', acceptedAt: at } : { status: 'declined', declinedAt: at });
    delete stored.offer;
    return true;
  }

  async offerCarryOver(application: Application, offer: Offer, events: readonly PendingEvent[]): Promise<boolean> {
    const stored = this.withStatus(application.applicationId, 'waitlisted');
    if (!stored || stored.offer || stored.carryOver || stored.carriedOverTo) return false;
    this.log.record(events);
    stored.offer = structuredClone(offer);
    this.putTimer('carry-over', stored, offer);
    return true;
  }

  async carryOver(
    application: Application,
    offer: Offer,
    next: CarryOverTarget,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'carried-over' | 'offer-closed' | 'round-not-open'> {
    const old = this.withStatus(application.applicationId, 'waitlisted');
    if (!old || old.offer?.offerId !== offer.offerId || !(old.offer.expiresAt > at)) return 'offer-closed';
    const nextRound = this.rounds.items.get(next.roundId);
    if (!nextRound || nextRound.selection || nextRound.completedAt) return 'round-not-open';
    const guard = `${next.roundId}#${application.municipality.code}`;
    const existing = next.existingApplicationId ? this.withStatus(next.existingApplicationId, 'received') : undefined;
    if (next.existingApplicationId ? !existing : this.guards.has(guard) || this.items.has(next.newApplication.applicationId)) {
      return 'round-not-open';
    }
    this.log.record(events);
    const target = next.existingApplicationId ?? next.newApplication.applicationId;
    if (existing) {
      existing.priority = next.newApplication.priority!;
      existing.carriedOverFrom = structuredClone(next.newApplication.carriedOverFrom!);
    } else {
      nextRound.applications += 1;
      this.guards.set(guard, target);
      this.items.set(target, structuredClone(next.newApplication));
    }
    this.deleteTimers(application);
    Object.assign(old, {
      status: 'carried-over',
      carriedOverAt: at,
      carriedOverTo: { roundId: next.roundId, applicationId: target },
    });
    delete old.offer;
    return 'carried-over';
  }

  async endCarryOver(
    application: Application,
    offer: Offer,
    outcome: 'declined' | 'lapsed',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const stored = this.items.get(application.applicationId);
    if (!stored || stored.offer?.offerId !== offer.offerId) return false;
    const expired = stored.offer.expiresAt <= at;
    if (outcome === 'lapsed' ? !expired : expired) return false;
    this.log.record(events);
    this.deleteTimers(application);
    Object.assign(stored, { carryOver: outcome, declinedAt: at });
    delete stored.offer;
    return true;
  }

  async dueTimers(kind: OfferKind, at: string): Promise<OfferTimer[]> {
    return [...this.timers.values()]
      .filter((t) => t.kind === kind && t.dueAt <= at)
      .sort((a, b) => `${a.dueAt}#${a.applicationId}#${a.offerId}`.localeCompare(`${b.dueAt}#${b.applicationId}#${b.offerId}`))
      .map((t) => structuredClone(t));
  }

  async deleteStaleTimer(timer: OfferTimer): Promise<void> {
    this.timers.delete(timerKey(timer));
  }

  private withStatus(applicationId: string, status: Status): Application | undefined {
    const stored = this.items.get(applicationId);
    return stored?.status === status ? stored : undefined;
  }

  private putTimer(kind: OfferKind, application: Application, offer: Offer): void {
    const timer: OfferTimer = {
      kind,
      dueAt: offer.expiresAt,
      applicationId: application.applicationId,
      roundId: application.roundId,
      offerId: offer.offerId,
    };
    this.timers.set(timerKey(timer), timer);
  }

  /** The timer of the offer the caller saw (as the DynamoDB store deletes it by that offer's key). */
  private deleteTimers(application: Pick<Application, 'applicationId' | 'offer'>): void {
    const { offer } = application;
    if (offer)
      this.timers.delete(
        timerKey({ kind: offer.kind, dueAt: offer.expiresAt, applicationId: application.applicationId, offerId: offer.offerId }),
      );
  }
}

const timerKey = (t: Pick<OfferTimer, 'kind' | 'dueAt' | 'applicationId' | 'offerId'>) =>
  `${t.kind}#${t.dueAt}#${t.applicationId}#${t.offerId}`;

/** A received application of `round` from municipality `code`, with `overrides`. */
export function anApplication(
  round: { roundId: string },
  code: string,
  overrides: Partial<Application> = {},
  now = new Date(),
): Application {
  return {
    applicationId: `app-${code}-${Math.random().toString(36).slice(2, 10)}`,
    roundId: round.roundId,
    municipality: { code, name: `Kunta ${code}` },
    contact: { name: 'Maija Meikäläinen', email: `maija.${code}@example.fi` },
    language: 'fi',
    themes: ['remote support'],
    status: 'received',
    receivedAt: now.toISOString(),
    consentAt: now.toISOString(),
    accessToken: `token-${code}`,
    ...overrides,
  };
}
