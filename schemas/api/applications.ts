// Contracts of the application endpoints: apply, and read an application's status.
import * as z from 'zod';
import { Email, Id, IsoDateTime, Language, MunicipalityCode, singleLine, multiLine } from '../common.js';

/**
 * `offered`: a freed place is offered and waits for the answer; `declined`: the offer was declined
 * or let lapse. The others are API.md's.
 */
export const ApplicationStatus = z.enum([
  'received',
  'accepted',
  'waitlisted',
  'offered',
  'declined',
  'withdrawn',
  'carried-over',
  'completed',
]);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const ApplyBody = z.strictObject({
  municipality: z.strictObject({
    code: MunicipalityCode,
    name: singleLine(100),
  }),
  contact: z.strictObject({
    name: singleLine(200),
    email: Email,
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number, e.g. +358 40 123 4567')
      .optional(),
  }),
  language: Language,
  themes: z.array(singleLine(200)).min(1).max(20),
  situation: multiLine(4000).optional(),
  consent: z.literal(true, { message: 'must be true: we need consent to store the contact details' }),
});
export type ApplyBody = z.infer<typeof ApplyBody>;

export const ApplyPath = z.object({ roundId: Id });

export const ApplyResponse = z.object({
  applicationId: Id,
  status: ApplicationStatus,
  /** Only when the application was made by this request (201): the link with its secret token. */
  statusUrl: z.url().optional(),
});
export type ApplyResponse = z.infer<typeof ApplyResponse>;

/** POST /rounds/{roundId}/status-link: the municipality and the address its application was made with. */
export const StatusLinkBody = z.strictObject({ municipalityCode: MunicipalityCode, email: Email });
/** Always the same answer, whether or not the address is the one on file. */
export const StatusLinkResponse = z.object({});

export const ApplicationPath = z.object({ applicationId: Id });
export const ApplicationQuery = z.object({ token: z.string().min(1, 'is required: use the link from your email') });

export const ApplicationView = z.object({
  applicationId: Id,
  roundId: Id,
  roundName: z.string(),
  municipality: z.object({ code: MunicipalityCode, name: z.string() }),
  language: Language,
  themes: z.array(z.string()),
  status: ApplicationStatus,
  position: z.int().optional(),
  receivedAt: IsoDateTime,
  /** An open offer: a freed place in this round, or carrying the application over to the next round. */
  offer: z
    .object({ kind: z.enum(['place', 'carry-over']), expiresAt: IsoDateTime, nextRoundId: Id.optional(), answerUrl: z.string() })
    .optional(),
  carriedOverTo: z.object({ roundId: Id, applicationId: Id }).optional(),
  tutor: z.object({ name: z.string(), email: Email }).optional(),
  meetings: z.array(
    z.object({
      meetingId: Id,
      kind: z.string(),
      startsAt: IsoDateTime,
      endsAt: IsoDateTime.optional(),
      durationMinutes: z.int().optional(),
      joinUrl: z.string().optional(),
    }),
  ),
});
export type ApplicationView = z.infer<typeof ApplicationView>;

export const OfferAnswerBody = z.strictObject({ answer: z.enum(['accept', 'decline']) });
export type OfferAnswerBody = z.infer<typeof OfferAnswerBody>;

export const TokenQuery = z.object({ token: z.string().min(1).optional() });

/** A coordinator's view of one application in a round: status, position, contact and timestamps. */
export const RoundApplicationView = z.object({
  applicationId: Id,
  municipality: z.object({ code: MunicipalityCode, name: z.string() }),
  contact: z.object({ name: z.string(), email: Email, phone: z.string().optional() }),
  language: Language,
  themes: z.array(z.string()),
  status: ApplicationStatus,
  position: z.int().optional(),
  priority: z.int().optional(),
  offer: z.object({ kind: z.enum(['place', 'carry-over']), expiresAt: IsoDateTime }).optional(),
  receivedAt: IsoDateTime,
  acceptedAt: IsoDateTime.optional(),
  waitlistedAt: IsoDateTime.optional(),
  offeredAt: IsoDateTime.optional(),
  declinedAt: IsoDateTime.optional(),
  withdrawnAt: IsoDateTime.optional(),
  carriedOverAt: IsoDateTime.optional(),
  carriedOverFrom: z.object({ roundId: Id, applicationId: Id }).optional(),
});
export const RoundApplicationList = z.object({ roundId: Id, applications: z.array(RoundApplicationView) });
