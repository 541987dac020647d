// Engagements in memory, with the conditions of DynamoEngagementStore: engagement status and
// assignment-count preconditions, one live meeting per engagement and start time, a meeting changed
// only on top of the version read, log versions never overwritten, a timer triggered once per
// sequence, and the tutor's load moved in the same step (through MemoryTutorStore's `load`). Every
// check of a change comes before any of its writes, as in one transaction; the events of a change
// that went through are recorded in `events`, which is how a unit test sees what a use case announced.
import type {
  Engagement,
  ExtraMeetingRequest,
  Meeting,
  MeetingTimer,
  SessionLog,
  TimerKind,
} from '../../../schemas/stored/engagement.js';
import type { Tutor } from '../../../schemas/stored/tutor.js';
import type {
  AssignOutcome,
  ChangeMeetingOutcome,
  CreateMeetingOutcome,
  LeaveUnassignedOutcome,
  EngagementRecord,
  EngagementStore,
  MeetingChangeOf,
} from '../../../functions/stores/engagements.js';
import type { PendingEvent } from '../../../functions/shared/outbox.js';
import { timersOf } from '../../../functions/tutoring/domain.js';
import { MemoryTutorStore } from './tutors.js';

const copy = <T>(value: T): T => structuredClone(value);
const timerKey = (t: MeetingTimer) => `${t.kind}|${t.dueAt}#${t.meetingId}#${t.sequence}`;
const slotKey = (m: Pick<Meeting, 'engagementId' | 'startsAt'>) => `${m.engagementId}|${m.startsAt}`;
const logKey = (engagementId: string, meetingId: string, version: number) => `${engagementId}|${meetingId}|${version}`;

/** A transaction refused by a part the store does not answer for (DynamoDB would throw TransactionRefused). */
class Refused extends Error {
  constructor(part: string) {
    super(`Transaction refused: ${part}`);
    this.name = 'TransactionRefused';
  }
}

export class MemoryEngagementStore implements EngagementStore {
  readonly engagements = new Map<string, Engagement>();
  readonly meetings = new Map<string, Meeting>(); // by meetingId (the meeting reference of the table)
  readonly logs = new Map<string, SessionLog>();
  readonly slots = new Map<string, string>(); // engagementId|startsAt → meetingId
  readonly extraRequests = new Map<string, ExtraMeetingRequest>(); // engagementId|requestId
  readonly timers = new Map<string, MeetingTimer>();
  /** The events of every change that went through, in order. */
  readonly events: PendingEvent[] = [];

  constructor(readonly tutors: MemoryTutorStore = new MemoryTutorStore()) {}

  private announce(events: readonly PendingEvent[]): void {
    this.events.push(...copy(events));
  }

  async createEngagement(engagement: Engagement): Promise<boolean> {
    if (this.engagements.has(engagement.engagementId)) return false;
    this.engagements.set(engagement.engagementId, copy(engagement));
    return true;
  }

  async getEngagement(engagementId: string): Promise<Engagement | undefined> {
    const engagement = this.engagements.get(engagementId);
    return engagement && copy(engagement);
  }

  async loadEngagement(engagementId: string): Promise<EngagementRecord | undefined> {
    const engagement = this.engagements.get(engagementId);
    if (!engagement) return undefined;
    const meetings = [...this.meetings.values()].filter((m) => m.engagementId === engagementId);
    const ids = new Set(meetings.map((m) => m.meetingId));
    return copy({
      engagement,
      meetings: meetings.sort((a, b) => a.meetingId.localeCompare(b.meetingId)),
      logs: [...this.logs.entries()]
        .filter(([key]) => key.startsWith(`${engagementId}|`))
        .map(([, log]) => log)
        .filter((log) => ids.has(log.meetingId)),
      extraRequests: [...this.extraRequests.entries()]
        .filter(([key]) => key.startsWith(`${engagementId}|`))
        .map(([, request]) => request),
    });
  }

  async listRoundEngagements(roundId: string): Promise<Engagement[]> {
    const order = (e: Engagement) => `${e.createdAt}#${e.engagementId}`;
    return [...this.engagements.values()]
      .filter((e) => e.roundId === roundId)
      .sort((a, b) => order(a).localeCompare(order(b)))
      .map(copy);
  }

  async assign(
    engagement: Engagement,
    to: Tutor,
    at: string,
    by: string,
    events: readonly PendingEvent[],
  ): Promise<AssignOutcome> {
    const current = this.engagements.get(engagement.engagementId);
    const open = current?.status === 'active' || current?.status === 'unassigned';
    if (!current || current.assignments !== engagement.assignments || !open) return 'engagement-changed';
    if (!this.tutors.load.hasRoom(to.tutorId)) return 'tutor-full';
    const from = engagement.tutorId;
    if (from && !this.tutors.load.exists(from)) throw new Refused('previous-tutor');
    this.tutors.load.takeOn(to.tutorId, engagement.engagementId, at);
    if (from) this.tutors.load.handOver(from, engagement.engagementId);
    this.engagements.set(engagement.engagementId, {
      ...current,
      tutorId: to.tutorId,
      status: 'active',
      assignedAt: at,
      history: [...current.history, { tutorId: to.tutorId, at, by }],
      assignments: current.assignments + 1,
    });
    this.announce(events);
    return 'assigned';
  }

  async leaveUnassigned(engagement: Engagement, at: string, events: readonly PendingEvent[]): Promise<LeaveUnassignedOutcome> {
    const current = this.engagements.get(engagement.engagementId);
    const unchanged = current?.status === 'unassigned' && current.assignments === engagement.assignments;
    if (!current || !unchanged) return 'engagement-changed';
    if (current.leftUnassignedAt !== undefined) return 'already-noted';
    this.engagements.set(engagement.engagementId, { ...current, leftUnassignedAt: at });
    this.announce(events);
    return 'noted';
  }

  async complete(engagement: Engagement, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.close(engagement, 'completed', at, ['active'], [], events, new Date(at));
  }

  async withdraw(
    engagement: Engagement,
    at: string,
    cancellations: readonly MeetingChangeOf[],
    events: readonly PendingEvent[],
    now: Date,
  ): Promise<boolean> {
    return this.close(engagement, 'withdrawn', at, ['active', 'unassigned'], cancellations, events, now);
  }

  private close(
    engagement: Engagement,
    status: 'completed' | 'withdrawn',
    at: string,
    from: readonly string[],
    cancellations: readonly MeetingChangeOf[],
    events: readonly PendingEvent[],
    now: Date,
  ): boolean {
    const current = this.engagements.get(engagement.engagementId);
    if (!current || !from.includes(current.status) || current.assignments !== engagement.assignments) return false;
    const freeing = engagement.tutorId && engagement.status === 'active' ? engagement.tutorId : undefined;
    if (freeing && !this.tutors.load.exists(freeing)) throw new Refused('tutor');
    for (const change of cancellations) {
      const refusal = this.meetingChangeRefusal(change);
      if (refusal) throw new Refused(`meeting:${change.before.meetingId}:${refusal}`);
    }
    this.engagements.set(engagement.engagementId, {
      ...current,
      status,
      ...(status === 'completed' ? { completedAt: at } : { withdrawnAt: at }),
    });
    if (freeing) this.tutors.load.free(freeing);
    for (const change of cancellations) this.applyMeetingChange(change, now);
    this.announce(events);
    return true;
  }

  async createMeeting(
    meeting: Meeting,
    timers: readonly MeetingTimer[],
    events: readonly PendingEvent[],
  ): Promise<CreateMeetingOutcome> {
    const taken = this.slots.get(slotKey(meeting));
    if (taken !== undefined) return { outcome: 'slot-taken', meetingId: taken };
    if (this.engagements.get(meeting.engagementId)?.status !== 'active') return { outcome: 'engagement-closed' };
    if (this.meetings.has(meeting.meetingId)) throw new Refused('meeting');
    this.slots.set(slotKey(meeting), meeting.meetingId);
    this.meetings.set(meeting.meetingId, copy(meeting));
    for (const timer of timers) this.timers.set(timerKey(timer), copy(timer));
    this.announce(events);
    return { outcome: 'created' };
  }

  async meetingEngagementId(meetingId: string): Promise<string | undefined> {
    return this.meetings.get(meetingId)?.engagementId;
  }

  async getMeeting(engagementId: string, meetingId: string): Promise<Meeting | undefined> {
    const meeting = this.meetings.get(meetingId);
    return meeting?.engagementId === engagementId ? copy(meeting) : undefined;
  }

  private moves({ before, after }: MeetingChangeOf): boolean {
    return after.status === 'cancelled' || after.startsAt !== before.startsAt;
  }

  /** Which part of a meeting's change would refuse it: the meeting (changed since it was read) or its new slot. */
  private meetingChangeRefusal(change: MeetingChangeOf): 'meeting' | 'slot' | undefined {
    const current = this.meetings.get(change.before.meetingId);
    if (!current || current.status !== 'scheduled' || current.sequence !== change.before.sequence) return 'meeting';
    if (this.moves(change) && change.after.status === 'scheduled' && this.slots.has(slotKey(change.after))) return 'slot';
    return undefined;
  }

  private applyMeetingChange(change: MeetingChangeOf, now: Date): void {
    const { before, after } = change;
    this.meetings.set(after.meetingId, copy(after));
    if (this.moves(change)) {
      this.slots.delete(slotKey(before));
      if (after.status === 'scheduled') this.slots.set(slotKey(after), after.meetingId);
    }
    for (const timer of timersOf(before)) this.timers.delete(timerKey(timer));
    if (after.status === 'scheduled') for (const timer of timersOf(after, now)) this.timers.set(timerKey(timer), timer);
  }

  async changeMeeting(
    before: Meeting,
    after: Meeting,
    now: Date,
    events: readonly PendingEvent[],
  ): Promise<ChangeMeetingOutcome> {
    const refusal = this.meetingChangeRefusal({ before, after });
    if (refusal === 'meeting') return 'meeting-changed';
    if (refusal === 'slot') return 'slot-taken';
    this.applyMeetingChange({ before, after }, now);
    this.announce(events);
    return 'changed';
  }

  async addLog(meeting: Meeting, log: SessionLog, events: readonly PendingEvent[]): Promise<boolean> {
    const key = logKey(meeting.engagementId, meeting.meetingId, log.version);
    const current = this.meetings.get(meeting.meetingId);
    if (this.logs.has(key)) return false;
    if (!current || current.status !== 'scheduled' || current.loggedVersion !== meeting.loggedVersion) return false;
    this.logs.set(key, copy(log));
    this.meetings.set(meeting.meetingId, { ...current, loggedVersion: log.version });
    if (meeting.loggedVersion === undefined)
      for (const timer of timersOf(meeting).filter((t) => t.kind === 'session-log')) this.timers.delete(timerKey(timer));
    this.announce(events);
    return true;
  }

  async addExtraRequest(engagementId: string, request: ExtraMeetingRequest, events: readonly PendingEvent[]): Promise<boolean> {
    const key = `${engagementId}|${request.requestId}`;
    if (this.extraRequests.has(key)) return false;
    this.extraRequests.set(key, copy(request));
    this.announce(events);
    return true;
  }

  async getExtraRequest(engagementId: string, requestId: string): Promise<ExtraMeetingRequest | undefined> {
    const request = this.extraRequests.get(`${engagementId}|${requestId}`);
    return request && copy(request);
  }

  async dueTimers(kind: TimerKind, at: string): Promise<MeetingTimer[]> {
    const position = (t: MeetingTimer) => `${t.dueAt}#${t.meetingId}#${t.sequence}`;
    return [...this.timers.values()]
      .filter((t) => t.kind === kind && position(t) <= `${at}~`)
      .sort((a, b) => position(a).localeCompare(position(b)))
      .map(copy);
  }

  async triggerTimer(timer: MeetingTimer, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const meeting = this.meetings.get(timer.meetingId);
    if (!meeting || meeting.engagementId !== timer.engagementId) return false;
    const reminder = timer.kind === 'meeting-reminder';
    const marker = reminder ? 'reminderTriggeredFor' : 'logReminderTriggeredFor';
    const still = reminder ? meeting.startsAt > at : meeting.loggedVersion === undefined;
    if (meeting.status !== 'scheduled' || meeting.sequence !== timer.sequence || !still || meeting[marker] === timer.sequence)
      return false;
    this.meetings.set(meeting.meetingId, { ...meeting, [marker]: timer.sequence });
    this.timers.delete(timerKey(timer));
    this.announce(events);
    return true;
  }

  async deleteTimer(timer: MeetingTimer): Promise<void> {
    this.timers.delete(timerKey(timer));
  }
}
