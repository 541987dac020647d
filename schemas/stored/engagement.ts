// An engagement as stored, with what lives in its partition (meetings, session logs, time-slot guards,
// extra-meeting requests) and the meeting timers: the codecs every read of those items goes through.
// Times are UTC ISO strings, so that they compare as text. Optional fields stay optional: old items read.
import * as z from 'zod';
import { EngagementStatus, MeetingKind, MeetingStatus } from '../api/engagements.js';
import { Language } from '../common.js';

export const StoredAssignment = z.object({
  tutorId: z.string(),
  at: z.string(),
  /** 'automatic', or the coordinator's email. */
  by: z.string(),
});
export type Assignment = z.infer<typeof StoredAssignment>;

/** The coaching of one accepted application. Its id is the application's: one engagement per application. */
export const StoredEngagement = z.object({
  engagementId: z.string(),
  applicationId: z.string(),
  roundId: z.string(),
  municipality: z.object({ code: z.string(), name: z.string() }),
  language: Language,
  region: z.string(),
  themes: z.array(z.string()),
  status: EngagementStatus,
  tutorId: z.string().optional(),
  /** How many times a tutor was assigned; part of the email keys, so each (re)assignment is told once. */
  assignments: z.number(),
  assignedAt: z.string().optional(),
  history: z.array(StoredAssignment),
  createdAt: z.string(),
  completedAt: z.string().optional(),
  withdrawnAt: z.string().optional(),
  /** When the coordinators were told that nobody fits (EngagementLeftUnassigned, once). */
  leftUnassignedAt: z.string().optional(),
});
export type Engagement = z.infer<typeof StoredEngagement>;

export const StoredMeeting = z.object({
  meetingId: z.string(),
  engagementId: z.string(),
  kind: MeetingKind,
  status: MeetingStatus,
  /** UTC ISO, so that times compare as text. */
  startsAt: z.string(),
  durationMinutes: z.number(),
  joinUrl: z.string(),
  /** The iCalendar SEQUENCE: 0 when scheduled, +1 for each change and for the cancellation. */
  sequence: z.number(),
  previousStartsAt: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().optional(),
  /** The log version in force; absent until the session is logged. */
  loggedVersion: z.number().optional(),
  /** The sequence its 24-hour reminder was triggered for (MeetingReminderTriggered, once per sequence). */
  reminderTriggeredFor: z.number().optional(),
  /** The sequence its overdue-log nudge was triggered for (SessionLogReminderTriggered, once per sequence). */
  logReminderTriggeredFor: z.number().optional(),
});
export type Meeting = z.infer<typeof StoredMeeting>;

/** One version of a meeting's session log; a correction is the next version, never an overwrite. */
export const StoredSessionLog = z.object({
  meetingId: z.string(),
  version: z.number(),
  attendees: z.number(),
  themes: z.array(z.string()),
  notes: z.string(),
  actions: z.array(z.string()),
  durationMinutes: z.number(),
  loggedAt: z.string(),
  loggedBy: z.string(),
});
export type SessionLog = z.infer<typeof StoredSessionLog>;

export const StoredExtraMeetingRequest = z.object({
  requestId: z.string(),
  message: z.string(),
  requestedAt: z.string(),
});
export type ExtraMeetingRequest = z.infer<typeof StoredExtraMeetingRequest>;

/** The time-slot guard: one live meeting of an engagement per start time. */
export const StoredMeetingSlot = z.object({ meetingId: z.string() });

/** The meeting's id reference: PATCH /meetings/{id} finds its engagement through it. */
export const StoredMeetingRef = z.object({ engagementId: z.string() });

export const TimerKind = z.enum(['meeting-reminder', 'session-log']);
export type TimerKind = z.infer<typeof TimerKind>;

/** Work due at a time: found by a range query on `dueAt`, carried out by the schedule. */
export const StoredMeetingTimer = z.object({
  kind: TimerKind,
  dueAt: z.string(),
  meetingId: z.string(),
  engagementId: z.string(),
  /** The meeting's sequence when the timer was set: a timer of an older sequence is stale. */
  sequence: z.number(),
});
export type MeetingTimer = z.infer<typeof StoredMeetingTimer>;
