// The stored shape of an invitation batch: one press of "send" for a webinar, with its progress and
// the lease of the sender working on it. Plain object: keys and bookkeeping attributes drop on read.
import * as z from 'zod';
import { Language } from '../common.js';

/** An extra invitee as the coordinator gave them (checked by the API schema when it came in). */
export const StoredInvitee = z.object({
  name: z.string(),
  email: z.string(),
  language: Language,
  municipality: z.string().optional(),
});

export const StoredInvitationBatch = z.object({
  batchId: z.string(),
  webinarId: z.string(),
  status: z.enum(['preparing', 'sending', 'done']),
  ratePerSecond: z.number(),
  /** Extra invitees as the coordinator gave them, until the batch has gathered its recipients. */
  extraInvitees: z.array(StoredInvitee).optional(),
  recipients: z.number(),
  skipped: z.number(),
  sent: z.number(),
  failed: z.number(),
  throttled: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
  expandedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** The sender holding the batch, until this time (a crashed sender's lease simply runs out). */
  leaseUntil: z.string().optional(),
  /** Which sender holds the lease (only it may let go of it). */
  leaseOwner: z.string().optional(),
  invocations: z.number().optional(),
});
export type InvitationBatch = z.infer<typeof StoredInvitationBatch>;
