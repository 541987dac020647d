// Tutoring use cases: the roster, engagements and their (re)assignment, meetings, session logs,
// extra-meeting requests, completion, withdrawal and the timed reminders. Each one is safe to run
// again: writes are conditional, and each change writes its events in its own transaction (the
// outbox), so a change is announced exactly when it commits and a repeat announces nothing again.
import type { StaffAccounts } from '../shared/staff-accounts.js';
import { createHash } from 'node:crypto';
import type {
  ChangeMeetingBody,
  EngagementView,
  ExtraMeetingsBody,
  LogSessionBody,
  ScheduleMeetingBody,
} from '../../schemas/api/engagements.js';
import type { CreateTutorBody, UpdateTutorBody } from '../../schemas/api/tutors.js';
import { assertToken } from '../shared/access.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import type { Caller } from '../shared/http.js';
import { logger } from '../shared/logger.js';
import { event, type PendingEvent } from '../shared/outbox.js';
import {
  assertActive,
  assertCanAssign,
  assertCanComplete,
  assertCanLog,
  assertMayAct,
  newEngagement,
  newLog,
  newMeeting,
  newTutor,
  planMeetingChange,
  rankTutors,
  sameLog,
  sameMeeting,
  sameTutor,
  timerIsLive,
  timersOf,
  toEngagementView,
  tutorChanges,
  type Actor,
  type Engagement,
  type EngagementRecord,
  type Meeting,
  type SessionLog,
  type Tutor,
} from './domain.js';
import type { TutoringPorts } from './ports.js';

const actorName = (actor: Actor) => (actor.kind === 'coordinator' ? actor.email : actor.tutor.email);

// --- Roster ---------------------------------------------------------------------------------------

/** Adds a tutor; the same tutor posted again (a retry) answers with the one on record. */
export async function addTutor(
  ports: TutoringPorts & { staffAccounts: StaffAccounts },
  body: CreateTutorBody,
  by: string,
): Promise<{ tutor: Tutor; created: boolean }> {
  const tutor = newTutor(body, { tutorId: ports.newId(), now: ports.clock.now(), createdBy: by });
  const result = await ports.tutors.createTutor(tutor);
  // The sign-in account follows the roster entry, also when the same tutor is posted again, so a
  // retry after a failed account call heals it (ensureTutor is safe to run twice).
  if (result.outcome === 'created') {
    await ports.staffAccounts.ensureTutor({ email: tutor.email, name: tutor.name });
    return { tutor, created: true };
  }
  const existing = await ports.tutors.getTutor(result.tutorId);
  if (existing && sameTutor(existing, body)) {
    await ports.staffAccounts.ensureTutor({ email: existing.email, name: existing.name });
    return { tutor: existing, created: false };
  }
  throw new ConflictError(
    `A tutor with the email ${tutor.email} is already on the roster (${result.tutorId}); change it with PATCH`,
    {
      code: 'tutor_email_taken',
    },
  );
}

/** The whole roster, oldest first. */
export function roster(ports: TutoringPorts): Promise<Tutor[]> {
  return ports.tutors.listTutors();
}

export async function requireTutor(ports: TutoringPorts, tutorId: string): Promise<Tutor> {
  const tutor = await ports.tutors.getTutor(tutorId);
  if (!tutor) throw new NotFoundError(`No tutor ${tutorId}`);
  return tutor;
}

export async function changeTutor(ports: TutoringPorts, tutorId: string, body: UpdateTutorBody): Promise<Tutor> {
  const tutor = await requireTutor(ports, tutorId);
  const changes = tutorChanges(tutor, body);
  if (Object.keys(changes).length === 0) return tutor;
  const result = await ports.tutors.updateTutor(tutor, changes, ports.clock.now().toISOString());
  if (result.outcome === 'updated') return result.tutor;
  if (result.outcome === 'email-taken')
    throw new ConflictError(`Another tutor has the email ${changes.email}`, { code: 'tutor_email_taken' });
  throw new ConflictError('The tutor changed at the same moment; reload and try again', { code: 'state_changed' });
}

/** The signed-in caller as an actor: a coordinator, or the roster's tutor with the token's email. */
export async function actorOf(ports: TutoringPorts, caller: Caller): Promise<Actor> {
  if (caller.role === 'coordinator') return { kind: 'coordinator', email: caller.email };
  if (caller.role === 'tutor') {
    const tutor = caller.email ? await ports.tutors.tutorByEmail(caller.email) : undefined;
    if (!tutor)
      throw new ForbiddenError('You are not on the tutor roster; ask a coordinator to add you');
    return { kind: 'tutor', tutor };
  }
  throw new ForbiddenError('This route needs a signed-in tutor or coordinator');
}

// --- Engagements ----------------------------------------------------------------------------------

export async function requireRecord(ports: TutoringPorts, engagementId: string): Promise<EngagementRecord> {
  const record = await ports.engagements.loadEngagement(engagementId);
  if (!record) throw new NotFoundError(`No engagement ${engagementId}`);
  return record;
}

/** An engagement as tutors and coordinators see it: with its contact, tutor, meetings and logs. */
export async function engagementView(ports: TutoringPorts, record: EngagementRecord): Promise<EngagementView> {
  const { engagement } = record;
  const [application, tutor] = await Promise.all([
    ports.intake.getApplication(engagement.applicationId),
    engagement.tutorId ? ports.tutors.getTutor(engagement.tutorId) : undefined,
  ]);
  return toEngagementView(record, { ...(application ? { application } : {}), ...(tutor ? { tutor } : {}) });
}

/** The engagement for a tutor or coordinator; another tutor gets 403. */
export async function readEngagement(ports: TutoringPorts, actor: Actor, engagementId: string): Promise<EngagementView> {
  const record = await requireRecord(ports, engagementId);
  assertMayAct(actor, record.engagement);
  return engagementView(ports, record);
}

/** The engagements a tutor has (and has completed), newest first. */
export async function myEngagements(ports: TutoringPorts, actor: Actor): Promise<EngagementView[]> {
  if (actor.kind !== 'tutor') throw new ForbiddenError('Only a tutor has engagements of their own');
  const ids = await ports.tutors.tutorEngagementIds(actor.tutor.tutorId);
  const records = (await Promise.all(ids.map((id) => ports.engagements.loadEngagement(id)))).filter(
    (r): r is EngagementRecord => r !== undefined && r.engagement.tutorId === actor.tutor.tutorId,
  );
  const views = await Promise.all(records.map((record) => engagementView(ports, record)));
  return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function roundEngagements(ports: TutoringPorts, roundId: string): Promise<EngagementView[]> {
  if (!(await ports.intake.getRound(roundId))) throw new NotFoundError(`No round ${roundId}`);
  const engagements = await ports.engagements.listRoundEngagements(roundId);
  const records = (await Promise.all(engagements.map((e) => ports.engagements.loadEngagement(e.engagementId)))).filter(
    (r): r is EngagementRecord => r !== undefined,
  );
  return Promise.all(records.map((record) => engagementView(ports, record)));
}

/** TutorAssigned for giving `engagement` (as read) to `to`: its next assignment. */
function tutorAssigned(engagement: Engagement, to: Tutor, by: string): PendingEvent {
  const previous = engagement.history[engagement.history.length - 1];
  return event('TutorAssigned', {
    engagementId: engagement.engagementId,
    applicationId: engagement.applicationId,
    roundId: engagement.roundId,
    tutorId: to.tutorId,
    ...(previous ? { previousTutorId: previous.tutorId } : {}),
    assignment: engagement.assignments + 1,
    by: by === 'automatic' ? 'automatic' : 'coordinator',
  });
}

/**
 * On ApplicationAccepted: opens the engagement (once per application) and chooses its tutor. A
 * tutor filled by a concurrent assignment is skipped for the next best; when nobody fits, the
 * engagement waits unassigned and the coordinators are told.
 */
export async function openEngagement(ports: TutoringPorts, applicationId: string): Promise<void> {
  const now = ports.clock.now();
  const application = await ports.intake.getApplication(applicationId);
  if (!application || application.status !== 'accepted') {
    // Withdrawn (or erased) before this ran: there is nothing to coach.
    logger.info('application not accepted (any more); no engagement', { applicationId, status: application?.status });
    return;
  }
  const round = await ports.intake.getRound(application.roundId);
  if (!round) throw new Error(`Round ${application.roundId} of application ${applicationId} is missing`);
  await ports.engagements.createEngagement(newEngagement(application, round, now));
  await autoAssign(ports, applicationId, now);
}

async function autoAssign(ports: TutoringPorts, engagementId: string, now: Date): Promise<void> {
  const store = ports.engagements;
  for (let attempt = 1; attempt <= 5; attempt++) {
    const engagement = await store.getEngagement(engagementId);
    if (!engagement) throw new Error(`Engagement ${engagementId} vanished`);
    // Assigned already (by an earlier run, or a coordinator): its TutorAssigned was written with it.
    if (engagement.status !== 'unassigned') return;
    let changed = false;
    // The roster comes from the index, so a load may be a moment old: that can only change the
    // order; the room itself is checked by the assignment's condition when it is written.
    for (const tutor of rankTutors(await ports.tutors.listTutors(), engagement)) {
      const outcome = await store.assign(engagement, tutor, now.toISOString(), 'automatic', [
        tutorAssigned(engagement, tutor, 'automatic'),
      ]);
      if (outcome === 'assigned') return;
      if (outcome === 'engagement-changed') {
        changed = true;
        break;
      }
      // tutor-full: another engagement took the tutor's last place a moment ago; try the next best.
    }
    if (!changed) {
      // Nobody fits: the coordinators are told once (a repeat finds the note and writes nothing).
      const noted = await store.leaveUnassigned(engagement, now.toISOString(), [
        event('EngagementLeftUnassigned', {
          engagementId,
          applicationId: engagement.applicationId,
          roundId: engagement.roundId,
        }),
      ]);
      if (noted !== 'engagement-changed') return;
    }
  }
  throw new Error(`Engagement ${engagementId} kept changing while assigning a tutor`);
}

/** A coordinator assigns (or reassigns) a tutor; the same tutor again changes nothing. */
export async function assignTutor(
  ports: TutoringPorts,
  engagementId: string,
  tutorId: string,
  by: string,
): Promise<EngagementView> {
  const now = ports.clock.now();
  const record = await requireRecord(ports, engagementId);
  const { engagement } = record;
  const tutor = await ports.tutors.getTutor(tutorId);
  if (!tutor)
    throw new ValidationError('The request is not valid', {
      issues: [{ path: 'tutorId', message: `no tutor ${tutorId}`, code: 'unknown_tutor' }],
    });
  if (engagement.tutorId === tutorId && engagement.status === 'active') return engagementView(ports, record);
  assertCanAssign(engagement, tutor);
  const outcome = await ports.engagements.assign(engagement, tutor, now.toISOString(), by, [
    tutorAssigned(engagement, tutor, by),
  ]);
  if (outcome === 'tutor-full') {
    throw new ConflictError(`${tutor.name} has no room left (at most ${tutor.maxActive} engagements), or is not active`, {
      code: 'tutor_full',
    });
  }
  if (outcome === 'engagement-changed') {
    throw new ConflictError('The engagement changed at the same moment; reload and try again', { code: 'state_changed' });
  }
  return engagementView(ports, await requireRecord(ports, engagementId));
}

// --- Meetings -------------------------------------------------------------------------------------

/**
 * The event of a meeting's new state: scheduled (sequence 0), rescheduled, or cancelled. Filed with
 * the engagement's round, which the detail does not name.
 */
function meetingEvent(meeting: Meeting, roundId: string): PendingEvent {
  const ref = { meetingId: meeting.meetingId, engagementId: meeting.engagementId, sequence: meeting.sequence };
  const options = { roundId };
  if (meeting.status === 'cancelled') return event('MeetingCancelled', ref, options);
  if (meeting.sequence === 0)
    return event('MeetingScheduled', { ...ref, kind: meeting.kind, startsAt: meeting.startsAt }, options);
  return event('MeetingRescheduled', { ...ref, startsAt: meeting.startsAt }, options);
}

/**
 * The tutor (or a coordinator) schedules a meeting. The same request again finds the meeting it
 * made (one live meeting per engagement and start time) and answers with it.
 */
export async function scheduleMeeting(
  ports: TutoringPorts,
  actor: Actor,
  engagementId: string,
  body: ScheduleMeetingBody,
): Promise<{ meeting: Meeting; created: boolean }> {
  const store = ports.engagements;
  const now = ports.clock.now();
  const record = await requireRecord(ports, engagementId);
  assertMayAct(actor, record.engagement);
  assertActive(record.engagement);
  const meeting = newMeeting(record.engagement, body, { meetingId: ports.newId(), now, by: actorName(actor) });
  const result = await store.createMeeting(meeting, timersOf(meeting, now), [meetingEvent(meeting, record.engagement.roundId)]);
  if (result.outcome === 'created') return { meeting, created: true };
  if (result.outcome === 'slot-taken') {
    // A repeat: the meeting and its MeetingScheduled were written by the first request.
    const existing = await store.getMeeting(engagementId, result.meetingId);
    if (existing && sameMeeting(existing, body)) return { meeting: existing, created: false };
    throw new ConflictError('Another meeting of this engagement starts at that time', { code: 'slot_taken' });
  }
  assertActive((await requireRecord(ports, engagementId)).engagement);
  throw new ConflictError('The engagement changed at the same moment; reload and try again', { code: 'state_changed' });
}

async function requireMeeting(ports: TutoringPorts, meetingId: string): Promise<{ record: EngagementRecord; meeting: Meeting }> {
  const engagementId = await ports.engagements.meetingEngagementId(meetingId);
  const record = engagementId ? await ports.engagements.loadEngagement(engagementId) : undefined;
  const meeting = record?.meetings.find((m) => m.meetingId === meetingId);
  if (!record || !meeting) throw new NotFoundError(`No meeting ${meetingId}`);
  return { record, meeting };
}

/** Writes a meeting's change with its event; a change refused by the meeting or its new slot is a conflict. */
async function moveMeeting(ports: TutoringPorts, before: Meeting, after: Meeting, now: Date, roundId: string): Promise<void> {
  const outcome = await ports.engagements.changeMeeting(before, after, now, [meetingEvent(after, roundId)]);
  if (outcome === 'meeting-changed')
    throw new ConflictError('The meeting changed at the same moment; reload and try again', { code: 'state_changed' });
  if (outcome === 'slot-taken')
    throw new ConflictError('Another meeting of this engagement starts at that time', { code: 'slot_taken' });
}

/** Reschedules or cancels a meeting; asking for what is already so changes nothing. */
export async function changeMeeting(ports: TutoringPorts, actor: Actor, meetingId: string, body: ChangeMeetingBody) {
  const now = ports.clock.now();
  const { record, meeting } = await requireMeeting(ports, meetingId);
  assertMayAct(actor, record.engagement);
  const change = planMeetingChange(meeting, body, now);
  if (change.kind === 'unchanged') return { record, meeting };
  assertActive(record.engagement);
  await moveMeeting(ports, meeting, change.meeting, now, record.engagement.roundId);
  return { record, meeting: change.meeting };
}

/**
 * Logs a held session. The first log is version 1; a different log later is a correction, stored
 * as the next version beside the earlier ones; the same log again is a repeat and changes nothing.
 */
export async function logSession(
  ports: TutoringPorts,
  actor: Actor,
  meetingId: string,
  body: LogSessionBody,
): Promise<{ record: EngagementRecord; meeting: Meeting; log: SessionLog; created: boolean }> {
  const now = ports.clock.now();
  const { record, meeting } = await requireMeeting(ports, meetingId);
  assertMayAct(actor, record.engagement);
  assertCanLog(meeting, now);
  const inForce = record.logs.find((l) => l.meetingId === meetingId && l.version === meeting.loggedVersion);
  // The same log again is a repeat: its SessionLogged was written with it.
  if (inForce && sameLog(inForce, body)) return { record, meeting, log: inForce, created: false };
  const log = newLog(meeting, body, (meeting.loggedVersion ?? 0) + 1, { now, by: actorName(actor) });
  const logged = event(
    'SessionLogged',
    { meetingId, engagementId: meeting.engagementId, version: log.version },
    { roundId: record.engagement.roundId },
  );
  if (!(await ports.engagements.addLog(meeting, log, [logged]))) {
    // Another log landed first: if it says the same, this was a repeat of it.
    const again = await requireMeeting(ports, meetingId);
    const winner = again.record.logs.find((l) => l.meetingId === meetingId && l.version === again.meeting.loggedVersion);
    if (winner && sameLog(winner, body)) return { ...again, log: winner, created: false };
    throw new ConflictError('The session log changed at the same moment; reload and try again', { code: 'state_changed' });
  }
  const updated = await requireMeeting(ports, meetingId);
  return { ...updated, log, created: true };
}

// --- Extra meetings, completion, withdrawal -------------------------------------------------------

/**
 * The municipality asks for extra meetings. The request's id comes from its text, so the same
 * request sent twice is one request (and one email).
 */
export async function requestExtraMeetings(
  ports: TutoringPorts,
  applicationId: string,
  token: string | undefined,
  body: ExtraMeetingsBody,
) {
  const application = await ports.intake.getApplication(applicationId);
  if (!application) throw new NotFoundError(`No application ${applicationId}`);
  assertToken(token, application.accessToken, 'application');
  const store = ports.engagements;
  const now = ports.clock.now();
  const engagement = await store.getEngagement(application.applicationId);
  if (!engagement) {
    throw new ConflictError('Extra meetings can be asked for once the municipality has a place in the coaching', {
      code: 'no_engagement',
    });
  }
  if (engagement.status === 'completed' || engagement.status === 'withdrawn') {
    throw new ConflictError(`The coaching is ${engagement.status}`, { code: `engagement_${engagement.status}` });
  }
  const requestId = createHash('sha256').update(`${engagement.engagementId}\n${body.message}`).digest('base64url').slice(0, 22);
  const candidate = { requestId, message: body.message, requestedAt: now.toISOString() };
  const created = await store.addExtraRequest(engagement.engagementId, candidate, [
    event('ExtraMeetingsRequested', {
      engagementId: engagement.engagementId,
      applicationId: engagement.applicationId,
      roundId: engagement.roundId,
      requestId,
    }),
  ]);
  // Not created: the same request is on record, and its event was written with it.
  const request = created ? candidate : ((await store.getExtraRequest(engagement.engagementId, requestId)) ?? candidate);
  return { request: { ...request, engagementId: engagement.engagementId }, created };
}

/** The programme is done: the engagement completes, the tutor's place frees, and the municipality gets its summary. */
export async function completeEngagement(ports: TutoringPorts, actor: Actor, engagementId: string): Promise<EngagementView> {
  const now = ports.clock.now();
  let record = await requireRecord(ports, engagementId);
  assertMayAct(actor, record.engagement);
  if (record.engagement.status !== 'completed') {
    assertCanComplete(record.engagement, record.meetings, now);
    const { engagement } = record;
    const completedAt = now.toISOString();
    const completed = event('EngagementCompleted', {
      engagementId: engagement.engagementId,
      applicationId: engagement.applicationId,
      roundId: engagement.roundId,
      ...(engagement.tutorId ? { tutorId: engagement.tutorId } : {}),
      completedAt,
    });
    if (!(await ports.engagements.complete(engagement, completedAt, [completed]))) {
      const current = await requireRecord(ports, engagementId);
      if (current.engagement.status !== 'completed') {
        throw new ConflictError('The engagement changed at the same moment; reload and try again', { code: 'state_changed' });
      }
    }
    record = await requireRecord(ports, engagementId);
  }
  // The application's own status follows, also on a repeat (a crash between the two writes heals).
  // The completion's event was written with it: a repeat writes none.
  await ports.intake.markApplicationCompleted(record.engagement.applicationId, record.engagement.completedAt!);
  return engagementView(ports, record);
}

/** How many meetings ahead are cancelled in the withdrawal's own transaction (each takes up to 5 of its 100 items). */
const cancellationsWithWithdrawal = 15;

/** The cancellations of the meetings still ahead, as planned now. */
function cancellationsAhead(record: EngagementRecord, now: Date): { before: Meeting; after: Meeting }[] {
  return record.meetings.flatMap((meeting) => {
    if (meeting.status !== 'scheduled' || meeting.startsAt <= now.toISOString()) return [];
    const change = planMeetingChange(meeting, { status: 'cancelled' }, now);
    return change.kind === 'cancel' ? [{ before: meeting, after: change.meeting }] : [];
  });
}

/**
 * On ApplicationWithdrawn of an accepted municipality: the engagement closes, its tutor's place
 * frees, and every meeting still ahead is cancelled (calendars get METHOD:CANCEL). The withdrawal,
 * its EngagementWithdrawn and the cancellations (with their MeetingCancelled) are one transaction;
 * only meetings beyond what fits in it are cancelled after, each in its own, and a run again after a
 * crash finishes those. A run again after success writes nothing.
 */
export async function closeWithdrawnEngagement(ports: TutoringPorts, applicationId: string): Promise<void> {
  const store = ports.engagements;
  const now = ports.clock.now();
  let record = await store.loadEngagement(applicationId);
  if (!record) return; // never opened: the acceptance is handled later and sees the withdrawal
  const { roundId } = record.engagement;
  if (record.engagement.status === 'active' || record.engagement.status === 'unassigned') {
    const { engagement } = record;
    const cancellations = cancellationsAhead(record, now).slice(0, cancellationsWithWithdrawal);
    const events = [
      ...cancellations.map(({ after }) => meetingEvent(after, roundId)),
      event('EngagementWithdrawn', {
        engagementId: engagement.engagementId,
        applicationId: engagement.applicationId,
        roundId,
        ...(engagement.tutorId ? { tutorId: engagement.tutorId } : {}),
      }),
    ];
    if (!(await store.withdraw(engagement, now.toISOString(), cancellations, events, now))) {
      throw new Error(`Engagement ${applicationId} changed while closing it; retrying`);
    }
    record = (await store.loadEngagement(applicationId))!;
  }
  if (record.engagement.status !== 'withdrawn') return;
  for (const { before, after } of cancellationsAhead(record, now)) {
    await moveMeeting(ports, before, after, now, roundId);
  }
}

// --- Timed work -----------------------------------------------------------------------------------

/**
 * Every minute: reminders for meetings 24 h ahead and nudges for sessions not logged 3 days after.
 * A timer whose meeting moved, was cancelled or was logged is dropped without a word. A live one is
 * carried out in one transaction: the meeting marked as triggered for its sequence, the timer gone
 * and the event written. So schedules running at once trigger it once, and a crash loses nothing.
 */
export async function triggerDueWork(ports: TutoringPorts): Promise<void> {
  const store = ports.engagements;
  const now = ports.clock.now();
  const at = now.toISOString();
  for (const kind of ['meeting-reminder', 'session-log'] as const) {
    for (const timer of await store.dueTimers(kind, at)) {
      const meeting = await store.getMeeting(timer.engagementId, timer.meetingId);
      const engagement = timerIsLive(timer, meeting, now) ? await store.getEngagement(timer.engagementId) : undefined;
      if (meeting && engagement) {
        const ref = { meetingId: meeting.meetingId, engagementId: meeting.engagementId };
        const options = { roundId: engagement.roundId };
        const triggered =
          kind === 'meeting-reminder'
            ? event('MeetingReminderTriggered', { ...ref, startsAt: meeting.startsAt, sequence: meeting.sequence }, options)
            : event('SessionLogReminderTriggered', ref, options);
        if (await store.triggerTimer(timer, at, [triggered])) continue;
        // Refused: triggered by a schedule running at the same time, or the meeting changed since it was read.
      }
      await store.deleteTimer(timer);
    }
  }
}
