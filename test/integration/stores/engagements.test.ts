// The engagement repository's contract, run against the in-memory fake and the DynamoDB store alike:
// status and assignment preconditions, the tutor's load and links moving with an assignment, one
// live meeting per start time, a meeting changed only on top of the version read, log versions
// never overwritten, a timer triggered once; and each change's events written exactly when it is.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engagement, Meeting, SessionLog } from '../../../schemas/stored/engagement.js';
import type { Tutor } from '../../../schemas/stored/tutor.js';
import { event } from '../../../functions/shared/outbox.js';
import { planMeetingChange, timersOf } from '../../../functions/tutoring/domain.js';
import { aMeeting, anEngagement, aTutor, iso, tutoringSubjects, type TutoringSubject } from './tutoring-subjects.js';

const hour = 3_600_000;
const day = 24 * hour;

const assignedEvent = (e: Engagement, to: Tutor) =>
  event('TutorAssigned', {
    engagementId: e.engagementId,
    applicationId: e.applicationId,
    roundId: e.roundId,
    tutorId: to.tutorId,
    assignment: e.assignments + 1,
    by: 'automatic',
  });
const ref = (m: Meeting) => ({ meetingId: m.meetingId, engagementId: m.engagementId, sequence: m.sequence });
const scheduled = (m: Meeting) => event('MeetingScheduled', { ...ref(m), kind: m.kind, startsAt: m.startsAt }, { roundId: 'r' });
const cancelledEvent = (m: Meeting) => event('MeetingCancelled', ref(m), { roundId: 'r' });
const aLog = (m: Meeting, version: number, notes = 'Hyvä alku'): SessionLog => ({
  meetingId: m.meetingId,
  version,
  attendees: 3,
  themes: ['verkkopankki'],
  notes,
  actions: [],
  durationMinutes: 60,
  loggedAt: iso(),
  loggedBy: 'tuuli@example.fi',
});
const logged = (m: Meeting, version: number) =>
  event('SessionLogged', { meetingId: m.meetingId, engagementId: m.engagementId, version }, { roundId: 'r' });

describe.each(tutoringSubjects)('EngagementStore ($name)', ({ make }) => {
  let s: TutoringSubject;
  beforeAll(async () => {
    s = await make();
  });

  async function aTutorOnRoster(fields: Partial<Tutor> = {}) {
    const tutor = aTutor(fields);
    await s.tutors.createTutor(tutor);
    return tutor;
  }
  /** An engagement with a tutor (as stored after the assignment). */
  async function anActiveEngagement() {
    const tutor = await aTutorOnRoster();
    const engagement = anEngagement();
    await s.engagements.createEngagement(engagement);
    expect(await s.engagements.assign(engagement, tutor, iso(), 'automatic', [assignedEvent(engagement, tutor)])).toBe(
      'assigned',
    );
    return { tutor, engagement: (await s.engagements.getEngagement(engagement.engagementId))! };
  }
  async function aMeetingOf(engagement: Engagement, startsInMs = 2 * day) {
    const meeting = aMeeting(engagement, startsInMs);
    expect(await s.engagements.createMeeting(meeting, timersOf(meeting, new Date()), [scheduled(meeting)])).toEqual({
      outcome: 'created',
    });
    return meeting;
  }

  it('stores an engagement once per application, and lists a round’s', async () => {
    const engagement = anEngagement();
    expect(await s.engagements.createEngagement(engagement)).toBe(true);
    expect(await s.engagements.createEngagement({ ...engagement, region: 'Muu' })).toBe(false);
    expect(await s.engagements.getEngagement(engagement.engagementId)).toEqual(engagement);
    expect(await s.engagements.loadEngagement(engagement.engagementId)).toEqual({
      engagement,
      meetings: [],
      logs: [],
      extraRequests: [],
    });
    expect(await s.engagements.listRoundEngagements(engagement.roundId)).toEqual([engagement]);
    expect(await s.engagements.loadEngagement('nope')).toBeUndefined();
  });

  it('assigns within the tutor’s room: the load and the link move with it, with its event', async () => {
    const tutor = await aTutorOnRoster({ maxActive: 1 });
    const first = anEngagement();
    const second = anEngagement();
    await s.engagements.createEngagement(first);
    await s.engagements.createEngagement(second);
    const at = iso();
    expect(await s.engagements.assign(first, tutor, at, 'automatic', [assignedEvent(first, tutor)])).toBe('assigned');
    expect(await s.engagements.getEngagement(first.engagementId)).toEqual({
      ...first,
      status: 'active',
      tutorId: tutor.tutorId,
      assignedAt: at,
      assignments: 1,
      history: [{ tutorId: tutor.tutorId, at, by: 'automatic' }],
    });
    expect(await s.tutors.getTutor(tutor.tutorId)).toMatchObject({ activeCount: 1, lastAssignedAt: at });
    expect(await s.tutors.tutorEngagementIds(tutor.tutorId)).toEqual([first.engagementId]);
    expect(await s.engagements.assign(second, tutor, iso(), 'automatic', [assignedEvent(second, tutor)])).toBe('tutor-full');
    expect(await s.engagements.getEngagement(second.engagementId)).toEqual(second);
    expect(await s.eventsOf(first.engagementId)).toEqual(['TutorAssigned']);
    expect(await s.eventsOf(second.engagementId)).toEqual([]);
  });

  it('refuses an assignment on top of an engagement changed since it was read, and an inactive tutor', async () => {
    const { engagement } = await anActiveEngagement();
    const stale = { ...engagement, assignments: 0, status: 'unassigned' as const };
    const other = await aTutorOnRoster();
    expect(await s.engagements.assign(stale, other, iso(), 'automatic', [assignedEvent(stale, other)])).toBe(
      'engagement-changed',
    );
    const away = await aTutorOnRoster({ active: false });
    expect(await s.engagements.assign(engagement, away, iso(), 'k', [assignedEvent(engagement, away)])).toBe('tutor-full');
    expect(await s.eventsOf(engagement.engagementId)).toEqual(['TutorAssigned']);
  });

  it('reassigns: the previous tutor’s place frees and the engagement leaves their list', async () => {
    const { tutor, engagement } = await anActiveEngagement();
    const next = await aTutorOnRoster();
    expect(await s.engagements.assign(engagement, next, iso(), 'k', [assignedEvent(engagement, next)])).toBe('assigned');
    expect((await s.tutors.getTutor(tutor.tutorId))?.activeCount).toBe(0);
    expect(await s.tutors.tutorEngagementIds(tutor.tutorId)).toEqual([]);
    expect(await s.tutors.tutorEngagementIds(next.tutorId)).toEqual([engagement.engagementId]);
    expect(await s.engagements.getEngagement(engagement.engagementId)).toMatchObject({ tutorId: next.tutorId, assignments: 2 });
  });

  it('notes once that nobody fits, and not for an engagement changed since it was read', async () => {
    const engagement = anEngagement();
    await s.engagements.createEngagement(engagement);
    const note = () =>
      event('EngagementLeftUnassigned', {
        engagementId: engagement.engagementId,
        applicationId: engagement.applicationId,
        roundId: engagement.roundId,
      });
    expect(await s.engagements.leaveUnassigned(engagement, iso(), [note()])).toBe('noted');
    expect(await s.engagements.leaveUnassigned(engagement, iso(), [note()])).toBe('already-noted');
    expect(await s.engagements.leaveUnassigned({ ...engagement, assignments: 3 }, iso(), [note()])).toBe('engagement-changed');
    expect(await s.eventsOf(engagement.engagementId)).toEqual(['EngagementLeftUnassigned']);
  });

  it('completes an active engagement once, freeing the tutor’s place but keeping the link', async () => {
    const { tutor, engagement } = await anActiveEngagement();
    const completed = event('EngagementCompleted', {
      engagementId: engagement.engagementId,
      applicationId: engagement.applicationId,
      roundId: engagement.roundId,
      tutorId: tutor.tutorId,
      completedAt: iso(),
    });
    const at = iso();
    expect(await s.engagements.complete(engagement, at, [completed])).toBe(true);
    expect(await s.engagements.complete(engagement, at, [completed])).toBe(false);
    expect(await s.engagements.getEngagement(engagement.engagementId)).toMatchObject({ status: 'completed', completedAt: at });
    expect((await s.tutors.getTutor(tutor.tutorId))?.activeCount).toBe(0);
    expect(await s.tutors.tutorEngagementIds(tutor.tutorId)).toEqual([engagement.engagementId]);
    expect((await s.eventsOf(engagement.engagementId)).sort()).toEqual(['EngagementCompleted', 'TutorAssigned']);
  });

  it('withdraws with the meetings ahead cancelled in the same step; a second time is refused', async () => {
    const { tutor, engagement } = await anActiveEngagement();
    const meeting = await aMeetingOf(engagement);
    const now = new Date();
    const change = planMeetingChange(meeting, { status: 'cancelled' }, now);
    if (change.kind !== 'cancel') throw new Error('expected a cancellation');
    const withdrawn = event('EngagementWithdrawn', {
      engagementId: engagement.engagementId,
      applicationId: engagement.applicationId,
      roundId: engagement.roundId,
      tutorId: tutor.tutorId,
    });
    const cancellations = [{ before: meeting, after: change.meeting }];
    const events = [cancelledEvent(change.meeting), withdrawn];
    expect(await s.engagements.withdraw(engagement, now.toISOString(), cancellations, events, now)).toBe(true);
    expect(await s.engagements.withdraw(engagement, now.toISOString(), [], [withdrawn], now)).toBe(false);
    const record = await s.engagements.loadEngagement(engagement.engagementId);
    expect(record?.engagement).toMatchObject({ status: 'withdrawn', withdrawnAt: now.toISOString() });
    expect(record?.meetings).toEqual([change.meeting]);
    expect((await s.tutors.getTutor(tutor.tutorId))?.activeCount).toBe(0);
    const due = await s.engagements.dueTimers('session-log', iso(30 * day));
    expect(due.filter((t) => t.meetingId === meeting.meetingId)).toEqual([]);
    expect((await s.eventsOf(engagement.engagementId)).sort()).toEqual([
      'EngagementWithdrawn',
      'MeetingCancelled',
      'MeetingScheduled',
      'TutorAssigned',
    ]);
  });

  it('keeps one live meeting per start time, and none for an engagement not active', async () => {
    const { engagement } = await anActiveEngagement();
    const meeting = await aMeetingOf(engagement);
    const same = aMeeting(engagement, 0, { startsAt: meeting.startsAt, kind: 'extra' });
    expect(await s.engagements.createMeeting(same, [], [scheduled(same)])).toEqual({
      outcome: 'slot-taken',
      meetingId: meeting.meetingId,
    });
    expect(await s.engagements.getMeeting(engagement.engagementId, meeting.meetingId)).toEqual(meeting);
    expect(await s.engagements.meetingEngagementId(meeting.meetingId)).toBe(engagement.engagementId);
    expect(await s.engagements.meetingEngagementId(same.meetingId)).toBeUndefined();
    const waiting = anEngagement();
    await s.engagements.createEngagement(waiting);
    const early = aMeeting(waiting, day);
    expect(await s.engagements.createMeeting(early, [], [scheduled(early)])).toEqual({ outcome: 'engagement-closed' });
    expect((await s.eventsOf(engagement.engagementId)).sort()).toEqual(['MeetingScheduled', 'TutorAssigned']);
    expect(await s.eventsOf(waiting.engagementId)).toEqual([]);
  });

  it('moves a meeting with its slot and timers, only on top of the version read, never onto a taken time', async () => {
    const { engagement } = await anActiveEngagement();
    const meeting = await aMeetingOf(engagement);
    const other = await aMeetingOf(engagement, 4 * day);
    const now = new Date();
    const moved = planMeetingChange(meeting, { startsAt: new Date(Date.parse(meeting.startsAt) + day).toISOString() }, now);
    if (moved.kind !== 'reschedule') throw new Error('expected a reschedule');
    const rescheduled = event(
      'MeetingRescheduled',
      { ...ref(moved.meeting), startsAt: moved.meeting.startsAt },
      { roundId: 'r' },
    );
    expect(await s.engagements.changeMeeting(meeting, moved.meeting, now, [rescheduled])).toBe('changed');
    expect(await s.engagements.changeMeeting(meeting, moved.meeting, now, [rescheduled])).toBe('meeting-changed');
    // The old time is free again.
    const again = aMeeting(engagement, 0, { startsAt: meeting.startsAt });
    expect(await s.engagements.createMeeting(again, [], [scheduled(again)])).toEqual({ outcome: 'created' });
    const onto = planMeetingChange(moved.meeting, { startsAt: other.startsAt }, now);
    if (onto.kind !== 'reschedule') throw new Error('expected a reschedule');
    expect(await s.engagements.changeMeeting(moved.meeting, onto.meeting, now, [rescheduled])).toBe('slot-taken');
    expect(await s.engagements.getMeeting(engagement.engagementId, meeting.meetingId)).toEqual(moved.meeting);
    const reminders = (await s.engagements.dueTimers('meeting-reminder', iso(30 * day))).filter(
      (t) => t.meetingId === meeting.meetingId,
    );
    expect(reminders).toEqual(timersOf(moved.meeting, now).filter((t) => t.kind === 'meeting-reminder'));
    expect((await s.eventsOf(engagement.engagementId)).filter((t) => t === 'MeetingRescheduled')).toEqual(['MeetingRescheduled']);
  });

  it('adds log versions on top of the one read and never overwrites one', async () => {
    const { engagement } = await anActiveEngagement();
    const meeting = await aMeetingOf(engagement, -2 * hour);
    expect(await s.engagements.addLog(meeting, aLog(meeting, 1), [logged(meeting, 1)])).toBe(true);
    expect(await s.engagements.addLog(meeting, aLog(meeting, 1, 'Toinen'), [logged(meeting, 1)])).toBe(false);
    const current = (await s.engagements.getMeeting(engagement.engagementId, meeting.meetingId))!;
    expect(current.loggedVersion).toBe(1);
    expect(await s.engagements.addLog(current, aLog(meeting, 2, 'Korjattu'), [logged(meeting, 2)])).toBe(true);
    expect(await s.engagements.addLog(current, aLog(meeting, 2, 'Myöhässä'), [logged(meeting, 2)])).toBe(false);
    const record = await s.engagements.loadEngagement(engagement.engagementId);
    expect(record?.logs.map((l) => [l.version, l.notes]).sort()).toEqual([
      [1, 'Hyvä alku'],
      [2, 'Korjattu'],
    ]);
    const nudges = (await s.engagements.dueTimers('session-log', iso(30 * day))).filter((t) => t.meetingId === meeting.meetingId);
    expect(nudges).toEqual([]);
    expect((await s.eventsOf(engagement.engagementId)).filter((t) => t === 'SessionLogged')).toHaveLength(2);
  });

  it('records an extra-meeting request once', async () => {
    const { engagement } = await anActiveEngagement();
    const request = { requestId: 'req-1', message: 'Vielä yksi?', requestedAt: iso() };
    const requested = event('ExtraMeetingsRequested', {
      engagementId: engagement.engagementId,
      applicationId: engagement.applicationId,
      roundId: engagement.roundId,
      requestId: 'req-1',
    });
    expect(await s.engagements.addExtraRequest(engagement.engagementId, request, [requested])).toBe(true);
    expect(await s.engagements.addExtraRequest(engagement.engagementId, { ...request, requestedAt: iso(1) }, [requested])).toBe(
      false,
    );
    expect(await s.engagements.getExtraRequest(engagement.engagementId, 'req-1')).toEqual(request);
    expect((await s.engagements.loadEngagement(engagement.engagementId))?.extraRequests).toEqual([request]);
    expect((await s.eventsOf(engagement.engagementId)).filter((t) => t === 'ExtraMeetingsRequested')).toHaveLength(1);
  });

  it('triggers a due timer once for its sequence, and lets a stale one be deleted', async () => {
    const { engagement } = await anActiveEngagement();
    const meeting = await aMeetingOf(engagement, 2 * hour);
    const timer = { kind: 'meeting-reminder' as const, dueAt: iso(-hour), ...ref(meeting) };
    const triggered = event('MeetingReminderTriggered', { ...ref(meeting), startsAt: meeting.startsAt }, { roundId: 'r' });
    expect(await s.engagements.triggerTimer(timer, iso(), [triggered])).toBe(true);
    expect(await s.engagements.triggerTimer(timer, iso(), [triggered])).toBe(false);
    expect((await s.engagements.getMeeting(engagement.engagementId, meeting.meetingId))?.reminderTriggeredFor).toBe(0);
    const [nudge] = (await s.engagements.dueTimers('session-log', iso(30 * day))).filter(
      (t) => t.meetingId === meeting.meetingId,
    );
    expect(nudge).toBeDefined();
    await s.engagements.deleteTimer(nudge!);
    expect(
      (await s.engagements.dueTimers('session-log', iso(30 * day))).filter((t) => t.meetingId === meeting.meetingId),
    ).toEqual([]);
    expect((await s.eventsOf(engagement.engagementId)).filter((t) => t === 'MeetingReminderTriggered')).toHaveLength(1);
  });
});
