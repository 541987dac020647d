// On StatusLinkRequested: mail the status link to the application's contact, once per request.
import { config } from '../../shared/config.js';
import { eventHandler } from '../../shared/events.js';
import { logger } from '../../shared/logger.js';
import { sendOnce } from '../../shared/mailer.js';
import { statusUrl } from '../domain.js';
import { statusLinkEmail } from '../emails.js';
import { intakeStore } from '../store-instance.js';

export const handler = eventHandler('StatusLinkRequested', async ({ applicationId, roundId, requestedAt }) => {
  const store = intakeStore();
  const [application, round] = await Promise.all([store.getApplication(applicationId), store.getRound(roundId)]);
  if (!application || !round) {
    logger.warn('application or round not found; no status link sent', { applicationId, roundId });
    return;
  }
  const mail = statusLinkEmail({
    language: application.language,
    contactName: application.contact.name,
    municipalityName: application.municipality.name,
    roundName: round.name,
    statusUrl: statusUrl(config.pagesUrl(), application),
  });
  const result = await sendOnce({
    key: `status-link/${applicationId}/${requestedAt}`,
    kind: 'status-link',
    to: application.contact.email,
    ...mail,
  });
  logger.info('status link sent again', { applicationId, result });
});
