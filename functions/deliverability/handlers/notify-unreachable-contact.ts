// On ContactUnreachable: tell the round's coordinators and the municipality's tutor, once each.
import { coordinatorAddresses } from '../../tutoring/coordinators.js';
import { coachingOf } from '../../tutoring/application-coaching.js';
import { intakeStore } from '../../intake/store-instance.js';
import { eventHandler } from '../../shared/events.js';
import { logger } from '../../shared/logger.js';
import { sendOnce } from '../../shared/mailer.js';
import { unreachableContactEmail } from '../emails.js';

export const handler = eventHandler('ContactUnreachable', async ({ applicationId, roundId, reason }) => {
  const store = intakeStore();
  const [application, round] = await Promise.all([store.getApplication(applicationId), store.getRound(roundId)]);
  if (!application) return;
  const { tutor } = await coachingOf(application);
  const recipients = [...new Set([...coordinatorAddresses(round), ...(tutor ? [tutor.email.toLowerCase()] : [])])];
  const mail = unreachableContactEmail({
    municipalityName: application.municipality.name,
    roundName: round?.name ?? roundId,
    reason,
    contactName: application.contact.name,
  });
  for (const to of recipients) {
    await sendOnce({ key: `contact-unreachable/${applicationId}/${to}`, kind: 'contact-unreachable', to, ...mail });
  }
  logger.info('staff told of an unreachable contact', { applicationId, recipients: recipients.length });
});
