// On an SES bounce or complaint: never mail that address again, mark the contacts that use it, and
// have coordinators (and tutors) told. Transient bounces are let be.
import type { EventBridgeEvent } from 'aws-lambda';
import { SesEmailEvent } from '../../../schemas/events/ses.js';
import { now } from '../../shared/clock.js';
import { logger } from '../../shared/logger.js';
import { event } from '../../shared/outbox.js';
import { suppress } from '../../shared/suppression.js';
import { applicationsOfContact, markUnreachable } from '../contacts.js';

export async function handler(sesEvent: EventBridgeEvent<string, unknown>): Promise<void> {
  const detail = SesEmailEvent.parse(sesEvent.detail);
  const { reason, addresses, at } =
    detail.eventType === 'Bounce'
      ? { reason: 'bounce' as const, addresses: detail.bounce.bouncedRecipients, at: detail.bounce.timestamp }
      : { reason: 'complaint' as const, addresses: detail.complaint.complainedRecipients, at: detail.complaint.timestamp };
  if (detail.eventType === 'Bounce' && detail.bounce.bounceType !== 'Permanent') return;

  for (const { emailAddress } of addresses) {
    await suppress(emailAddress, { kind: reason, at, messageId: detail.mail.messageId });
    for (const application of await applicationsOfContact(emailAddress)) {
      // ContactUnreachable is written with the mark, once: a repeated bounce finds it marked and writes nothing.
      const { applicationId, roundId } = application;
      await markUnreachable(applicationId, reason, now().toISOString(), [
        event('ContactUnreachable', { applicationId, roundId, reason }),
      ]);
    }
  }
  logger.info('addresses suppressed', { messageId: detail.mail.messageId, reason, count: addresses.length });
}
