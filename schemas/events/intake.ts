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

/** The contact asked for the status link again (POST /rounds/{roundId}/status-link); at most one per 10 minutes. */
export const StatusLinkRequested = z.object({
  applicationId: Id,
  roundId: Id,
  requestedAt: IsoDateTime,
});
export type StatusLinkRequested = z.infer<typeof StatusLinkRequested>;
