// A tutor as stored: the codec every read of a roster item goes through. Times are UTC ISO strings.
// Fields that came later (lastAssignedAt) stay optional: old items read.
import * as z from 'zod';
import { Language } from '../common.js';

export const StoredTutor = z.object({
  tutorId: z.string(),
  name: z.string(),
  /** Lower case: a signed-in tutor is the tutor whose email matches the token's. */
  email: z.string(),
  languages: z.array(Language),
  regions: z.array(z.string()),
  maxActive: z.number(),
  active: z.boolean(),
  /** Engagements assigned and not completed; changed only together with the engagement it counts. */
  activeCount: z.number(),
  /** When the tutor last got an engagement: the round-robin among equals goes to the longest waiting. */
  lastAssignedAt: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
});
export type Tutor = z.infer<typeof StoredTutor>;

/** The email guard: one roster entry per email. */
export const StoredTutorEmail = z.object({ tutorId: z.string() });

/** A tutor's link to an engagement it has (or completed); a reassignment away deletes it. */
export const StoredTutorLink = z.object({ engagementId: z.string(), since: z.string().optional() });
