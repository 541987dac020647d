// An application as stored: the codec every read of an application item goes through. Fields added
// over time stay optional, so that old items still read.
import * as z from 'zod';
import { ApplicationStatus } from '../api/applications.js';
import { Language } from '../common.js';

export const Offer = z.object({
  offerId: z.string(),
  kind: z.enum(['place', 'carry-over']),
  expiresAt: z.string(),
  nextRoundId: z.string().optional(),
});
export type Offer = z.infer<typeof Offer>;

const ApplicationRef = z.object({ roundId: z.string(), applicationId: z.string() });

export const StoredApplication = z.object({
  applicationId: z.string(),
  roundId: z.string(),
  municipality: z.object({ code: z.string(), name: z.string() }),
  contact: z.object({
    name: z.string(),
    email: z.string(),
    phone: z.string().optional(),
    /** Written by deliverability when mail to the contact bounces or is complained of. */
    unreachable: z.object({ reason: z.string(), at: z.string() }).optional(),
  }),
  language: Language,
  themes: z.array(z.string()),
  situation: z.string().optional(),
  status: ApplicationStatus,
  /** Order on the waiting list, fixed by the selection run (1 = first). */
  rank: z.number().optional(),
  /** Carried over from an earlier round: selected ahead of new applicants, in the old order. */
  priority: z.number().optional(),
  carriedOverFrom: ApplicationRef.optional(),
  carriedOverTo: ApplicationRef.optional(),
  offer: Offer.optional(),
  /** What became of a carry-over question that was not accepted. */
  carryOver: z.enum(['declined', 'lapsed']).optional(),
  receivedAt: z.string(),
  consentAt: z.string(),
  acceptedAt: z.string().optional(),
  waitlistedAt: z.string().optional(),
  offeredAt: z.string().optional(),
  declinedAt: z.string().optional(),
  withdrawnAt: z.string().optional(),
  carriedOverAt: z.string().optional(),
  /** Written by tutoring when the programme is completed. */
  completedAt: z.string().optional(),
  /** Secret of the status link; whoever holds it may read and act on this one application. */
  accessToken: z.string(),
  confirmationSentAt: z.string().optional(),
});
export type Application = z.infer<typeof StoredApplication>;

/** A deadline waiting to be acted on: one item per open offer, found by a range query on its time. */
export const StoredOfferTimer = z.object({
  kind: Offer.shape.kind,
  dueAt: z.string(),
  applicationId: z.string(),
  roundId: z.string(),
  offerId: z.string(),
});
export type OfferTimer = z.infer<typeof StoredOfferTimer>;
