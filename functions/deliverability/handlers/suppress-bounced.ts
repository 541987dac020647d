// On an SES bounce or complaint: never mail that address again. Transient bounces are let be.
import type { EventBridgeEvent } from 'aws-lambda';
import { SesEmailEvent } from '../../../schemas/events/ses.js';
import { logger } from '../../shared/logger.js';
import { suppress } from '../../shared/suppression.js';

export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const detail = SesEmailEvent.parse(event.detail);
  if (detail.eventType === 'Bounce') {
    if (detail.bounce.bounceType !== 'Permanent') return;
    for (const { emailAddress } of detail.bounce.bouncedRecipients) {
      await suppress(emailAddress, { kind: 'bounce', at: detail.bounce.timestamp, messageId: detail.mail.messageId });
    }
    logger.info('bounced addresses suppressed', {
      messageId: detail.mail.messageId,
      count: detail.bounce.bouncedRecipients.length,
    });
  } else {
    for (const { emailAddress } of detail.complaint.complainedRecipients) {
      await suppress(emailAddress, { kind: 'complaint', at: detail.complaint.timestamp, messageId: detail.mail.messageId });
    }
    logger.info('complaining addresses suppressed', { messageId: detail.mail.messageId });
  }
}
