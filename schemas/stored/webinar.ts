// The stored shapes of a webinar, its registrations and its invitations (one address invited to one
// webinar), as the table holds them. Plain objects: the keys and bookkeeping attributes (pk, sk,
// gsi1pk, type …) are dropped on read. Optional fields stay optional: old items must still read.
import * as z from 'zod';
import { Language } from '../common.js';

const Counter = z.number();

/** A webinar as stored. Times are UTC ISO strings, so that they compare as text. */
export const StoredWebinar = z.object({
  webinarId: z.string(),
  roundId: z.string(),
  title: z.string(),
  description: z.string().optional(),
  startsAt: z.string(),
  endsAt: z.string(),
  registrationClosesAt: z.string(),
  seats: z.number(),
  joinUrl: z.string(),
  languages: z.array(Language),
  feedbackUrl: z.string().optional(),
  recordingUrl: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  /**
   * Seats taken. Every change is a conditional write on this item (`confirmed < seats` to take one),
   * which is what holds the seats under concurrent registrations.
   */
  confirmed: Counter,
  /** Waiting-list tickets handed out, 1, 2, 3 …: an atomic counter, so no two people share one. */
  waitlistSeq: Counter,
  /** Tickets that have left the waiting list (promoted or cancelled). Waiting now: waitlistSeq − waitlistLeft. */
  waitlistLeft: Counter,
  /** Last change of the counters; the seat sweep reconciles them only when they have been still a while. */
  countersAt: z.string().optional(),
  /** When the sweep last found the counters equal to the registrations (or set them so). */
  countersCheckedAt: z.string().optional(),
  /** Bumped when the time or place changes, as the SEQUENCE of the calendar invitations. */
  sequence: Counter,
  remindersDoneAt: z.string().optional(),
  thanksDoneAt: z.string().optional(),
});
export type Webinar = z.infer<typeof StoredWebinar>;

export const StoredRegistrationStatus = z.enum(['confirmed', 'waitlisted', 'cancelled']);

export const StoredRegistration = z.object({
  registrationId: z.string(),
  webinarId: z.string(),
  name: z.string(),
  email: z.string(),
  language: Language,
  municipality: z.string().optional(),
  status: StoredRegistrationStatus,
  /** Waiting-list ticket (order of arrival on the list); kept after promotion, for the record. */
  ticket: z.number().optional(),
  /** Position told when the person joined the waiting list. */
  joinedAtPosition: z.number().optional(),
  invited: z.boolean(),
  attended: z.boolean().optional(),
  registeredAt: z.string(),
  consentAt: z.string(),
  confirmedAt: z.string().optional(),
  waitlistedAt: z.string().optional(),
  promotedAt: z.string().optional(),
  cancelledAt: z.string().optional(),
  /** What the registration held before it was cancelled. */
  cancelledFrom: z.enum(['confirmed', 'waitlisted']).optional(),
  attendanceMarkedAt: z.string().optional(),
  /** Secret of the cancel link. */
  accessToken: z.string(),
});
export type Registration = z.infer<typeof StoredRegistration>;

/** The one-registration-per-email guard: which registration holds an address's place in a webinar. */
export const StoredEmailGuard = z.object({ registrationId: z.string() });

export const StoredInvitationStatus = z.enum(['queued', 'sent', 'failed']);
export type InvitationStatus = z.infer<typeof StoredInvitationStatus>;

/** One address invited to one webinar: the per-recipient state of the invitation batches. */
export const StoredInvitation = z.object({
  webinarId: z.string(),
  email: z.string(),
  name: z.string(),
  language: Language,
  municipality: z.string().optional(),
  /** The batch that owns (sent, or is to send) this invitation. */
  batchId: z.string(),
  status: StoredInvitationStatus,
  /** Secret of the personal registration link. */
  token: z.string(),
  queuedAt: z.string(),
  sentAt: z.string().optional(),
  failedAt: z.string().optional(),
  reason: z.string().optional(),
});
export type Invitation = z.infer<typeof StoredInvitation>;
