// Contracts of the round endpoints: POST /rounds, GET /rounds, GET /rounds/{roundId}.
import * as z from 'zod';
import { Id, IsoDateTime, Language } from '../common.js';

export const RoundStatus = z.enum(['scheduled', 'open', 'closed', 'selected', 'completed']);
export type RoundStatus = z.infer<typeof RoundStatus>;

export const CreateRoundBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    /** Region code (e.g. "01" Uusimaa) or name, as the coordinator's register has it. */
    region: z.string().trim().min(1).max(100),
    places: z.int().min(1).max(1000),
    opensAt: IsoDateTime,
    closesAt: IsoDateTime,
    languages: z.array(Language).min(1).max(3),
    nextRoundId: Id.optional(),
    /** How long an offered place waits for an answer. */
    offerHours: z.int().min(1).max(720).default(48),
    /** `first-come` selects by itself when the window closes; `manual` waits for the coordinator's list. */
    selectionPolicy: z.enum(['first-come', 'manual']).default('first-come'),
    /** When the still-waitlisted are asked to carry their application over to `nextRoundId`. */
    carryOverWhen: z.enum(['next-round-opens', 'round-completes']).default('next-round-opens'),
    /** How long a carry-over question waits for an answer. */
    carryOverHours: z.int().min(1).max(1440).default(168),
  })
  .refine((r) => Date.parse(r.closesAt) > Date.parse(r.opensAt), {
    path: ['closesAt'],
    message: 'must be after opensAt',
  });
export type CreateRoundBody = z.infer<typeof CreateRoundBody>;

export const RoundView = z.object({
  roundId: Id,
  name: z.string(),
  region: z.string(),
  places: z.int(),
  placesLeft: z.int(),
  applications: z.int(),
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
  languages: z.array(Language),
  nextRoundId: Id.optional(),
  offerHours: z.int(),
  selectionPolicy: z.enum(['first-come', 'manual']),
  carryOverWhen: z.enum(['next-round-opens', 'round-completes']),
  carryOverHours: z.int(),
  accepted: z.int(),
  status: RoundStatus,
  selectedAt: IsoDateTime.optional(),
  completedAt: IsoDateTime.optional(),
  createdAt: IsoDateTime,
});
export type RoundView = z.infer<typeof RoundView>;

export const RoundPath = z.object({ roundId: Id });

export const ListRoundsQuery = z.strictObject({
  status: z.enum([...RoundStatus.options, 'all']).default('open'),
});

export const RoundList = z.object({ rounds: z.array(RoundView) });

/** PATCH /rounds/{roundId}: any of the creation fields; the round must not be closed yet. */
export const UpdateRoundBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    region: z.string().trim().min(1).max(100),
    places: z.int().min(1).max(1000),
    opensAt: IsoDateTime,
    closesAt: IsoDateTime,
    languages: z.array(Language).min(1).max(3),
    nextRoundId: Id.nullable(),
    offerHours: z.int().min(1).max(720),
    selectionPolicy: z.enum(['first-come', 'manual']),
    carryOverWhen: z.enum(['next-round-opens', 'round-completes']),
    carryOverHours: z.int().min(1).max(1440),
  })
  .partial()
  .refine((r) => Object.keys(r).length > 0, { message: 'name at least one field to change' });
export type UpdateRoundBody = z.infer<typeof UpdateRoundBody>;

export const SelectionBody = z.discriminatedUnion('policy', [
  z.strictObject({ policy: z.literal('first-come'), force: z.boolean().default(false) }),
  z.strictObject({ policy: z.literal('manual'), accept: z.array(Id).max(1000), force: z.boolean().default(false) }),
]);
export type SelectionBody = z.infer<typeof SelectionBody>;

export const SelectionResult = z.object({
  roundId: Id,
  policy: z.enum(['first-come', 'manual']),
  accepted: z.int(),
  waitlisted: z.int(),
  placesLeft: z.int(),
  selectedAt: IsoDateTime.optional(),
});
