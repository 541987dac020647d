// Contracts of the webinar endpoints: the closing webinar, its invitations, registrations and attendance.
import * as z from 'zod';
import { Email, Id, IsoDateTime, Language, Link, singleLine, multiLine } from '../common.js';

/** Most seats a webinar takes; also bounds the waiting list's length (see functions/webinar/store.ts). */
export const maxSeats = 3000;

const Title = singleLine(200);
const Languages = z.array(Language).min(1).max(3);

const timesInOrder = (w: { startsAt?: string; endsAt?: string; registrationClosesAt?: string }, ctx: z.RefinementCtx) => {
  if (w.startsAt && w.endsAt && Date.parse(w.endsAt) <= Date.parse(w.startsAt)) {
    ctx.addIssue({
      code: 'custom',
      path: ['endsAt'],
      message: 'must be after startsAt',
      params: { code: 'not_after', other: 'startsAt' },
    });
  }
  if (w.startsAt && w.registrationClosesAt && Date.parse(w.registrationClosesAt) > Date.parse(w.startsAt)) {
    ctx.addIssue({
      code: 'custom',
      path: ['registrationClosesAt'],
      message: 'must be at or before startsAt',
      params: { code: 'too_late', other: 'startsAt' },
    });
  }
};

export const CreateWebinarBody = z
  .strictObject({
    title: Title,
    description: multiLine(4000).optional(),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    seats: z.int().min(1).max(maxSeats),
    registrationClosesAt: IsoDateTime,
    joinUrl: Link,
    languages: Languages,
    /** Where the thank-you email after the webinar points for feedback. */
    feedbackUrl: Link.optional(),
    recordingUrl: Link.optional(),
  })
  .superRefine(timesInOrder);
export type CreateWebinarBody = z.infer<typeof CreateWebinarBody>;

/** PATCH /webinars/{webinarId}: any field of the creation body; `recordingUrl` once there is one. */
export const UpdateWebinarBody = z
  .strictObject({
    title: Title,
    description: multiLine(4000),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    seats: z.int().min(1).max(maxSeats),
    registrationClosesAt: IsoDateTime,
    joinUrl: Link,
    languages: Languages,
    feedbackUrl: Link,
    recordingUrl: Link,
  })
  .partial()
  .superRefine((w, ctx) => {
    if (Object.keys(w).length === 0)
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'name at least one field to change',
        params: { code: 'nothing_to_change' },
      });
    timesInOrder(w, ctx);
  });
export type UpdateWebinarBody = z.infer<typeof UpdateWebinarBody>;

export const WebinarPath = z.object({ webinarId: Id });
export const BatchPath = z.object({ webinarId: Id, batchId: Id });
export const RegistrationPath = z.object({ registrationId: Id });
export const CancelQuery = z.object({ token: z.string().min(1, 'is required: use the link from your email') });

export const WebinarView = z.object({
  webinarId: Id,
  roundId: Id,
  title: z.string(),
  description: z.string().optional(),
  startsAt: IsoDateTime,
  endsAt: IsoDateTime,
  registrationClosesAt: IsoDateTime,
  languages: z.array(Language),
  seats: z.int(),
  seatsLeft: z.int(),
  /** People on the waiting list now. */
  waiting: z.int(),
  registrationOpen: z.boolean(),
  status: z.enum(['upcoming', 'running', 'ended']),
  /** Only in a coordinator's answers: the public page does not give the join link away. */
  joinUrl: z.string().optional(),
  feedbackUrl: z.string().optional(),
  recordingUrl: z.string().optional(),
  confirmed: z.int().optional(),
  createdAt: IsoDateTime.optional(),
});
export type WebinarView = z.infer<typeof WebinarView>;

/** GET /rounds/{roundId}/webinars. */
export const WebinarList = z.object({ webinars: z.array(WebinarView) });

export const Invitee = z.strictObject({
  name: singleLine(200),
  email: Email,
  language: Language,
  municipality: singleLine(100).optional(),
});
export type Invitee = z.infer<typeof Invitee>;

export const InvitationsBody = z.strictObject({
  extraInvitees: z.array(Invitee).max(500).default([]),
  /** Emails per second this batch may send; SES's own quota is the ceiling (default 10). */
  ratePerSecond: z.number().min(0.1).max(500).default(10),
});
export type InvitationsBody = z.infer<typeof InvitationsBody>;

export const InvitationsAccepted = z.object({ batchId: Id, progressUrl: z.string() });

export const BatchProgress = z.object({
  batchId: Id,
  webinarId: Id,
  /** `preparing` while the recipients are being gathered, `sending`, then `done`. */
  status: z.enum(['preparing', 'sending', 'done']),
  /** Distinct addresses this press of "send" asked for. */
  recipients: z.int(),
  /** Of those, already invited to this webinar by an earlier batch: not mailed again. */
  skipped: z.int(),
  sent: z.int(),
  failed: z.int(),
  left: z.int(),
  ratePerSecond: z.number(),
  /** Times SES said "slow down" and the batch backed off. */
  throttled: z.int(),
  failures: z.array(z.object({ email: Email, reason: z.string() })),
  createdAt: IsoDateTime,
  finishedAt: IsoDateTime.optional(),
});
export type BatchProgress = z.infer<typeof BatchProgress>;

export const RegisterBody = z.strictObject({
  name: singleLine(200),
  email: Email,
  language: Language,
  municipality: singleLine(100).optional(),
  /** The token of a personal invitation link, when the person came from one. */
  invitation: z.string().min(1).max(100).optional(),
  consent: z.literal(true, { message: 'must be true: we need consent to store your name and email' }),
});
export type RegisterBody = z.infer<typeof RegisterBody>;

export const RegistrationStatus = z.enum(['confirmed', 'waitlisted', 'cancelled']);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;

export const RegisterResponse = z.object({
  registrationId: Id,
  status: RegistrationStatus,
  position: z.int().min(1).optional(),
  /** Only in the answer that created the registration; later the link is only in the person's email. */
  cancelUrl: z.string().optional(),
});
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const CancelResponse = z.object({
  registrationId: Id,
  webinarId: Id,
  status: RegistrationStatus,
  cancelledAt: IsoDateTime.optional(),
});

export const RegistrationView = z.object({
  registrationId: Id,
  name: z.string(),
  email: Email,
  language: Language,
  municipality: z.string().optional(),
  status: RegistrationStatus,
  position: z.int().optional(),
  invited: z.boolean(),
  attended: z.boolean().optional(),
  registeredAt: IsoDateTime,
  confirmedAt: IsoDateTime.optional(),
  promotedAt: IsoDateTime.optional(),
  cancelledAt: IsoDateTime.optional(),
  attendanceMarkedAt: IsoDateTime.optional(),
});
export type RegistrationView = z.infer<typeof RegistrationView>;

export const RegistrationList = z.object({
  webinarId: Id,
  seats: z.int(),
  confirmed: z.int(),
  waiting: z.int(),
  registrations: z.array(RegistrationView),
});

export const AttendanceBody = z.strictObject({
  registrationIds: z.array(Id).min(1).max(maxSeats),
  attended: z.boolean(),
});
export type AttendanceBody = z.infer<typeof AttendanceBody>;

export const AttendanceResult = z.object({ webinarId: Id, attended: z.boolean(), marked: z.int() });
