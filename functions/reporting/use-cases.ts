// The situational picture's use cases: projecting each lifecycle event into its round's report
// items, and building the report from them. Projection is safe to run twice and in any order (each
// update is guarded, see updates.ts); a fact no longer on record (erased, or an event of another
// table) is skipped, since there is nothing left to project.
import type { ReportStage, RoundReport } from '../../schemas/api/report.js';
import type { EventDetail } from '../../schemas/events/catalogue.js';
import type { RegistrationState } from '../../schemas/stored/report.js';
import type { Clock } from '../shared/clock.js';
import { NotFoundError } from '../shared/errors.js';
import { logger } from '../shared/logger.js';
import type { ReportStore } from '../stores/reports.js';
import { buildReport, type ReportRound } from './domain.js';
import { reportUpdates, type LoggedSession, type MunicipalityFacts } from './updates.js';

/** What the projector reads where an event carries only ids; each by id, reads only. */
export interface ReportSources {
  round(roundId: string): Promise<ReportRound | undefined>;
  /** The municipality, language and themes of an application; empty when it is no longer on record. */
  applicationFacts(applicationId: string): Promise<MunicipalityFacts>;
  /** The round and application of an engagement (a meeting's event names only its engagement). */
  engagementRef(engagementId: string): Promise<{ roundId: string; applicationId: string } | undefined>;
  sessionLog(engagementId: string, meetingId: string, version: number): Promise<LoggedSession | undefined>;
  webinar(webinarId: string): Promise<{ roundId: string; title: string; startsAt: string; seats: number } | undefined>;
  registration(
    registrationId: string,
  ): Promise<{ municipality?: string; attended?: boolean; attendanceMarkedAt?: string } | undefined>;
  /** Tutors' names by id, read when the report is asked for, so the projection holds no tutor's personal data. */
  tutorNames(tutorIds: readonly string[]): Promise<Map<string, string>>;
}

export interface ReportingPorts {
  reports: ReportStore;
  sources: ReportSources;
  clock: Clock;
}

/** Any event that moves an application to a stage. */
export async function projectStage(ports: ReportingPorts, ref: { roundId: string; applicationId: string }, stage: ReportStage) {
  const facts = await ports.sources.applicationFacts(ref.applicationId);
  await ports.reports.apply(reportUpdates.stage(ref.roundId, ref.applicationId, stage, facts));
}

export async function projectTutorAssigned(ports: ReportingPorts, detail: EventDetail<'TutorAssigned'>) {
  const facts = await ports.sources.applicationFacts(detail.applicationId);
  const tutor = { tutorId: detail.tutorId, assignment: detail.assignment };
  await ports.reports.apply(reportUpdates.tutor(detail.roundId, detail.applicationId, tutor, facts));
}

export async function projectLeftUnassigned(ports: ReportingPorts, detail: EventDetail<'EngagementLeftUnassigned'>) {
  const facts = await ports.sources.applicationFacts(detail.applicationId);
  await ports.reports.apply(reportUpdates.unassigned(detail.roundId, detail.applicationId, facts));
}

export async function projectMeetingScheduled(ports: ReportingPorts, detail: EventDetail<'MeetingScheduled'>) {
  const ref = await ports.sources.engagementRef(detail.engagementId);
  if (!ref) return skip('engagement', detail.engagementId);
  await ports.reports.apply(reportUpdates.meetingScheduled(ref.roundId, ref.applicationId, detail));
}

export async function projectMeetingCancelled(ports: ReportingPorts, detail: EventDetail<'MeetingCancelled'>) {
  const ref = await ports.sources.engagementRef(detail.engagementId);
  if (!ref) return skip('engagement', detail.engagementId);
  await ports.reports.apply(reportUpdates.meetingCancelled(ref.roundId, ref.applicationId, detail.meetingId));
}

export async function projectSessionLogged(ports: ReportingPorts, detail: EventDetail<'SessionLogged'>) {
  const [ref, log] = await Promise.all([
    ports.sources.engagementRef(detail.engagementId),
    ports.sources.sessionLog(detail.engagementId, detail.meetingId, detail.version),
  ]);
  if (!ref) return skip('engagement', detail.engagementId);
  if (!log) return skip('session log', `${detail.meetingId} v${detail.version}`);
  await ports.reports.apply(reportUpdates.session(ref.roundId, ref.applicationId, detail.meetingId, log));
}

/** WebinarCreated and WebinarUpdated: the webinar's title, time and seats as they are now. */
export async function projectWebinar(ports: ReportingPorts, webinarId: string) {
  const webinar = await ports.sources.webinar(webinarId);
  if (!webinar) return skip('webinar', webinarId);
  const { roundId, title, startsAt, seats } = webinar;
  await ports.reports.apply(reportUpdates.webinar({ roundId, webinarId, title, startsAt, seats }));
}

/** A registration's state change; its municipality comes from the registration itself. */
export async function projectRegistration(
  ports: ReportingPorts,
  ref: { registrationId: string; webinarId: string },
  status: RegistrationState,
) {
  const [webinar, registration] = await Promise.all([
    ports.sources.webinar(ref.webinarId),
    ports.sources.registration(ref.registrationId),
  ]);
  if (!webinar) return skip('webinar', ref.webinarId);
  const municipality = registration?.municipality;
  await ports.reports.apply(
    reportUpdates.registration(webinar.roundId, { ...ref, ...(municipality ? { municipality } : {}) }, status),
  );
}

/**
 * Attendance can be marked again (and changed): the registration on record says what holds now and
 * since when, so whichever delivery comes last, the latest marking wins.
 */
export async function projectAttendance(ports: ReportingPorts, detail: EventDetail<'AttendanceMarked'>, eventTime: string) {
  const [webinar, registration] = await Promise.all([
    ports.sources.webinar(detail.webinarId),
    ports.sources.registration(detail.registrationId),
  ]);
  if (!webinar) return skip('webinar', detail.webinarId);
  const attended = registration?.attended ?? detail.attended;
  const markedAt = registration?.attendanceMarkedAt ?? eventTime;
  const municipality = registration?.municipality;
  const ref = { registrationId: detail.registrationId, webinarId: detail.webinarId, ...(municipality ? { municipality } : {}) };
  await ports.reports.apply(reportUpdates.attendance(webinar.roundId, ref, attended, markedAt));
}

/** GET /rounds/{roundId}/report: the round's picture from its projected items, with its tutors' names. */
export async function roundReport(ports: ReportingPorts, roundId: string): Promise<RoundReport> {
  const [round, items] = await Promise.all([ports.sources.round(roundId), ports.reports.roundItems(roundId)]);
  if (!round) throw new NotFoundError(`No round ${roundId}`);
  const tutorIds = items.flatMap((i) => (i.type === 'report-municipality' && i.tutorId ? [i.tutorId] : []));
  return buildReport(round, items, await ports.sources.tutorNames(tutorIds), ports.clock.now());
}

function skip(what: string, id: string): void {
  logger.warn('not projected: no longer on record', { what, id });
}
