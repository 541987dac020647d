// The webinar repository in memory, with the conditions of DynamoWebinarStore: a seat only while
// `confirmed < seats` and nobody waits (a newcomer never overtakes the waiting list), registration
// only while the window is open, one registration per email, status preconditions on cancel,
// promotion and attendance, one invitation per address. Events are checked as the outbox checks
// them and recorded in `events` only when the change is made.
import type { PendingEvent } from '../../../functions/shared/outbox.js';
import { storedEvents } from '../../../functions/shared/outbox.js';
import type {
  AttendanceOutcome,
  InvitationSettlement,
  PromotionOutcome,
  RegistrationStored,
  SeatOutcome,
  TicketOutcome,
  WebinarChange,
  WebinarStore,
} from '../../../functions/stores/webinars.js';
import type { Invitation, Registration, Webinar } from '../../../schemas/stored/webinar.js';

const copy = <T>(value: T): T => structuredClone(value);
const emailKey = (webinarId: string, email: string) => `${webinarId}#${email}`;

export class MemoryWebinarStore implements WebinarStore {
  readonly webinars = new Map<string, Webinar>();
  readonly registrations = new Map<string, Registration>();
  /** The one-per-email guard: webinarId#email → registrationId. */
  readonly guards = new Map<string, string>();
  /** webinarId#email → the address's invitation (shared with MemoryInvitationBatchStore). */
  readonly invitations = new Map<string, Invitation>();

  constructor(readonly events: PendingEvent[] = []) {}

  /** Checks the events as the outbox does (an invalid one stops the change), then records them. */
  announce(events: readonly PendingEvent[], change: () => void): void {
    storedEvents(events);
    change();
    this.events.push(...events);
  }

  async putNewWebinar(webinar: Webinar, events: readonly PendingEvent[]): Promise<boolean> {
    if (this.webinars.has(webinar.webinarId)) return false;
    this.announce(events, () => this.webinars.set(webinar.webinarId, copy(webinar)));
    return true;
  }

  async getWebinar(webinarId: string): Promise<Webinar | undefined> {
    const webinar = this.webinars.get(webinarId);
    return webinar && copy(webinar);
  }

  async listOfRound(roundId: string): Promise<Webinar[]> {
    return [...this.webinars.values()]
      .filter((w) => w.roundId === roundId)
      .sort((a, b) => `${a.startsAt}#${a.webinarId}`.localeCompare(`${b.startsAt}#${b.webinarId}`))
      .map(copy);
  }

  async listWebinarsStarting(from: string, to: string): Promise<Webinar[]> {
    return [...this.webinars.values()]
      .filter((w) => w.startsAt >= from && w.startsAt <= `${to}~`)
      .sort((a, b) => `${a.startsAt}#${a.webinarId}`.localeCompare(`${b.startsAt}#${b.webinarId}`))
      .map(copy);
  }

  async updateWebinar(webinarId: string, change: WebinarChange, reschedules: boolean, events: readonly PendingEvent[]) {
    const webinar = this.webinars.get(webinarId);
    if (!webinar || (change.seats !== undefined && webinar.confirmed > change.seats)) return undefined;
    const defined = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
    this.announce(events, () => {
      Object.assign(webinar, copy(defined));
      if (reschedules) webinar.sequence += 1;
    });
    return copy(webinar);
  }

  async markNoticesDone(webinarId: string, kind: 'reminder' | 'thanks', at: string): Promise<void> {
    const webinar = this.webinars.get(webinarId);
    if (!webinar) throw new Error(`No webinar ${webinarId}`);
    if (kind === 'reminder') webinar.remindersDoneAt ??= at;
    else webinar.thanksDoneAt ??= at;
  }

  private refusal(webinarId: string, now: string): { outcome: 'refused'; webinar?: Webinar } | undefined {
    const webinar = this.webinars.get(webinarId);
    if (!webinar) return { outcome: 'refused' };
    if (webinar.registrationClosesAt <= now) return { outcome: 'refused', webinar: copy(webinar) };
    return undefined;
  }

  async takeSeat(webinarId: string, now: string): Promise<SeatOutcome> {
    const refused = this.refusal(webinarId, now);
    if (refused) return refused;
    const webinar = this.webinars.get(webinarId)!;
    if (!(webinar.confirmed < webinar.seats && webinar.waitlistSeq === webinar.waitlistLeft)) return { outcome: 'wait' };
    webinar.confirmed += 1;
    webinar.countersAt = now;
    return { outcome: 'seat' };
  }

  async takeTicket(webinarId: string, now: string): Promise<TicketOutcome> {
    const refused = this.refusal(webinarId, now);
    if (refused) return refused;
    const webinar = this.webinars.get(webinarId)!;
    if (!(webinar.confirmed >= webinar.seats || webinar.waitlistSeq > webinar.waitlistLeft)) return { outcome: 'seat-free' };
    webinar.waitlistSeq += 1;
    webinar.countersAt = now;
    return { outcome: 'ticket', ticket: webinar.waitlistSeq, position: webinar.waitlistSeq - webinar.waitlistLeft };
  }

  async giveBack(webinarId: string, what: 'seat' | 'ticket', now: string): Promise<void> {
    const webinar = this.webinars.get(webinarId);
    if (!webinar) throw new Error(`No webinar ${webinarId}`);
    if (what === 'seat') webinar.confirmed -= 1;
    else webinar.waitlistLeft += 1;
    webinar.countersAt = now;
  }

  async registrationIdFor(webinarId: string, email: string): Promise<string | undefined> {
    return this.guards.get(emailKey(webinarId, email));
  }

  async putRegistration(registration: Registration, events: readonly PendingEvent[]): Promise<RegistrationStored> {
    const held = this.guards.get(emailKey(registration.webinarId, registration.email));
    if (held !== undefined) return { outcome: 'duplicate', registrationId: held };
    if (this.registrations.has(registration.registrationId))
      throw new Error(`Registration ${registration.registrationId} exists`);
    this.announce(events, () => {
      this.guards.set(emailKey(registration.webinarId, registration.email), registration.registrationId);
      this.registrations.set(registration.registrationId, copy(registration));
    });
    return { outcome: 'created' };
  }

  async getRegistration(registrationId: string): Promise<Registration | undefined> {
    const registration = this.registrations.get(registrationId);
    return registration && copy(registration);
  }

  async listRegistrations(webinarId: string): Promise<Registration[]> {
    return [...this.registrations.values()]
      .filter((r) => r.webinarId === webinarId)
      .sort((a, b) => `${a.registeredAt}#${a.registrationId}`.localeCompare(`${b.registeredAt}#${b.registrationId}`))
      .map(copy);
  }

  async cancel(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const stored = this.registrations.get(registration.registrationId);
    if (!stored || stored.status !== registration.status) return false;
    const webinar = this.webinars.get(registration.webinarId);
    if (!webinar) throw new Error(`No webinar ${registration.webinarId}`);
    const guard = emailKey(registration.webinarId, registration.email);
    const held = this.guards.get(guard);
    if (held !== undefined && held !== registration.registrationId) throw new Error('The email guard holds another registration');
    this.announce(events, () => {
      const from = registration.status as 'confirmed' | 'waitlisted';
      Object.assign(stored, { status: 'cancelled', cancelledAt: at, cancelledFrom: from });
      if (from === 'confirmed') webinar.confirmed -= 1;
      else webinar.waitlistLeft += 1;
      webinar.countersAt = at;
      this.guards.delete(guard);
    });
    return true;
  }

  async promote(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<PromotionOutcome> {
    const webinar = this.webinars.get(registration.webinarId);
    const stored = this.registrations.get(registration.registrationId);
    if (!webinar || !(webinar.confirmed < webinar.seats) || !(webinar.startsAt > at)) return 'full';
    if (stored?.status !== 'waitlisted') return 'moved';
    this.announce(events, () => {
      webinar.confirmed += 1;
      webinar.waitlistLeft += 1;
      webinar.countersAt = at;
      Object.assign(stored, { status: 'confirmed', confirmedAt: at, promotedAt: at });
    });
    return 'promoted';
  }

  async reconcileCounters(seen: Webinar, actual: { confirmed: number; waiting: number }, at: string): Promise<boolean> {
    const webinar = this.webinars.get(seen.webinarId);
    if (
      !webinar ||
      webinar.confirmed !== seen.confirmed ||
      webinar.waitlistSeq !== seen.waitlistSeq ||
      webinar.waitlistLeft !== seen.waitlistLeft
    )
      return false;
    webinar.confirmed = actual.confirmed;
    webinar.waitlistLeft = seen.waitlistSeq - actual.waiting;
    webinar.countersCheckedAt = at;
    return true;
  }

  async markAttendance(
    registrationId: string,
    webinarId: string,
    attended: boolean,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<AttendanceOutcome> {
    const stored = this.registrations.get(registrationId);
    if (!stored || stored.webinarId !== webinarId || stored.status !== 'confirmed') return 'refused';
    if (stored.attended === attended) return 'unchanged';
    this.announce(events, () => Object.assign(stored, { attended, attendanceMarkedAt: at }));
    return 'marked';
  }

  async claimInvitation(invitation: Invitation): Promise<'claimed' | 'skipped'> {
    const key = emailKey(invitation.webinarId, invitation.email);
    const old = this.invitations.get(key);
    if (!old) {
      this.invitations.set(key, copy(invitation));
      return 'claimed';
    }
    if (old.batchId === invitation.batchId) return 'claimed';
    if (old.status !== 'failed') return 'skipped';
    const { reason: _reason, failedAt: _failedAt, ...kept } = old;
    this.invitations.set(key, { ...kept, batchId: invitation.batchId, status: 'queued', queuedAt: invitation.queuedAt });
    return 'claimed';
  }

  async getInvitation(webinarId: string, email: string): Promise<Invitation | undefined> {
    const invitation = this.invitations.get(emailKey(webinarId, email));
    return invitation && copy(invitation);
  }

  /** The invitation item's side of settling (the batch store counts it), as settledInvitationPart writes it. */
  settle(invitation: Invitation, outcome: InvitationSettlement, at: string): boolean {
    const stored = this.invitations.get(emailKey(invitation.webinarId, invitation.email));
    if (!stored || stored.status !== 'queued' || stored.batchId !== invitation.batchId) return false;
    if (outcome.sent) Object.assign(stored, { status: 'sent', sentAt: at });
    else Object.assign(stored, { status: 'failed', failedAt: at, reason: outcome.reason.slice(0, 500) });
    return true;
  }
}
