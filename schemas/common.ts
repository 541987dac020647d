// Building blocks shared by the API and event contracts.
import * as z from 'zod';

export const Language = z.enum(['fi', 'sv', 'en']);
export type Language = z.infer<typeof Language>;

/** ISO 8601 date-time with an explicit offset (`Z` or `+02:00`), as API.md requires. */
export const IsoDateTime = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with offset, e.g. 2027-03-01T09:00:00+02:00',
});

export const Email = z.email({ message: 'must be a valid email address' }).max(254);

/** Official three-digit Finnish municipality code (e.g. 091 Helsinki). */
export const MunicipalityCode = z.string().regex(/^\d{3}$/, 'must be a three-digit municipality code, e.g. 091');

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id of letters, digits, - or _');
