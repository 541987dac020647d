// Contract of the situational picture: GET /rounds/{roundId}/report, per round and its region.
import * as z from 'zod';
import { Id, IsoDateTime, Language } from '../common.js';
import { ApplicationStatus } from './applications.js';
import { MeetingKind } from './engagements.js';

export const ReportPath = z.object({ roundId: Id });

/** A municipality's stage: its application's status as the events recorded it. */
export const ReportStage = ApplicationStatus;
export type ReportStage = z.infer<typeof ReportStage>;

/** `none` until the application is accepted (only an accepted one gets an engagement). */
export const ReportEngagement = z.enum(['assigned', 'unassigned', 'none']);
export type ReportEngagement = z.infer<typeof ReportEngagement>;

export const ReportMeetings = z.object({
  /** Meetings scheduled and not cancelled (held ones included). */
  scheduled: z.int(),
  /** Meetings with a session log. */
  held: z.int(),
  cancelled: z.int(),
  /** Held meetings by kind. */
  heldByKind: z.record(MeetingKind, z.int()),
  /** Hours of the held sessions, as their logs give them. */
  hours: z.number(),
});

export const MunicipalityReport = z.object({
  applicationId: Id,
  municipality: z.object({ code: z.string(), name: z.string() }),
  language: Language.optional(),
  stage: ReportStage.optional(),
  engagement: ReportEngagement,
  tutor: z.object({ tutorId: Id, name: z.string().optional() }).optional(),
  meetings: ReportMeetings,
  /** Themes the municipality named when it applied. */
  appliedThemes: z.array(z.string()),
  /** Themes raised in its logged sessions (latest log version of each meeting), each once. */
  themes: z.array(z.string()),
  /** Actions agreed in its logged sessions, in meeting order. */
  actions: z.array(z.string()),
  /** Registrations for the round's webinars naming this municipality (by name or code), and attendance. */
  webinar: z.object({ registered: z.int(), attended: z.int() }),
});
export type MunicipalityReport = z.infer<typeof MunicipalityReport>;

export const WebinarReport = z.object({
  webinarId: Id,
  title: z.string().optional(),
  startsAt: IsoDateTime.optional(),
  seats: z.int().optional(),
  confirmed: z.int(),
  waitlisted: z.int(),
  cancelled: z.int(),
  attended: z.int(),
  /** Marked as not attended. */
  absent: z.int(),
});
export type WebinarReport = z.infer<typeof WebinarReport>;

export const ThemeTotal = z.object({
  theme: z.string(),
  /** Municipalities that named it when applying. */
  applications: z.int(),
  /** Municipalities that raised it in a logged session. */
  municipalities: z.int(),
  /** Logged sessions that raised it. */
  sessions: z.int(),
});

export const RoundReport = z.object({
  roundId: Id,
  roundName: z.string(),
  region: z.string(),
  places: z.int(),
  generatedAt: IsoDateTime,
  municipalities: z.array(MunicipalityReport),
  webinars: z.array(WebinarReport),
  totals: z.object({
    municipalities: z.int(),
    stages: z.record(ReportStage, z.int()),
    engagements: z.record(ReportEngagement, z.int()),
    meetings: ReportMeetings,
    actions: z.int(),
    themes: z.array(ThemeTotal),
    webinar: z.object({
      confirmed: z.int(),
      waitlisted: z.int(),
      cancelled: z.int(),
      attended: z.int(),
      absent: z.int(),
    }),
  }),
});
export type RoundReport = z.infer<typeof RoundReport>;
