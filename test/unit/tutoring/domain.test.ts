import { describe, expect, it } from 'vitest';
import { EngagementView, MeetingView } from '../../../schemas/api/engagements.js';
import type { Application } from '../../../schemas/stored/application.js';
import { ConflictError, ForbiddenError, ValidationError } from '../../../functions/shared/errors.js';
import {
  assertActive,
  assertCanAssign,
  assertCanComplete,
  assertCanLog,
  assertMayAct,
  currentLogs,
  endsAt,
  newEngagement,
  newLog,
  newMeeting,
  newTutor,
  nextMeeting,
  planMeetingChange,
  rankTutors,
  sameLog,
  sameTutor,
  summarize,
  timerIsLive,
  timersOf,
  toEngagementView,
  tutorChanges,
  type Engagement,
  type Meeting,
  type SessionLog,
  type Tutor,
} from '../../../functions/tutoring/domain.js';

const t0 = new Date('2027-03-01T08:00:00.000Z');
const hour = 3600_000;
const day = 24 * hour;
const iso = (ms: number) => new Date(t0.getTime() + ms).toISOString();

let seq = 0;
function tutor(fields: Partial<Tutor> = {}): Tutor {
  seq += 1;
  return {
    tutorId: `t${seq}`,
    name: `Tutor ${seq}`,
    email: `t${seq}@example.fi`,
    languages: ['fi'],
    regions: [],
    maxActive: 3,
    active: true,
    activeCount: 0,
    createdAt: iso(seq),
    updatedAt: iso(seq),
    createdBy: 'c@example.fi',
    ...fields,
  };
}

const need = { language: 'fi' as const, region: '01' };
const ids = (tutors: Tutor[]) => tutors.map((t) => t.tutorId);

describe('rankTutors', () => {
  it('keeps only tutors who speak the language, are active and below maxActive', () => {
    const fits = tutor();
    const swedish = tutor({ languages: ['sv'] });
    const inactive = tutor({ active: false });
    const full = tutor({ activeCount: 3, maxActive: 3 });
    expect(ids(rankTutors([swedish, inactive, full, fits], need))).toEqual([fits.tutorId]);
    expect(rankTutors([swedish, inactive, full], need)).toEqual([]);
  });

  it('prefers the same region (without case) over a lighter load', () => {
    const light = tutor({ activeCount: 0, regions: ['02'] });
    const local = tutor({ activeCount: 2, regions: [' 01 '] });
    const named = tutor({ activeCount: 1, regions: ['Uusimaa'] });
    expect(ids(rankTutors([light, local], need))).toEqual([local.tutorId, light.tutorId]);
    expect(ids(rankTutors([light, named], { language: 'fi', region: 'uusimaa' }))).toEqual([named.tutorId, light.tutorId]);
  });

  it('then the fewest active engagements, then the longest since the last assignment (never first), then roster order', () => {
    const busy = tutor({ activeCount: 2 });
    const recent = tutor({ activeCount: 1, lastAssignedAt: iso(day) });
    const earlier = tutor({ activeCount: 1, lastAssignedAt: iso(hour) });
    const never = tutor({ activeCount: 1 });
    const newer = tutor({ activeCount: 1 });
    expect(ids(rankTutors([busy, recent, newer, earlier, never], need))).toEqual(ids([never, newer, earlier, recent, busy]));
  });
});

describe('roster', () => {
  it('normalises a new tutor: email lower case, languages and regions each once', () => {
    const t = newTutor(
      {
        name: 'T',
        email: 'Tiina@Example.FI',
        languages: ['fi', 'fi', 'sv'],
        regions: ['01', ' 01', 'Pirkanmaa'],
        maxActive: 2,
        active: true,
      },
      { tutorId: 'x', now: t0, createdBy: 'c' },
    );
    expect(t).toMatchObject({ email: 'tiina@example.fi', languages: ['fi', 'sv'], regions: ['01', 'Pirkanmaa'], activeCount: 0 });
    expect(
      sameTutor(t, {
        name: 'T',
        email: 'tiina@example.fi',
        languages: ['sv', 'fi'],
        regions: ['pirkanmaa', '01'],
        maxActive: 2,
        active: true,
      }),
    ).toBe(false);
    expect(
      sameTutor(t, {
        name: 'T',
        email: 'TIINA@example.fi',
        languages: ['sv', 'fi'],
        regions: ['Pirkanmaa', '01'],
        maxActive: 2,
        active: true,
      }),
    ).toBe(true);
  });

  it('a change names only what differs', () => {
    const t = tutor({ languages: ['fi', 'sv'] });
    expect(tutorChanges(t, { languages: ['sv', 'fi'], maxActive: t.maxActive, name: 'New' })).toEqual({ name: 'New' });
    expect(tutorChanges(t, { email: t.email.toUpperCase() })).toEqual({});
  });
});

const application: Application = {
  applicationId: 'a1',
  roundId: 'r1',
  municipality: { code: '091', name: 'Helsinki' },
  contact: { name: 'Maija', email: 'maija@example.fi' },
  language: 'fi',
  themes: ['etätuki'],
  status: 'accepted',
  receivedAt: iso(0),
  consentAt: iso(0),
  accessToken: 'secret',
};

const engagement = (fields: Partial<Engagement> = {}): Engagement => ({
  ...newEngagement(application, { region: '01' }, t0),
  ...fields,
});

describe('engagements and who may act', () => {
  it('is keyed by the application and starts unassigned', () => {
    expect(engagement()).toMatchObject({
      engagementId: 'a1',
      applicationId: 'a1',
      status: 'unassigned',
      assignments: 0,
      region: '01',
    });
  });

  it('only the assigned tutor or a coordinator may act', () => {
    const own = tutor();
    const other = tutor();
    const e = engagement({ status: 'active', tutorId: own.tutorId });
    expect(() => assertMayAct({ kind: 'tutor', tutor: own }, e)).not.toThrow();
    expect(() => assertMayAct({ kind: 'coordinator', email: 'c@example.fi' }, e)).not.toThrow();
    expect(() => assertMayAct({ kind: 'tutor', tutor: other }, e)).toThrow(ForbiddenError);
    expect(() => assertMayAct({ kind: 'tutor', tutor: other }, engagement())).toThrow(ForbiddenError);
  });

  it.each([
    ['unassigned', 'engagement_unassigned'],
    ['completed', 'engagement_completed'],
    ['withdrawn', 'engagement_withdrawn'],
  ] as const)('a %s engagement takes no meetings (%s)', (status, code) => {
    expect(() => assertActive({ status })).toThrow(expect.objectContaining({ code }));
  });

  it('a coordinator cannot assign an inactive or full tutor, nor to a closed engagement', () => {
    expect(() => assertCanAssign(engagement(), tutor({ active: false }))).toThrow(
      expect.objectContaining({ code: 'tutor_inactive' }),
    );
    expect(() => assertCanAssign(engagement(), tutor({ activeCount: 3 }))).toThrow(
      expect.objectContaining({ code: 'tutor_full' }),
    );
    expect(() => assertCanAssign(engagement({ status: 'completed' }), tutor())).toThrow(ConflictError);
    expect(() => assertCanAssign(engagement(), tutor({ languages: ['en'] }))).not.toThrow(); // language is the coordinator's call
  });
});

const body = {
  kind: 'kickoff' as const,
  startsAt: '2027-03-05T11:00:00+02:00',
  durationMinutes: 90,
  joinUrl: 'https://meet.example.fi/k',
};
const meeting = (fields: Partial<Meeting> = {}): Meeting => ({
  ...newMeeting(engagement({ status: 'active', tutorId: 't' }), body, { meetingId: 'm1', now: t0, by: 't@example.fi' }),
  ...fields,
});

describe('meetings', () => {
  it('are stored in UTC, must lie ahead, and end after their duration', () => {
    const m = meeting();
    expect(m).toMatchObject({ startsAt: '2027-03-05T09:00:00.000Z', sequence: 0, status: 'scheduled' });
    expect(endsAt(m)).toBe('2027-03-05T10:30:00.000Z');
    expect(() => newMeeting(engagement(), { ...body, startsAt: iso(-1) }, { meetingId: 'x', now: t0, by: 'x' })).toThrow(
      ValidationError,
    );
  });

  it('reschedule: one more sequence and the previous time; the same values again are no change', () => {
    const m = meeting();
    const moved = planMeetingChange(m, { startsAt: '2027-03-06T09:00:00Z' }, t0);
    expect(moved).toMatchObject({
      kind: 'reschedule',
      meeting: { sequence: 1, startsAt: '2027-03-06T09:00:00.000Z', previousStartsAt: m.startsAt },
    });
    expect(planMeetingChange(m, { startsAt: '2027-03-05T11:00:00+02:00', durationMinutes: 90 }, t0)).toEqual({
      kind: 'unchanged',
    });
    const longer = planMeetingChange(m, { durationMinutes: 120 }, t0);
    expect(longer).toMatchObject({ kind: 'reschedule', meeting: { sequence: 1, durationMinutes: 120 } });
    const movedTwice = planMeetingChange((moved as { meeting: Meeting }).meeting, { durationMinutes: 120 }, t0);
    expect(movedTwice.kind === 'reschedule' && movedTwice.meeting).toMatchObject({ sequence: 2 });
    expect(movedTwice.kind === 'reschedule' && 'previousStartsAt' in movedTwice.meeting).toBe(false);
    expect(() => planMeetingChange(m, { startsAt: iso(-hour) }, t0)).toThrow(ValidationError);
  });

  it('cancel: one more sequence; again is no change; a cancelled or begun meeting does not move', () => {
    const m = meeting();
    const cancelled = planMeetingChange(m, { status: 'cancelled' }, t0);
    expect(cancelled).toMatchObject({
      kind: 'cancel',
      meeting: { status: 'cancelled', sequence: 1, cancelledAt: t0.toISOString() },
    });
    const gone = (cancelled as { meeting: Meeting }).meeting;
    expect(planMeetingChange(gone, { status: 'cancelled' }, t0)).toEqual({ kind: 'unchanged' });
    expect(() => planMeetingChange(gone, { durationMinutes: 30 }, t0)).toThrow(
      expect.objectContaining({ code: 'meeting_cancelled' }),
    );
    expect(() => planMeetingChange(m, { status: 'cancelled' }, new Date(Date.parse(m.startsAt) + 1))).toThrow(
      expect.objectContaining({ code: 'meeting_started' }),
    );
  });

  it('timers: a reminder 24 h before (only if that is still ahead) and the log nudge 3 days after the end', () => {
    const m = meeting();
    expect(timersOf(m, t0)).toEqual([
      { kind: 'meeting-reminder', dueAt: '2027-03-04T09:00:00.000Z', meetingId: 'm1', engagementId: 'a1', sequence: 0 },
      { kind: 'session-log', dueAt: '2027-03-08T10:30:00.000Z', meetingId: 'm1', engagementId: 'a1', sequence: 0 },
    ]);
    expect(timersOf(m, new Date('2027-03-04T10:00:00Z')).map((t) => t.kind)).toEqual(['session-log']);
    expect(timersOf({ ...m, loggedVersion: 1 }).map((t) => t.kind)).toEqual(['meeting-reminder']);
  });

  it('a due timer speaks only for the live meeting of its sequence', () => {
    const m = meeting();
    const [reminder, nudge] = timersOf(m, t0) as [ReturnType<typeof timersOf>[number], ReturnType<typeof timersOf>[number]];
    const at = new Date('2027-03-04T09:00:00Z');
    expect(timerIsLive(reminder, m, at)).toBe(true);
    expect(timerIsLive(reminder, { ...m, sequence: 1 }, at)).toBe(false);
    expect(timerIsLive(reminder, { ...m, status: 'cancelled' }, at)).toBe(false);
    expect(timerIsLive(reminder, m, new Date(Date.parse(m.startsAt)))).toBe(false);
    expect(timerIsLive(reminder, undefined, at)).toBe(false);
    expect(timerIsLive(nudge, m, at)).toBe(true);
    expect(timerIsLive(nudge, { ...m, loggedVersion: 1 }, at)).toBe(false);
  });

  it('the next meeting is the earliest live one still ahead', () => {
    const a = meeting({ meetingId: 'a', startsAt: iso(2 * day) });
    const b = meeting({ meetingId: 'b', startsAt: iso(day) });
    const c = meeting({ meetingId: 'c', startsAt: iso(hour), status: 'cancelled' });
    expect(nextMeeting([a, b, c], iso(0))?.meetingId).toBe('b');
    expect(nextMeeting([a, b, c], iso(0), 'b')?.meetingId).toBe('a');
    expect(nextMeeting([a, b, c], iso(3 * day))).toBeUndefined();
  });
});

const logBody = { attendees: 3, themes: ['etätuki'], notes: 'n', actions: ['a1'], durationMinutes: 60 };

describe('session logs and the summary', () => {
  it('a session is logged once it has begun, never when cancelled', () => {
    const m = meeting();
    expect(() => assertCanLog(m, t0)).toThrow(expect.objectContaining({ code: 'meeting_not_held' }));
    expect(() => assertCanLog(m, new Date(Date.parse(m.startsAt)))).not.toThrow();
    expect(() => assertCanLog({ ...m, status: 'cancelled' }, new Date('2030-01-01'))).toThrow(
      expect.objectContaining({ code: 'meeting_cancelled' }),
    );
  });

  it('the same log again is a repeat; any difference is a correction', () => {
    const log = newLog(meeting(), logBody, 1, { now: t0, by: 't' });
    expect(sameLog(log, { ...logBody })).toBe(true);
    expect(sameLog(log, { ...logBody, actions: ['a1', 'a2'] })).toBe(false);
    expect(sameLog(log, { ...logBody, notes: 'm' })).toBe(false);
  });

  it('sums up the logs in force: meetings held, minutes, themes once each, all actions in meeting order', () => {
    const first = meeting({ meetingId: 'm1', startsAt: iso(day), loggedVersion: 2 });
    const second = meeting({ meetingId: 'm2', startsAt: iso(2 * day), loggedVersion: 1 });
    const unlogged = meeting({ meetingId: 'm3', startsAt: iso(3 * day) });
    const logs: SessionLog[] = [
      newLog(second, { ...logBody, themes: ['Koordinointi', 'ETÄTUKI'], actions: ['later'], durationMinutes: 45 }, 1, {
        now: t0,
        by: 't',
      }),
      newLog(first, { ...logBody, durationMinutes: 30, actions: ['old'] }, 1, { now: t0, by: 't' }),
      newLog(first, { ...logBody, durationMinutes: 90, actions: ['first'] }, 2, { now: t0, by: 't' }),
    ];
    expect(currentLogs([first, second, unlogged], logs).get('m1')?.version).toBe(2);
    expect(summarize([unlogged, second, first], logs)).toEqual({
      meetingsHeld: 2,
      minutes: 135,
      themes: ['etätuki', 'Koordinointi'],
      actions: ['first', 'later'],
    });
  });

  it('completion waits for meetings ahead; held and cancelled ones do not hold it up', () => {
    const active = engagement({ status: 'active', tutorId: 't' });
    const ahead = meeting({ startsAt: iso(day) });
    expect(() => assertCanComplete(active, [ahead], t0)).toThrow(expect.objectContaining({ code: 'meetings_ahead' }));
    expect(() => assertCanComplete(active, [{ ...ahead, status: 'cancelled' }], t0)).not.toThrow();
    expect(() => assertCanComplete(active, [ahead], new Date(Date.parse(ahead.startsAt) + 1))).not.toThrow();
    expect(() => assertCanComplete(engagement(), [], t0)).toThrow(expect.objectContaining({ code: 'engagement_unassigned' }));
  });
});

describe('views', () => {
  it('match the API contracts', () => {
    const m = meeting({ loggedVersion: 1 });
    const log = newLog(m, logBody, 1, { now: t0, by: 't@example.fi' });
    const record = {
      engagement: engagement({ status: 'active', tutorId: 't1', assignedAt: iso(0) }),
      meetings: [m],
      logs: [log],
      extraRequests: [],
    };
    const view = toEngagementView(record, { application, tutor: { tutorId: 't1', name: 'T', email: 't@example.fi' } });
    expect(EngagementView.parse(view)).toEqual(view);
    expect(view.meetings[0]!.logs).toEqual([
      {
        version: 1,
        attendees: 3,
        themes: ['etätuki'],
        notes: 'n',
        actions: ['a1'],
        durationMinutes: 60,
        loggedAt: t0.toISOString(),
        loggedBy: 't@example.fi',
      },
    ]);
    expect(MeetingView.safeParse(view.meetings[0]).success).toBe(true);
    expect(toEngagementView(record, {}).contact).toBeUndefined();
  });
});
