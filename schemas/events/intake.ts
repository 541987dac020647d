// Event details published by intake. Details carry ids, never personal data: handlers read contact
// data from the table, so erasing a person never has to chase the event archive.
import * as z from 'zod';
import { Id, IsoDateTime, Language, MunicipalityCode } from '../common.js';

export const RoundOpened = z.object({
  roundId: Id,
  opensAt: IsoDateTime,
  closesAt: IsoDateTime,
});
export type RoundOpened = z.infer<typeof RoundOpened>;

export const ApplicationReceived = z.object({
  applicationId: Id,
  roundId: Id,
  municipalityCode: MunicipalityCode,
  language: Language,
  receivedAt: IsoDateTime,
});
export type ApplicationReceived = z.infer<typeof ApplicationReceived>;
