// Contracts of the round endpoints: POST /rounds, GET /rounds, GET /rounds/{roundId}.
import * as z from 'zod';
import { Id, IsoDateTime, Language } from '../common.js';

export const RoundStatus = z.enum(['scheduled', 'open', 'closed']);
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
    /** How long an offered place waits for an answer (selection issue). */
    offerHours: z
      .int()
      .min(1)
      .max(24 * 30)
      .default(48),
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
  status: RoundStatus,
  createdAt: IsoDateTime,
});
export type RoundView = z.infer<typeof RoundView>;

export const RoundPath = z.object({ roundId: Id });

export const ListRoundsQuery = z.strictObject({
  status: z.enum(['scheduled', 'open', 'closed', 'all']).default('open'),
});

export const RoundList = z.object({ rounds: z.array(RoundView) });
