// Event details published by selection: who got a place, who waits, offers, withdrawals, carry-over.
// Like every detail, they carry ids and facts, never contact data.
import * as z from 'zod';
import { Id, IsoDateTime } from '../common.js';

const ApplicationRef = { applicationId: Id, roundId: Id };

export const SelectionCompleted = z.object({
  roundId: Id,
  policy: z.enum(['first-come', 'manual']),
  accepted: z.int(),
  waitlisted: z.int(),
});

export const ApplicationAccepted = z.object({
  ...ApplicationRef,
  /** `selection` when chosen in the selection run, `offer` when a waitlisted one took a freed place. */
  via: z.enum(['selection', 'offer']),
});
export type ApplicationAccepted = z.infer<typeof ApplicationAccepted>;

export const ApplicationWaitlisted = z.object({ ...ApplicationRef, position: z.int().min(1) });

export const ApplicationWithdrawn = z.object({
  ...ApplicationRef,
  previousStatus: z.string(),
  by: z.enum(['applicant', 'coordinator']),
});

/** A place became free in a round (withdrawal, declined or lapsed offer): the next waitlisted may get it. */
export const PlaceFreed = z.object({ roundId: Id, reason: z.enum(['withdrawn', 'declined', 'lapsed']) });

export const PlaceOffered = z.object({ ...ApplicationRef, offerId: Id, expiresAt: IsoDateTime });

export const OfferDeclined = z.object({
  ...ApplicationRef,
  offerId: Id,
  kind: z.enum(['place', 'carry-over']),
  reason: z.enum(['declined', 'lapsed']),
});

export const RoundCompleted = z.object({ roundId: Id });

export const CarryOverOffered = z.object({ ...ApplicationRef, nextRoundId: Id, offerId: Id, expiresAt: IsoDateTime });

export const ApplicationCarriedOver = z.object({
  ...ApplicationRef,
  nextRoundId: Id,
  /** The application in the next round that carries this one on. */
  nextApplicationId: Id,
});
