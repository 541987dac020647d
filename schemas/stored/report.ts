// The situational picture's projected items as stored in each round's report partition. Every field
// but the ids is optional: events arrive in any order, so an item fills in as they come.
import * as z from 'zod';
import { ReportStage } from '../api/report.js';
import { MeetingKind } from '../api/engagements.js';
import { Language } from '../common.js';

export const RegistrationState = z.enum(['waitlisted', 'confirmed', 'cancelled']);
export type RegistrationState = z.infer<typeof RegistrationState>;

/** One municipality (its application) in the round: stage, engagement and tutor. */
export const MunicipalityItem = z.object({
  type: z.literal('report-municipality'),
  roundId: z.string(),
  applicationId: z.string(),
  municipality: z.object({ code: z.string(), name: z.string() }).optional(),
  language: Language.optional(),
  appliedThemes: z.array(z.string()).optional(),
  stage: ReportStage.optional(),
  /** stageRanks[stage]: a stage only ever replaces one of lower rank. */
  stageRank: z.number().optional(),
  engagement: z.enum(['assigned', 'unassigned']).optional(),
  tutorId: z.string().optional(),
  /** The TutorAssigned `assignment` in force: only a later assignment replaces the tutor. */
  assignment: z.number().optional(),
});
export type MunicipalityItem = z.infer<typeof MunicipalityItem>;

/** One meeting of a municipality's engagement, with the facts of its latest session log. */
export const MeetingItem = z.object({
  type: z.literal('report-meeting'),
  roundId: z.string(),
  applicationId: z.string(),
  meetingId: z.string(),
  kind: MeetingKind.optional(),
  startsAt: z.string().optional(),
  status: z.enum(['scheduled', 'cancelled']).optional(),
  /** The log version whose facts are here; only a higher version replaces them. */
  loggedVersion: z.number().optional(),
  durationMinutes: z.number().optional(),
  themes: z.array(z.string()).optional(),
  actions: z.array(z.string()).optional(),
  attendees: z.number().optional(),
});
export type MeetingItem = z.infer<typeof MeetingItem>;

export const WebinarItem = z.object({
  type: z.literal('report-webinar'),
  roundId: z.string(),
  webinarId: z.string(),
  title: z.string().optional(),
  startsAt: z.string().optional(),
  seats: z.number().optional(),
});
export type WebinarItem = z.infer<typeof WebinarItem>;

export const RegistrationItem = z.object({
  type: z.literal('report-registration'),
  roundId: z.string(),
  webinarId: z.string(),
  registrationId: z.string(),
  /** As the registrant gave it (a name or a code), or from their invitation. */
  municipality: z.string().optional(),
  status: RegistrationState.optional(),
  statusRank: z.number().optional(),
  attended: z.boolean().optional(),
  /** When the attendance in `attended` was marked: only a later marking replaces it. */
  attendanceMarkedAt: z.string().optional(),
});
export type RegistrationItem = z.infer<typeof RegistrationItem>;

export const ReportItem = z.discriminatedUnion('type', [MunicipalityItem, MeetingItem, WebinarItem, RegistrationItem]);
export type ReportItem = z.infer<typeof ReportItem>;
