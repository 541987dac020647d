// What each projected fact does to its report item, as data: fields set, fields filled only where
// missing, and the guard that makes the write idempotent. Every guard is a value that only grows
// (stage rank, assignment number, log version, registration state, time of marking), so a
// redelivered or late event is a no-op. The store turns an update into one conditional write.
import type { MeetingKind } from '../../schemas/api/engagements.js';
import type { ReportStage } from '../../schemas/api/report.js';
import type { Language } from '../../schemas/common.js';
import type { RegistrationState } from '../../schemas/stored/report.js';
import { reportKeys } from '../shared/keys.js';
import { registrationRanks, stageRanks } from './domain.js';

/** How an item changes. */
export interface Change {
  set: Record<string, unknown>;
  fill?: Record<string, unknown>;
  /** Write only while `field` is absent or below `value`: a later event wins only over an earlier state. */
  raises?: { field: string; value: string | number };
  /** Write only while `field` is absent. */
  absent?: string;
}

/** One item's change, by its key. */
export interface ReportUpdate {
  key: { pk: string; sk: string };
  change: Change;
}

/** What the municipality row takes from the application, set once (the first writer wins). */
export interface MunicipalityFacts {
  municipality?: { code: string; name: string };
  language?: Language;
  appliedThemes?: string[];
}

export interface LoggedSession {
  version: number;
  durationMinutes: number;
  themes: string[];
  actions: string[];
  attendees: number;
}

export interface RegistrationRef {
  webinarId: string;
  registrationId: string;
  municipality?: string;
}

export const reportUpdates = {
  /** Moves the municipality to `stage` unless it already reached a stage of at least that rank. */
  stage: (roundId: string, applicationId: string, stage: ReportStage, facts: MunicipalityFacts): ReportUpdate => ({
    key: reportKeys.municipality(roundId, applicationId),
    change: {
      set: { type: 'report-municipality', roundId, applicationId, stage, stageRank: stageRanks[stage] },
      fill: { ...facts },
      raises: { field: 'stageRank', value: stageRanks[stage] },
    },
  }),

  /** Records the tutor of assignment number `assignment`, unless a later assignment is already recorded. */
  tutor: (
    roundId: string,
    applicationId: string,
    tutor: { tutorId: string; assignment: number },
    facts: MunicipalityFacts,
  ): ReportUpdate => ({
    key: reportKeys.municipality(roundId, applicationId),
    change: {
      set: { type: 'report-municipality', roundId, applicationId, engagement: 'assigned', ...tutor },
      fill: { ...facts },
      raises: { field: 'assignment', value: tutor.assignment },
    },
  }),

  /** Marks the engagement as waiting for a tutor, unless a tutor has been assigned (whatever the order of events). */
  unassigned: (roundId: string, applicationId: string, facts: MunicipalityFacts): ReportUpdate => ({
    key: reportKeys.municipality(roundId, applicationId),
    change: {
      set: { type: 'report-municipality', roundId, applicationId, engagement: 'unassigned' },
      fill: { ...facts },
      absent: 'assignment',
    },
  }),

  /**
   * A meeting on the calendar. Its kind is a fact of the scheduling; its status becomes `scheduled`
   * only if no cancellation got here first (a cancelled meeting never comes back).
   */
  meetingScheduled: (
    roundId: string,
    applicationId: string,
    meeting: { meetingId: string; kind: MeetingKind; startsAt: string },
  ): ReportUpdate => ({
    key: reportKeys.meeting(roundId, applicationId, meeting.meetingId),
    change: {
      set: { type: 'report-meeting', roundId, applicationId, meetingId: meeting.meetingId, kind: meeting.kind },
      fill: { startsAt: meeting.startsAt, status: 'scheduled' },
    },
  }),

  meetingCancelled: (roundId: string, applicationId: string, meetingId: string): ReportUpdate => ({
    key: reportKeys.meeting(roundId, applicationId, meetingId),
    change: { set: { type: 'report-meeting', roundId, applicationId, meetingId, status: 'cancelled' } },
  }),

  /** The facts of a session log version, unless the same or a later version is already recorded. */
  session: (roundId: string, applicationId: string, meetingId: string, log: LoggedSession): ReportUpdate => {
    const { version, ...facts } = log;
    return {
      key: reportKeys.meeting(roundId, applicationId, meetingId),
      change: {
        set: { type: 'report-meeting', roundId, applicationId, meetingId, loggedVersion: version, ...facts },
        raises: { field: 'loggedVersion', value: version },
      },
    };
  },

  /** The webinar's descriptive facts as read now (a later read is never older, so a plain set). */
  webinar: (webinar: { roundId: string; webinarId: string; title: string; startsAt: string; seats: number }): ReportUpdate => ({
    key: reportKeys.webinar(webinar.roundId, webinar.webinarId),
    change: { set: { type: 'report-webinar', ...webinar } },
  }),

  /** Moves a registration to `status` unless it already reached a later state. */
  registration: (roundId: string, registration: RegistrationRef, status: RegistrationState): ReportUpdate => {
    const { municipality, ...ids } = registration;
    return {
      key: reportKeys.registration(roundId, ids.webinarId, ids.registrationId),
      change: {
        set: { type: 'report-registration', roundId, ...ids, status, statusRank: registrationRanks[status] },
        fill: { municipality },
        raises: { field: 'statusRank', value: registrationRanks[status] },
      },
    };
  },

  /** The attendance marked at `markedAt`, unless a later marking is already recorded. */
  attendance: (roundId: string, registration: RegistrationRef, attended: boolean, markedAt: string): ReportUpdate => {
    const { municipality, ...ids } = registration;
    return {
      key: reportKeys.registration(roundId, ids.webinarId, ids.registrationId),
      change: {
        set: { type: 'report-registration', roundId, ...ids, attended, attendanceMarkedAt: markedAt },
        fill: { municipality },
        raises: { field: 'attendanceMarkedAt', value: markedAt },
      },
    };
  },
};
