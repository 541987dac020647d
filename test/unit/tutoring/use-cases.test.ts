// Tutoring's use cases on in-memory ports: the roster, opening and assigning engagements, meetings,
// session logs, extra-meeting requests, completion, withdrawal and the timed reminders. Each: the
// happy path with what it announced, the repeat that changes nothing and announces nothing, and each
// refusal with its error code.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Application } from '../../../schemas/stored/application.js';
import type { Round } from '../../../schemas/stored/round.js';
import type { Clock } from '../../../functions/shared/clock.js';
import type { AppError } from '../../../functions/shared/errors.js';
import type { Caller } from '../../../functions/shared/http.js';
import type { Mailer, OutgoingEmail } from '../../../functions/shared/mailer.js';
import type { Tutor } from '../../../functions/tutoring/domain.js';
import { notifyMeeting } from '../../../functions/tutoring/meeting-notifications.js';
import { notifyEngagementCompleted, notifyTutorAssigned } from '../../../functions/tutoring/notifications.js';
import type { NotifyingPorts, RoundsAndApplications } from '../../../functions/tutoring/ports.js';
import type { StaffAccounts } from '../../../functions/shared/staff-accounts.js';
import {
  actorOf,
  addTutor,
  assignTutor,
  changeMeeting,
  changeTutor,
  closeWithdrawnEngagement,
  completeEngagement,
  logSession,
  myEngagements,
  openEngagement,
  readEngagement,
  requestExtraMeetings,
  roster,
  roundEngagements,
  scheduleMeeting,
  triggerDueWork,
} from '../../../functions/tutoring/use-cases.js';
import type { CreateTutorBody } from '../../../schemas/api/tutors.js';
import { MemoryEngagementStore } from '../../support/memory/engagements.js';
import { MemoryTutorStore } from '../../support/memory/tutors.js';

const t0 = new Date('2027-03-01T08:00:00.000Z');
const hour = 3_600_000;
const day = 24 * hour;
const at = (ms: number) => new Date(t0.getTime() + ms).toISOString();

class TestClock implements Clock {
  constructor(private time = t0.getTime()) {}
  now = () => new Date(this.time);
  advance(ms: number) {
    this.time += ms;
  }
}

class MemoryIntake implements RoundsAndApplications {
  readonly rounds = new Map<string, Round>();
  readonly applications = new Map<string, Application>();
  async getRound(roundId: string) {
    return this.rounds.get(roundId);
  }
  async getApplication(applicationId: string) {
    return this.applications.get(applicationId);
  }
  async markApplicationCompleted(applicationId: string, completedAt: string) {
    const application = this.applications.get(applicationId);
    if (application?.status !== 'accepted') return;
    this.applications.set(applicationId, { ...application, status: 'completed', ...({ completedAt } as object) });
  }
}

class MemoryMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  async sendOnce(email: OutgoingEmail) {
    if (this.sent.some((e) => e.key === email.key)) return 'already-sent' as const;
    this.sent.push(email);
    return 'sent' as const;
  }
}

const round: Round = {
  roundId: 'round-1',
  name: 'Kevät 2027',
  region: 'Uusimaa',
  places: 10,
  opensAt: at(-30 * day),
  closesAt: at(-day),
  languages: ['fi', 'sv'],
  offerHours: 72,
  selectionPolicy: 'first-come',
  carryOverWhen: 'next-round-opens',
  carryOverHours: 72,
  createdAt: at(-40 * day),
  createdBy: 'kaisa@example.fi',
  applications: 1,
  accepted: 1,
  taken: 1,
};

const application = (id = 'app-1', fields: Partial<Application> = {}): Application => ({
  applicationId: id,
  roundId: 'round-1',
  municipality: { code: '091', name: 'Helsinki' },
  contact: { name: 'Maija Meikäläinen', email: 'maija@hel.fi' },
  language: 'fi',
  themes: ['digituki'],
  status: 'accepted',
  receivedAt: at(-20 * day),
  consentAt: at(-20 * day),
  acceptedAt: at(-day),
  accessToken: 'secret-token',
  ...fields,
});

const tutorBody = (fields: Partial<CreateTutorBody> = {}): CreateTutorBody => ({
  name: 'Tuuli Tutor',
  email: 'Tuuli@Example.fi',
  languages: ['fi'],
  regions: ['Uusimaa'],
  maxActive: 2,
  active: true,
  ...fields,
});

let tutors: MemoryTutorStore;
let engagements: MemoryEngagementStore;
let intake: MemoryIntake;
let clock: TestClock;
let mailer: MemoryMailer;
let ports: NotifyingPorts & { staffAccounts: StaffAccounts };
/** The sign-in accounts the use cases asked for, in order. */
let accounts: string[];
let ids: number;

beforeEach(() => {
  tutors = new MemoryTutorStore();
  engagements = new MemoryEngagementStore(tutors);
  intake = new MemoryIntake();
  intake.rounds.set(round.roundId, round);
  intake.applications.set('app-1', application());
  clock = new TestClock();
  mailer = new MemoryMailer();
  ids = 0;
  accounts = [];
  const staffAccounts: StaffAccounts = {
    ensureTutor: async ({ email }) => (
      accounts.push(email),
      accounts.indexOf(email) === accounts.length - 1 ? 'created' : 'existed'
    ),
  };
  ports = { tutors, engagements, intake, clock, mailer, staffAccounts, newId: () => `id-${++ids}` };
});

const coordinator: Caller = { role: 'coordinator', email: 'kaisa@example.fi', subject: 's' };
const coordinatorActor = { kind: 'coordinator', email: 'kaisa@example.fi' } as const;
const asTutor = (tutor: Tutor) => ({ kind: 'tutor', tutor }) as const;
const eventTypes = () => engagements.events.map((e) => e.detailType);

async function refusal(promise: Promise<unknown>): Promise<{ name: string; code: string }> {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as AppError | undefined;
  if (!error) throw new Error('expected a refusal');
  return { name: error.name, code: error.code };
}

/** A tutor on the roster and an engagement assigned to them, its events cleared. */
async function assigned(body: Partial<CreateTutorBody> = {}) {
  const { tutor } = await addTutor(ports, tutorBody(body), 'kaisa@example.fi');
  await openEngagement(ports, 'app-1');
  engagements.events.length = 0;
  return (await tutors.getTutor(tutor.tutorId))!;
}

const kickoff = (ms = 2 * day) => ({
  kind: 'kickoff' as const,
  startsAt: at(ms),
  durationMinutes: 60,
  joinUrl: 'https://meet.example.fi/abc',
});

describe('the roster', () => {
  it('adds a tutor under a lower-case email; the same tutor posted again answers the one on record', async () => {
    const first = await addTutor(ports, tutorBody(), 'kaisa@example.fi');
    expect(first).toMatchObject({ created: true, tutor: { tutorId: 'id-1', email: 'tuuli@example.fi', activeCount: 0 } });
    const again = await addTutor(ports, tutorBody(), 'kaisa@example.fi');
    expect(again).toEqual({ created: false, tutor: first.tutor });
    expect(await roster(ports)).toHaveLength(1);
    // Each time, the sign-in account is made sure of: a retry heals a failed first call.
    expect(accounts).toEqual(['tuuli@example.fi', 'tuuli@example.fi']);
  });

  it('refuses another person under an email on the roster (tutor_email_taken)', async () => {
    await addTutor(ports, tutorBody(), 'kaisa@example.fi');
    expect(await refusal(addTutor(ports, tutorBody({ name: 'Toinen' }), 'kaisa@example.fi'))).toEqual({
      name: 'ConflictError',
      code: 'tutor_email_taken',
    });
    expect(accounts).toEqual(['tuuli@example.fi']);
  });

  it('changes a tutor, moving the email; no change is no write; another tutor’s email is refused', async () => {
    const { tutor } = await addTutor(ports, tutorBody(), 'kaisa@example.fi');
    await addTutor(ports, tutorBody({ email: 'toinen@example.fi' }), 'kaisa@example.fi');
    clock.advance(hour);
    const changed = await changeTutor(ports, tutor.tutorId, { email: 'uusi@example.fi', maxActive: 3 });
    expect(changed).toMatchObject({ email: 'uusi@example.fi', maxActive: 3, updatedAt: at(hour) });
    expect((await tutors.tutorByEmail('uusi@example.fi'))?.tutorId).toBe(tutor.tutorId);
    expect(await tutors.tutorByEmail('tuuli@example.fi')).toBeUndefined();
    clock.advance(hour);
    expect(await changeTutor(ports, tutor.tutorId, { maxActive: 3 })).toEqual(changed);
    expect(await refusal(changeTutor(ports, tutor.tutorId, { email: 'toinen@example.fi' }))).toEqual({
      name: 'ConflictError',
      code: 'tutor_email_taken',
    });
    expect(await refusal(changeTutor(ports, 'nobody', { maxActive: 1 }))).toMatchObject({ code: 'not_found' });
  });

  it('knows a signed-in tutor by the token’s email, and refuses one off the roster and the public', async () => {
    const { tutor } = await addTutor(ports, tutorBody(), 'kaisa@example.fi');
    expect(await actorOf(ports, { role: 'tutor', email: 'tuuli@example.fi', subject: 's' })).toEqual({ kind: 'tutor', tutor });
    expect(await actorOf(ports, coordinator)).toEqual(coordinatorActor);
    expect(await refusal(actorOf(ports, { role: 'tutor', email: 'muu@example.fi', subject: 's' }))).toMatchObject({
      code: 'forbidden',
    });
    expect(await refusal(actorOf(ports, { role: 'public' }))).toMatchObject({ code: 'forbidden' });
  });
});

describe('opening an engagement', () => {
  it('opens it for the accepted application and gives it the best tutor, announcing TutorAssigned once', async () => {
    await addTutor(ports, tutorBody({ regions: ['Pirkanmaa'] }), 'kaisa@example.fi');
    const { tutor: local } = await addTutor(ports, tutorBody({ email: 'local@example.fi' }), 'kaisa@example.fi');
    await openEngagement(ports, 'app-1');
    const engagement = await engagements.getEngagement('app-1');
    expect(engagement).toMatchObject({ status: 'active', tutorId: local.tutorId, assignments: 1, region: 'Uusimaa' });
    expect((await tutors.getTutor(local.tutorId))?.activeCount).toBe(1);
    expect(engagements.events).toEqual([
      {
        detailType: 'TutorAssigned',
        detail: {
          engagementId: 'app-1',
          applicationId: 'app-1',
          roundId: 'round-1',
          tutorId: local.tutorId,
          assignment: 1,
          by: 'automatic',
        },
      },
    ]);
    await openEngagement(ports, 'app-1');
    expect(eventTypes()).toEqual(['TutorAssigned']);
  });

  it('skips a tutor without room; when nobody fits, it waits unassigned and the coordinators are told once', async () => {
    await addTutor(ports, tutorBody({ maxActive: 0 }), 'kaisa@example.fi');
    await addTutor(ports, tutorBody({ email: 'sv@example.fi', languages: ['sv'] }), 'kaisa@example.fi');
    await openEngagement(ports, 'app-1');
    expect(await engagements.getEngagement('app-1')).toMatchObject({ status: 'unassigned', assignments: 0 });
    await openEngagement(ports, 'app-1');
    expect(eventTypes()).toEqual(['EngagementLeftUnassigned']);
  });

  it('opens nothing for an application no longer accepted', async () => {
    intake.applications.set('app-1', application('app-1', { status: 'withdrawn' }));
    await openEngagement(ports, 'app-1');
    expect(await engagements.getEngagement('app-1')).toBeUndefined();
    expect(engagements.events).toEqual([]);
  });
});

describe('assigning a tutor', () => {
  it('reassigns: the load moves, the engagement leaves the old tutor’s list, TutorAssigned names the previous tutor', async () => {
    const first = await assigned();
    const { tutor: second } = await addTutor(ports, tutorBody({ email: 'toinen@example.fi' }), 'kaisa@example.fi');
    const view = await assignTutor(ports, 'app-1', second.tutorId, 'kaisa@example.fi');
    expect(view.tutor?.tutorId).toBe(second.tutorId);
    expect(view.contact?.email).toBe('maija@hel.fi');
    expect((await tutors.getTutor(first.tutorId))?.activeCount).toBe(0);
    expect((await tutors.getTutor(second.tutorId))?.activeCount).toBe(1);
    expect(await tutors.tutorEngagementIds(first.tutorId)).toEqual([]);
    expect(await tutors.tutorEngagementIds(second.tutorId)).toEqual(['app-1']);
    expect(engagements.events).toEqual([
      expect.objectContaining({
        detailType: 'TutorAssigned',
        detail: expect.objectContaining({
          tutorId: second.tutorId,
          previousTutorId: first.tutorId,
          assignment: 2,
          by: 'coordinator',
        }),
      }),
    ]);
    await assignTutor(ports, 'app-1', second.tutorId, 'kaisa@example.fi');
    expect(engagements.events).toHaveLength(1);
  });

  it('refuses an unknown tutor (400), a full or inactive one (409) and a closed engagement (409)', async () => {
    await assigned();
    const { tutor: full } = await addTutor(ports, tutorBody({ email: 'full@example.fi', maxActive: 0 }), 'k');
    const { tutor: away } = await addTutor(ports, tutorBody({ email: 'away@example.fi', active: false }), 'k');
    expect(await refusal(assignTutor(ports, 'app-1', 'nobody', 'k'))).toMatchObject({ code: 'invalid_request' });
    expect(await refusal(assignTutor(ports, 'app-1', full.tutorId, 'k'))).toMatchObject({ code: 'tutor_full' });
    expect(await refusal(assignTutor(ports, 'app-1', away.tutorId, 'k'))).toMatchObject({ code: 'tutor_inactive' });
    expect(await refusal(assignTutor(ports, 'nowhere', full.tutorId, 'k'))).toMatchObject({ code: 'not_found' });
    await closeWithdrawnEngagement(ports, 'app-1');
    const { tutor: free } = await addTutor(ports, tutorBody({ email: 'free@example.fi' }), 'k');
    expect(await refusal(assignTutor(ports, 'app-1', free.tutorId, 'k'))).toMatchObject({ code: 'engagement_withdrawn' });
    expect(eventTypes()).toEqual(['EngagementWithdrawn']);
  });

  it('answers tutor_full when the tutor filled up between the read and the write', async () => {
    await assigned();
    const { tutor } = await addTutor(ports, tutorBody({ email: 'toinen@example.fi', maxActive: 1 }), 'k');
    const racing = { ...(await tutors.getTutor(tutor.tutorId))! };
    tutors.tutors.set(tutor.tutorId, { ...racing, activeCount: 1 });
    const getTutor = tutors.getTutor.bind(tutors);
    tutors.getTutor = async (id) => (id === tutor.tutorId ? racing : getTutor(id));
    expect(await refusal(assignTutor(ports, 'app-1', tutor.tutorId, 'k'))).toMatchObject({ code: 'tutor_full' });
    expect(engagements.events).toEqual([]);
  });
});

describe('reading engagements', () => {
  it('shows an engagement to its tutor and coordinators, not to another tutor', async () => {
    const tutor = await assigned();
    const { tutor: other } = await addTutor(ports, tutorBody({ email: 'toinen@example.fi' }), 'k');
    expect((await readEngagement(ports, asTutor(tutor), 'app-1')).tutor?.name).toBe('Tuuli Tutor');
    expect((await readEngagement(ports, coordinatorActor, 'app-1')).engagementId).toBe('app-1');
    expect(await refusal(readEngagement(ports, asTutor(other), 'app-1'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(readEngagement(ports, coordinatorActor, 'nope'))).toMatchObject({ code: 'not_found' });
  });

  it('lists a tutor’s own engagements and a round’s; a coordinator has none of their own; an unknown round is 404', async () => {
    const tutor = await assigned();
    expect((await myEngagements(ports, asTutor(tutor))).map((e) => e.engagementId)).toEqual(['app-1']);
    expect((await roundEngagements(ports, 'round-1')).map((e) => e.engagementId)).toEqual(['app-1']);
    expect(await refusal(myEngagements(ports, coordinatorActor))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(roundEngagements(ports, 'round-x'))).toMatchObject({ code: 'not_found' });
  });
});

describe('meetings', () => {
  it('schedules a meeting with its timers and MeetingScheduled; the same request again finds it', async () => {
    const tutor = await assigned();
    const { meeting, created } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    expect(created).toBe(true);
    expect(meeting).toMatchObject({ meetingId: 'id-2', status: 'scheduled', sequence: 0, createdBy: 'tuuli@example.fi' });
    expect([...engagements.timers.values()].map((t) => t.kind).sort()).toEqual(['meeting-reminder', 'session-log']);
    const again = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    expect(again).toEqual({ meeting, created: false });
    expect(engagements.events).toEqual([
      {
        detailType: 'MeetingScheduled',
        detail: { meetingId: 'id-2', engagementId: 'app-1', sequence: 0, kind: 'kickoff', startsAt: at(2 * day) },
        roundId: 'round-1',
      },
    ]);
  });

  it('refuses another meeting at the same time (slot_taken), a past time, and an engagement not active', async () => {
    const tutor = await assigned();
    await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    expect(await refusal(scheduleMeeting(ports, asTutor(tutor), 'app-1', { ...kickoff(), kind: 'extra' }))).toMatchObject({
      code: 'slot_taken',
    });
    expect(await refusal(scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff(-hour)))).toMatchObject({
      code: 'invalid_request',
    });
    await closeWithdrawnEngagement(ports, 'app-1');
    expect(await refusal(scheduleMeeting(ports, coordinatorActor, 'app-1', kickoff(3 * day)))).toMatchObject({
      code: 'engagement_withdrawn',
    });
  });

  it('reschedules (slot and timers move, MeetingRescheduled) and cancels (MeetingCancelled); a repeat changes nothing', async () => {
    const tutor = await assigned();
    const { meeting } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    engagements.events.length = 0;
    const moved = await changeMeeting(ports, asTutor(tutor), meeting.meetingId, { startsAt: at(3 * day) });
    expect(moved.meeting).toMatchObject({ sequence: 1, startsAt: at(3 * day), previousStartsAt: at(2 * day) });
    expect(engagements.slots.get(`app-1|${at(3 * day)}`)).toBe(meeting.meetingId);
    expect(engagements.slots.has(`app-1|${at(2 * day)}`)).toBe(false);
    expect([...engagements.timers.values()].every((t) => t.sequence === 1)).toBe(true);
    await changeMeeting(ports, asTutor(tutor), meeting.meetingId, { startsAt: at(3 * day) });
    const cancelled = await changeMeeting(ports, asTutor(tutor), meeting.meetingId, { status: 'cancelled' });
    expect(cancelled.meeting).toMatchObject({ status: 'cancelled', sequence: 2 });
    expect(engagements.timers.size).toBe(0);
    await changeMeeting(ports, asTutor(tutor), meeting.meetingId, { status: 'cancelled' });
    expect(eventTypes()).toEqual(['MeetingRescheduled', 'MeetingCancelled']);
  });

  it('refuses a change onto another meeting’s time, of a cancelled or begun meeting, and of an unknown one', async () => {
    const tutor = await assigned();
    const { meeting } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff(4 * day));
    engagements.events.length = 0;
    expect(await refusal(changeMeeting(ports, asTutor(tutor), meeting.meetingId, { startsAt: at(4 * day) }))).toMatchObject({
      code: 'slot_taken',
    });
    clock.advance(2 * day + hour);
    expect(await refusal(changeMeeting(ports, asTutor(tutor), meeting.meetingId, { startsAt: at(5 * day) }))).toMatchObject({
      code: 'meeting_started',
    });
    expect(await refusal(changeMeeting(ports, asTutor(tutor), 'nope', { status: 'cancelled' }))).toMatchObject({
      code: 'not_found',
    });
    expect(engagements.events).toEqual([]);
  });
});

describe('session logs', () => {
  const body = { attendees: 4, themes: ['verkkopankki'], notes: 'Hyvä alku', actions: ['Kokeillaan'], durationMinutes: 55 };

  it('logs a held session as version 1 (the nudge goes); the same log again is a repeat; a different one is version 2', async () => {
    const tutor = await assigned();
    const { meeting } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    engagements.events.length = 0;
    clock.advance(2 * day + 2 * hour);
    const first = await logSession(ports, asTutor(tutor), meeting.meetingId, body);
    expect(first).toMatchObject({
      created: true,
      log: { version: 1, loggedBy: 'tuuli@example.fi' },
      meeting: { loggedVersion: 1 },
    });
    expect([...engagements.timers.values()].some((t) => t.kind === 'session-log')).toBe(false);
    expect((await logSession(ports, asTutor(tutor), meeting.meetingId, body)).created).toBe(false);
    const correction = await logSession(ports, asTutor(tutor), meeting.meetingId, { ...body, attendees: 5 });
    expect(correction).toMatchObject({ created: true, log: { version: 2 } });
    expect(correction.record.logs.map((l) => l.version).sort()).toEqual([1, 2]);
    expect(engagements.events.map((e) => [e.detailType, (e.detail as { version: number }).version])).toEqual([
      ['SessionLogged', 1],
      ['SessionLogged', 2],
    ]);
  });

  it('refuses a log before the meeting, of a cancelled meeting, and from another tutor', async () => {
    const tutor = await assigned();
    const { tutor: other } = await addTutor(ports, tutorBody({ email: 'toinen@example.fi' }), 'k');
    const { meeting } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    expect(await refusal(logSession(ports, asTutor(tutor), meeting.meetingId, body))).toMatchObject({ code: 'meeting_not_held' });
    expect(await refusal(logSession(ports, asTutor(other), meeting.meetingId, body))).toMatchObject({ code: 'forbidden' });
    await changeMeeting(ports, asTutor(tutor), meeting.meetingId, { status: 'cancelled' });
    clock.advance(3 * day);
    expect(await refusal(logSession(ports, asTutor(tutor), meeting.meetingId, body))).toMatchObject({
      code: 'meeting_cancelled',
    });
  });

  it('a log that lost the race to another answers state_changed and never overwrites the winner', async () => {
    const tutor = await assigned();
    const { meeting } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    clock.advance(2 * day + 2 * hour);
    const load = engagements.loadEngagement.bind(engagements);
    const stale = (await load('app-1'))!;
    await logSession(ports, asTutor(tutor), meeting.meetingId, body);
    let reads = 0;
    engagements.loadEngagement = async (id) => (reads++ === 0 ? stale : load(id));
    expect(await refusal(logSession(ports, asTutor(tutor), meeting.meetingId, { ...body, notes: 'Toinen' }))).toMatchObject({
      code: 'state_changed',
    });
    expect([...engagements.logs.values()].map((l) => l.notes)).toEqual(['Hyvä alku']);
  });
});

describe('extra meetings', () => {
  it('records a request once per text, with ExtraMeetingsRequested once', async () => {
    await assigned();
    const first = await requestExtraMeetings(ports, 'app-1', 'secret-token', { message: 'Vielä yksi?' });
    expect(first).toMatchObject({
      created: true,
      request: { engagementId: 'app-1', message: 'Vielä yksi?', requestedAt: at(0) },
    });
    clock.advance(hour);
    const again = await requestExtraMeetings(ports, 'app-1', 'secret-token', { message: 'Vielä yksi?' });
    expect(again).toEqual({ created: false, request: first.request });
    expect(eventTypes()).toEqual(['ExtraMeetingsRequested']);
  });

  it('refuses a wrong token (403), an unknown application (404), no engagement and a closed one (409)', async () => {
    expect(await refusal(requestExtraMeetings(ports, 'app-1', 'secret-token', { message: 'x' }))).toMatchObject({
      code: 'no_engagement',
    });
    await assigned();
    expect(await refusal(requestExtraMeetings(ports, 'app-1', 'wrong', { message: 'x' }))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(requestExtraMeetings(ports, 'app-9', 'secret-token', { message: 'x' }))).toMatchObject({
      code: 'not_found',
    });
    await closeWithdrawnEngagement(ports, 'app-1');
    expect(await refusal(requestExtraMeetings(ports, 'app-1', 'secret-token', { message: 'x' }))).toMatchObject({
      code: 'engagement_withdrawn',
    });
  });
});

describe('completion', () => {
  it('completes: the tutor’s place frees, the application follows, EngagementCompleted once; a repeat heals the application only', async () => {
    const tutor = await assigned();
    const view = await completeEngagement(ports, asTutor(tutor), 'app-1');
    expect(view).toMatchObject({ status: 'completed', completedAt: at(0) });
    expect((await tutors.getTutor(tutor.tutorId))?.activeCount).toBe(0);
    expect(intake.applications.get('app-1')?.status).toBe('completed');
    intake.applications.set('app-1', application());
    await completeEngagement(ports, asTutor(tutor), 'app-1');
    expect(intake.applications.get('app-1')?.status).toBe('completed');
    expect(eventTypes()).toEqual(['EngagementCompleted']);
    expect(await tutors.tutorEngagementIds(tutor.tutorId)).toEqual(['app-1']);
  });

  it('refuses while meetings are ahead, for an unassigned engagement, and for another tutor', async () => {
    const tutor = await assigned();
    const { tutor: other } = await addTutor(ports, tutorBody({ email: 'toinen@example.fi' }), 'k');
    await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    expect(await refusal(completeEngagement(ports, asTutor(tutor), 'app-1'))).toMatchObject({ code: 'meetings_ahead' });
    expect(await refusal(completeEngagement(ports, asTutor(other), 'app-1'))).toMatchObject({ code: 'forbidden' });
    intake.applications.set('app-2', application('app-2'));
    await tutors.updateTutor((await tutors.getTutor(tutor.tutorId))!, { active: false }, at(0));
    await tutors.updateTutor((await tutors.getTutor(other.tutorId))!, { active: false }, at(0));
    await openEngagement(ports, 'app-2');
    expect(await refusal(completeEngagement(ports, coordinatorActor, 'app-2'))).toMatchObject({ code: 'engagement_unassigned' });
  });
});

describe('withdrawal', () => {
  it('closes the engagement, frees the tutor and cancels the meetings ahead in one step; run again, it writes nothing', async () => {
    const tutor = await assigned();
    await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff(5 * day));
    engagements.events.length = 0;
    await closeWithdrawnEngagement(ports, 'app-1');
    expect(await engagements.getEngagement('app-1')).toMatchObject({ status: 'withdrawn', withdrawnAt: at(0) });
    expect((await tutors.getTutor(tutor.tutorId))?.activeCount).toBe(0);
    expect([...engagements.meetings.values()].map((m) => m.status)).toEqual(['cancelled', 'cancelled']);
    expect(engagements.timers.size).toBe(0);
    await closeWithdrawnEngagement(ports, 'app-1');
    expect(eventTypes()).toEqual(['MeetingCancelled', 'MeetingCancelled', 'EngagementWithdrawn']);
  });

  it('does nothing for an application that never got an engagement', async () => {
    await closeWithdrawnEngagement(ports, 'app-1');
    expect(engagements.events).toEqual([]);
  });
});

describe('timed work', () => {
  it('triggers a due reminder and a due log nudge once each; stale timers go without a word', async () => {
    const tutor = await assigned();
    const { meeting } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    const { meeting: moved } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff(3 * day));
    await changeMeeting(ports, asTutor(tutor), moved.meetingId, { status: 'cancelled' });
    engagements.events.length = 0;
    clock.advance(day + hour);
    await triggerDueWork(ports);
    await triggerDueWork(ports);
    expect(engagements.events).toEqual([
      {
        detailType: 'MeetingReminderTriggered',
        detail: { meetingId: meeting.meetingId, engagementId: 'app-1', startsAt: meeting.startsAt, sequence: 0 },
        roundId: 'round-1',
      },
    ]);
    expect(engagements.meetings.get(meeting.meetingId)?.reminderTriggeredFor).toBe(0);
    clock.advance(5 * day);
    await triggerDueWork(ports);
    await triggerDueWork(ports);
    expect(eventTypes()).toEqual(['MeetingReminderTriggered', 'SessionLogReminderTriggered']);
    expect(engagements.timers.size).toBe(0);
  });
});

describe('notifications', () => {
  // The links and the organizer in the emails come from the handler's settings.
  beforeEach(() => {
    vi.stubEnv('PUBLIC_URL', 'https://sparraus.example.fi');
    vi.stubEnv('EMAIL_FROM', 'no-reply@sparraus.example.fi');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('tells the municipality and the tutor of an assignment, once per assignment, and nobody of an overtaken one', async () => {
    const tutor = await assigned();
    const detail = {
      engagementId: 'app-1',
      applicationId: 'app-1',
      roundId: 'round-1',
      tutorId: tutor.tutorId,
      assignment: 1,
      by: 'automatic' as const,
    };
    await notifyTutorAssigned(ports, detail);
    await notifyTutorAssigned(ports, detail);
    expect(mailer.sent.map((m) => [m.key, m.to])).toEqual([
      ['tutor-assigned/app-1/1/contact', 'maija@hel.fi'],
      ['tutor-assigned/app-1/1/tutor', 'tuuli@example.fi'],
    ]);
    await notifyTutorAssigned(ports, { ...detail, assignment: 2 });
    expect(mailer.sent).toHaveLength(2);
  });

  it('invites both sides to a meeting with the calendar attached, and sends the summary on completion', async () => {
    const tutor = await assigned();
    const { meeting } = await scheduleMeeting(ports, asTutor(tutor), 'app-1', kickoff());
    await notifyMeeting(ports, 'invitation', { meetingId: meeting.meetingId, engagementId: 'app-1', sequence: 0 });
    expect(mailer.sent.map((m) => [m.key, m.attachments?.length])).toEqual([
      [`meeting/${meeting.meetingId}/0/contact`, 1],
      [`meeting/${meeting.meetingId}/0/tutor`, 1],
    ]);
    await notifyMeeting(ports, 'reminder', { meetingId: meeting.meetingId, engagementId: 'app-1', sequence: 1 });
    expect(mailer.sent).toHaveLength(2);
    await changeMeeting(ports, asTutor(tutor), meeting.meetingId, { status: 'cancelled' });
    await completeEngagement(ports, asTutor(tutor), 'app-1');
    await notifyEngagementCompleted(ports, {
      engagementId: 'app-1',
      applicationId: 'app-1',
      roundId: 'round-1',
      tutorId: tutor.tutorId,
      completedAt: at(0),
    });
    expect(mailer.sent.at(-1)).toMatchObject({ key: 'engagement-summary/app-1', to: 'maija@hel.fi' });
  });
});
