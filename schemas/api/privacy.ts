// Contracts of the privacy endpoints: export and erase everything held about one person.
import * as z from 'zod';
import { Email, Id, IsoDateTime } from '../common.js';

export const PersonBody = z.strictObject({ email: Email });

export const PersonExport = z.object({
  email: Email,
  exportedAt: IsoDateTime,
  count: z.int(),
  /** The person's records by kind (application, registration, email, …), without storage keys. */
  data: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
});

export const ErasureResult = z.object({ erasureId: Id, items: z.int() });
