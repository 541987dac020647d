// A round as stored: the codec every read of a round item goes through. Times are UTC ISO strings, so
// that they compare as text. Fields added after the first rounds were made stay optional: old items read.
import * as z from 'zod';
import { Language } from '../common.js';

export const SelectionPolicy = z.enum(['first-come', 'manual']);
export type SelectionPolicy = z.infer<typeof SelectionPolicy>;

/** The selection run: claimed once, then carried out (and resumed after a crash) from this record. */
export const StoredSelection = z.object({
  policy: SelectionPolicy,
  accept: z.array(z.string()).optional(),
  startedAt: z.string(),
  by: z.string(),
});
export type StoredSelection = z.infer<typeof StoredSelection>;

export const StoredRound = z.object({
  roundId: z.string(),
  name: z.string(),
  region: z.string(),
  places: z.number(),
  opensAt: z.string(),
  closesAt: z.string(),
  languages: z.array(Language),
  nextRoundId: z.string().optional(),
  offerHours: z.number(),
  selectionPolicy: SelectionPolicy,
  carryOverWhen: z.enum(['next-round-opens', 'round-completes']),
  carryOverHours: z.number(),
  /** Days after completion when personal data is erased (rounds made before the setting: 365). */
  retentionDays: z.number().optional(),
  /** Set when the retention sweep has erased the round's personal data. */
  personalDataErasedAt: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** How many applications arrived; kept by the same transaction that stores each one. */
  applications: z.number(),
  /** Accepted municipalities. */
  accepted: z.number(),
  /**
   * Places spoken for: accepted plus offers still waiting for an answer. Every change of it is a
   * conditional write `taken < places`, which is what keeps the places under concurrency.
   */
  taken: z.number(),
  /** Set once, in the transaction that writes RoundOpened. */
  openedAt: z.string().optional(),
  selection: StoredSelection.optional(),
  /** Set when the selection run has decided every application and announced every decision. */
  selectedAt: z.string().optional(),
  completedAt: z.string().optional(),
});
export type Round = z.infer<typeof StoredRound>;
