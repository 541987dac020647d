// Email events that SES publishes to EventBridge (through the configuration set): bounces and
// complaints. Only the fields this system reads are checked; SES sends many more.
import * as z from 'zod';

const Recipient = z.object({ emailAddress: z.string() });

export const SesEmailEvent = z.discriminatedUnion('eventType', [
  z.object({
    eventType: z.literal('Bounce'),
    mail: z.object({ messageId: z.string() }),
    bounce: z.object({
      bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
      bouncedRecipients: z.array(Recipient).min(1),
      timestamp: z.string(),
    }),
  }),
  z.object({
    eventType: z.literal('Complaint'),
    mail: z.object({ messageId: z.string() }),
    complaint: z.object({ complainedRecipients: z.array(Recipient).min(1), timestamp: z.string() }),
  }),
]);
export type SesEmailEvent = z.infer<typeof SesEmailEvent>;

/** The EventBridge pattern of the SES events handled here. */
export const sesEmailEventPattern = {
  source: ['aws.ses'],
  'detail-type': ['Email Bounced', 'Email Complaint Received'],
} as const;
