// Event details published by tutoring: assignment, meetings and their reminders, session logs,
// extra-meeting requests and completion. Ids and facts only: texts and contact data stay in the table.
import * as z from 'zod';
import { MeetingKind } from '../api/engagements.js';
import { Id, IsoDateTime } from '../common.js';

const EngagementRef = { engagementId: Id, applicationId: Id, roundId: Id };
const MeetingRef = { meetingId: Id, engagementId: Id };
/** The meeting's calendar SEQUENCE the event speaks of; a handler seeing a newer one on record skips it. */
const Sequence = z.int().min(0);

export const TutorAssigned = z.object({
  ...EngagementRef,
  tutorId: Id,
  /** Set on a reassignment: the tutor who had the engagement before. */
  previousTutorId: Id.optional(),
  /** 1 for the first assignment, one more for each reassignment. */
  assignment: z.int().min(1),
  by: z.enum(['automatic', 'coordinator']),
});
export type TutorAssigned = z.infer<typeof TutorAssigned>;

/** No tutor fits the municipality (language, capacity): coordinators are asked to assign one. */
export const EngagementLeftUnassigned = z.object({ ...EngagementRef });

export const MeetingScheduled = z.object({ ...MeetingRef, kind: MeetingKind, startsAt: IsoDateTime, sequence: Sequence });
export const MeetingRescheduled = z.object({ ...MeetingRef, startsAt: IsoDateTime, sequence: Sequence });
export const MeetingCancelled = z.object({ ...MeetingRef, sequence: Sequence });

/** A live meeting starts in 24 hours: remind both sides. */
export const MeetingReminderTriggered = z.object({ ...MeetingRef, startsAt: IsoDateTime, sequence: Sequence });

export const SessionLogged = z.object({ ...MeetingRef, version: z.int().min(1) });

/** A meeting ended three days ago and still has no session log: nudge the tutor. */
export const SessionLogReminderTriggered = z.object({ ...MeetingRef });

export const ExtraMeetingsRequested = z.object({ ...EngagementRef, requestId: Id });

export const EngagementCompleted = z.object({ ...EngagementRef, tutorId: Id.optional(), completedAt: IsoDateTime });

/** The municipality withdrew during its engagement: the tutor's place is freed and live meetings are cancelled. */
export const EngagementWithdrawn = z.object({ ...EngagementRef, tutorId: Id.optional() });
