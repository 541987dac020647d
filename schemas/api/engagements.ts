// Contracts of the coaching endpoints: engagements (a municipality with its tutor), meetings, session
// logs, extra-meeting requests and completion.
import * as z from 'zod';
import { Email, Id, IsoDateTime, Language, Link, MunicipalityCode, singleLine, multiLine } from '../common.js';

export const MeetingKind = z.enum(['kickoff', 'follow-up', 'extra']);
export type MeetingKind = z.infer<typeof MeetingKind>;

export const EngagementStatus = z.enum(['unassigned', 'active', 'completed', 'withdrawn']);
export type EngagementStatus = z.infer<typeof EngagementStatus>;

export const MeetingStatus = z.enum(['scheduled', 'cancelled']);
export type MeetingStatus = z.infer<typeof MeetingStatus>;

const DurationMinutes = z.int().min(5).max(480);
const Text = singleLine(500);

export const EngagementPath = z.object({ engagementId: Id });
export const MeetingPath = z.object({ meetingId: Id });

export const AssignTutorBody = z.strictObject({ tutorId: Id });

export const ScheduleMeetingBody = z.strictObject({
  kind: MeetingKind,
  startsAt: IsoDateTime,
  durationMinutes: DurationMinutes,
  joinUrl: Link,
});
export type ScheduleMeetingBody = z.infer<typeof ScheduleMeetingBody>;

/** Reschedule (any of `startsAt`, `durationMinutes`, `joinUrl`) or cancel (`status: "cancelled"` alone). */
export const ChangeMeetingBody = z
  .strictObject({
    startsAt: IsoDateTime,
    durationMinutes: DurationMinutes,
    joinUrl: Link,
    status: z.literal('cancelled', { message: 'can only be "cancelled"' }),
  })
  .partial()
  .superRefine((body, context) => {
    const changes = (['startsAt', 'durationMinutes', 'joinUrl'] as const).filter((k) => body[k] !== undefined);
    if (body.status && changes.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['status'],
        message: `cancel on its own, without ${changes.join(', ')}`,
        params: { code: 'cancel_alone', others: changes },
      });
    }
    if (!body.status && changes.length === 0) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: 'name startsAt, durationMinutes or joinUrl to reschedule, or status: "cancelled"',
        params: { code: 'nothing_to_change' },
      });
    }
  });
export type ChangeMeetingBody = z.infer<typeof ChangeMeetingBody>;

export const LogSessionBody = z.strictObject({
  /** How many people from the municipality took part. */
  attendees: z.int().min(0).max(1000),
  themes: z.array(Text).min(1).max(20),
  notes: multiLine(10_000),
  /** The actions agreed in the session; the follow-up email lists them. */
  actions: z.array(Text).max(50),
  durationMinutes: DurationMinutes,
});
export type LogSessionBody = z.infer<typeof LogSessionBody>;

export const ExtraMeetingsBody = z.strictObject({ message: multiLine(4000, 1) });
export type ExtraMeetingsBody = z.infer<typeof ExtraMeetingsBody>;

export const ExtraMeetingsResponse = z.object({ requestId: Id, engagementId: Id, requestedAt: IsoDateTime });

export const SessionLogView = z.object({
  version: z.int().min(1),
  attendees: z.int(),
  themes: z.array(z.string()),
  notes: z.string(),
  actions: z.array(z.string()),
  durationMinutes: z.int(),
  loggedAt: IsoDateTime,
  loggedBy: z.string(),
});
export type SessionLogView = z.infer<typeof SessionLogView>;

export const MeetingView = z.object({
  meetingId: Id,
  engagementId: Id,
  kind: MeetingKind,
  status: MeetingStatus,
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  durationMinutes: z.int(),
  joinUrl: z.string(),
  /** The calendar SEQUENCE: 0 when scheduled, one more for each change or the cancellation. */
  sequence: z.int(),
  createdAt: IsoDateTime,
  cancelledAt: IsoDateTime.optional(),
  /** Every version of the session log, oldest first; the last one is in force. */
  logs: z.array(SessionLogView),
});
export type MeetingView = z.infer<typeof MeetingView>;

export const EngagementView = z.object({
  engagementId: Id,
  applicationId: Id,
  roundId: Id,
  municipality: z.object({ code: MunicipalityCode, name: z.string() }),
  /** The municipality's contact person (absent once erased). */
  contact: z.object({ name: z.string(), email: Email, phone: z.string().optional() }).optional(),
  language: Language,
  region: z.string(),
  themes: z.array(z.string()),
  status: EngagementStatus,
  tutor: z.object({ tutorId: Id, name: z.string(), email: Email }).optional(),
  assignedAt: IsoDateTime.optional(),
  createdAt: IsoDateTime,
  completedAt: IsoDateTime.optional(),
  meetings: z.array(MeetingView),
  extraMeetingRequests: z.array(z.object({ requestId: Id, message: z.string(), requestedAt: IsoDateTime })),
});
export type EngagementView = z.infer<typeof EngagementView>;

export const EngagementList = z.object({ engagements: z.array(EngagementView) });

export const RoundEngagementsPath = z.object({ roundId: Id });
