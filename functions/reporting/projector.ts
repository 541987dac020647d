// Keeps the situational picture up to date from the lifecycle's events: each event becomes one
// guarded write to the round's report partition (see store.ts), reading the entity by id where the
// event carries ids only. Safe to run twice and in any order; a fact that is no longer on record
// (erased, or an event of another table) is skipped, since there is nothing left to project.
import type { ReportStage } from '../../schemas/api/report.js';
import type { EventDetail } from '../../schemas/events/catalogue.js';
import { logger } from '../shared/logger.js';
import type { RegistrationState } from './domain.js';
import { applicationFacts, engagementRef, registrationOf, sessionLog, webinarOf } from './sources.js';
import { reportStore } from './store-instance.js';

/** Any event that moves an application to a stage. */
export async function projectStage(ref: { roundId: string; applicationId: string }, stage: ReportStage): Promise<void> {
  await reportStore().recordStage(ref.roundId, ref.applicationId, stage, await applicationFacts(ref.applicationId));
}

export async function projectTutorAssigned(detail: EventDetail<'TutorAssigned'>): Promise<void> {
  const facts = await applicationFacts(detail.applicationId);
  await reportStore().recordTutor(
    detail.roundId,
    detail.applicationId,
    { tutorId: detail.tutorId, assignment: detail.assignment },
    facts,
  );
}

export async function projectLeftUnassigned(detail: EventDetail<'EngagementLeftUnassigned'>): Promise<void> {
  await reportStore().recordUnassigned(detail.roundId, detail.applicationId, await applicationFacts(detail.applicationId));
}

export async function projectMeetingScheduled(detail: EventDetail<'MeetingScheduled'>): Promise<void> {
  const ref = await engagementRef(detail.engagementId);
  if (!ref) return skip('engagement', detail.engagementId);
  await reportStore().recordMeetingScheduled(ref.roundId, ref.applicationId, detail);
}

export async function projectMeetingCancelled(detail: EventDetail<'MeetingCancelled'>): Promise<void> {
  const ref = await engagementRef(detail.engagementId);
  if (!ref) return skip('engagement', detail.engagementId);
  await reportStore().recordMeetingCancelled(ref.roundId, ref.applicationId, detail.meetingId);
}

export async function projectSessionLogged(detail: EventDetail<'SessionLogged'>): Promise<void> {
  const [ref, log] = await Promise.all([
    engagementRef(detail.engagementId),
    sessionLog(detail.engagementId, detail.meetingId, detail.version),
  ]);
  if (!ref) return skip('engagement', detail.engagementId);
  if (!log) return skip('session log', `${detail.meetingId} v${detail.version}`);
  await reportStore().recordSession(ref.roundId, ref.applicationId, detail.meetingId, {
    version: log.version,
    durationMinutes: log.durationMinutes,
    themes: log.themes,
    actions: log.actions,
    attendees: log.attendees,
  });
}

/** WebinarCreated and WebinarUpdated: the webinar's title, time and seats as they are now. */
export async function projectWebinar(webinarId: string): Promise<void> {
  const webinar = await webinarOf(webinarId);
  if (!webinar) return skip('webinar', webinarId);
  const { roundId, title, startsAt, seats } = webinar;
  await reportStore().recordWebinar({ roundId, webinarId, title, startsAt, seats });
}

/** A registration's state change; its municipality comes from the registration itself. */
export async function projectRegistration(
  ref: { registrationId: string; webinarId: string },
  status: RegistrationState,
): Promise<void> {
  const [webinar, registration] = await Promise.all([webinarOf(ref.webinarId), registrationOf(ref.registrationId)]);
  if (!webinar) return skip('webinar', ref.webinarId);
  await reportStore().recordRegistration(webinar.roundId, { ...ref, municipality: registration?.municipality }, status);
}

/**
 * Attendance can be marked again (and changed): the registration on record says what holds now and
 * since when, so whichever delivery comes last, the latest marking wins.
 */
export async function projectAttendance(detail: EventDetail<'AttendanceMarked'>, eventTime: string): Promise<void> {
  const [webinar, registration] = await Promise.all([webinarOf(detail.webinarId), registrationOf(detail.registrationId)]);
  if (!webinar) return skip('webinar', detail.webinarId);
  const attended = registration?.attended ?? detail.attended;
  const markedAt = registration?.attendanceMarkedAt ?? eventTime;
  const ref = { registrationId: detail.registrationId, webinarId: detail.webinarId, municipality: registration?.municipality };
  await reportStore().recordAttendance(webinar.roundId, ref, attended, markedAt);
}

function skip(what: string, id: string): void {
  logger.warn('not projected: no longer on record', { what, id });
}
