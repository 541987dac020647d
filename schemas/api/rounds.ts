// Contracts of the round endpoints: POST /rounds, GET /rounds, GET /rounds/{roundId}.
import * as z from 'zod';
import { Id, IsoDateTime, Language, singleLine } from '../common.js';

export const RoundStatus = z.enum(['scheduled', 'open', 'closed', 'selected', 'completed']);
export type RoundStatus = z.infer<typeof RoundStatus>;

export const SelectionPolicy = z.enum(['first-come', 'manual']);
export const CarryOverWhen = z.enum(['next-round-opens', 'round-completes']);

/** The fields a coordinator sets on a round, shared by creation and change. */
const roundFields = {
  name: singleLine(200),
  /** Region code (e.g. "01" Uusimaa) or name, as the coordinator's register has it. */
  region: singleLine(100),
  places: z.int().min(1).max(1000),
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
  languages: z.array(Language).min(1).max(3),
  /** How long an offered place waits for an answer, in hours. */
  offerHours: z.int().min(1).max(720),
  /** `first-come` selects by itself when the window closes; `manual` waits for the coordinator's list. */
  selectionPolicy: SelectionPolicy,
  /** When the still-waitlisted are asked to carry their application over to `nextRoundId`. */
  carryOverWhen: CarryOverWhen,
  /** How long a carry-over question waits for an answer, in hours. */
  carryOverHours: z.int().min(1).max(1440),
  /** Days after completion when the round's personal data is erased; counts and themes stay. */
  retentionDays: z.int().min(1).max(3650),
};

export const CreateRoundBody = z
  .strictObject({
    ...roundFields,
    nextRoundId: Id.optional(),
    offerHours: roundFields.offerHours.default(48),
    selectionPolicy: roundFields.selectionPolicy.default('first-come'),
    carryOverWhen: roundFields.carryOverWhen.default('next-round-opens'),
    carryOverHours: roundFields.carryOverHours.default(168),
    retentionDays: roundFields.retentionDays.default(365),
  })
  .refine((r) => Date.parse(r.closesAt) > Date.parse(r.opensAt), {
    path: ['closesAt'],
    message: 'must be after opensAt',
    params: { code: 'not_after', other: 'opensAt' },
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
  selectionPolicy: SelectionPolicy,
  carryOverWhen: CarryOverWhen,
  carryOverHours: z.int(),
  retentionDays: z.int(),
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

/** PATCH /rounds/{roundId}: any of the creation fields (`nextRoundId: null` removes it); the round must not be closed yet. */
export const UpdateRoundBody = z
  .strictObject({ ...roundFields, nextRoundId: Id.nullable() })
  .partial()
  .refine((r) => Object.keys(r).length > 0, {
    message: 'name at least one field to change',
    params: { code: 'nothing_to_change' },
  });
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
