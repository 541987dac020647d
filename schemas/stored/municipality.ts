// A municipality of the register as stored: the imported row, and when it left the register (merged
// into another); a removed municipality stays on record so that its rounds and history keep their name.
import * as z from 'zod';
import { RegisterRow } from '../api/organisation.js';

export const StoredMunicipality = RegisterRow.extend({
  importedAt: z.string(),
  removedAt: z.string().optional(),
});
export type Municipality = z.infer<typeof StoredMunicipality>;
