// Every minute: send the emails that waited in the outbox because SES was down or throttling.
import { scheduledHandler } from '../../shared/events.js';
import { logger } from '../../shared/logger.js';
import { retryOutbox } from '../../shared/mailer.js';

export const handler = scheduledHandler(async (at) => {
  const { sent, waiting, failed } = await retryOutbox(at);
  if (sent || waiting || failed) logger.info('outbox retried', { sent, waiting, failed });
});
