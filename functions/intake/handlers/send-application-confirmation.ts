// On ApplicationReceived: email the applicant a confirmation with the status link, exactly once.
import { now } from '../../shared/clock.js';
import { config } from '../../shared/config.js';
import { eventHandler } from '../../shared/events.js';
import { logger } from '../../shared/logger.js';
import { sendOnce } from '../../shared/mailer.js';
import { statusUrl } from '../domain.js';
import { applicationReceivedEmail } from '../emails.js';
import { intakeStore } from '../store-instance.js';

export const handler = eventHandler('ApplicationReceived', async ({ applicationId, roundId }) => {
  const store = intakeStore();
  const [application, round] = await Promise.all([store.getApplication(applicationId), store.getRound(roundId)]);
  if (!application || !round) {
    // Erased (privacy) or never committed: there is nobody to tell, and retrying will not change that.
    logger.warn('application or round not found; no confirmation sent', { applicationId, roundId });
    return;
  }
  const mail = applicationReceivedEmail({
    language: application.language,
    contactName: application.contact.name,
    municipalityName: application.municipality.name,
    roundName: round.name,
    closesAt: round.closesAt,
    statusUrl: statusUrl(config.pagesUrl(), application),
  });
  const result = await sendOnce({
    key: `application-received/${applicationId}`,
    kind: 'application-received',
    to: application.contact.email,
    ...mail,
  });
  await store.markConfirmationSent(applicationId, now().toISOString());
  logger.info('application confirmation', { applicationId, result });
});
