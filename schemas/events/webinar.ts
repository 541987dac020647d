// Event details published by the webinar capability. Like every detail, they carry ids and facts,
// never names or email addresses: handlers read those from the table.
import * as z from 'zod';
import { Id, IsoDateTime, Language } from '../common.js';

export const WebinarCreated = z.object({ webinarId: Id, roundId: Id, startsAt: IsoDateTime, seats: z.int() });

/** A coordinator changed the webinar; `seats` grew means free seats for the waiting list. */
export const WebinarUpdated = z.object({ webinarId: Id, changed: z.array(z.string()) });

/** A coordinator pressed "send": the batch is on record and the background sender takes it from here. */
export const InvitationsRequested = z.object({ webinarId: Id, batchId: Id });

/** The sender stopped with work left (its time per invocation ran out); the next invocation goes on. */
export const InvitationBatchProgressed = z.object({
  webinarId: Id,
  batchId: Id,
  sent: z.int(),
  failed: z.int(),
  left: z.int(),
});

/** Every address of the batch has been mailed (or has failed for good). */
export const InvitationsSent = z.object({
  webinarId: Id,
  batchId: Id,
  sent: z.int(),
  failed: z.int(),
  skipped: z.int(),
});

const RegistrationRef = { registrationId: Id, webinarId: Id };

export const RegistrationConfirmed = z.object({ ...RegistrationRef, language: Language });
export const RegistrationWaitlisted = z.object({ ...RegistrationRef, position: z.int().min(1) });
/** A waitlisted registration got a freed seat. */
export const RegistrationPromoted = z.object({ ...RegistrationRef });
export const RegistrationCancelled = z.object({ ...RegistrationRef, previousStatus: z.enum(['confirmed', 'waitlisted']) });

export const AttendanceMarked = z.object({ ...RegistrationRef, attended: z.boolean() });
