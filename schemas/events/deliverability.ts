// Event details published by deliverability: a contact's address stopped working.
import * as z from 'zod';
import { Id } from '../common.js';

/** An application's contact address bounced for good or complained: a new address must be asked for. */
export const ContactUnreachable = z.object({
  applicationId: Id,
  roundId: Id,
  reason: z.enum(['bounce', 'complaint']),
});
