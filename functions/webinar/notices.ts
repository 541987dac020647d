// The emails to a registrant on each registration event (with the .ics for a seat). Every email has
// its own idempotency key, so a repeated event sends nothing twice.
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import type { Attachment } from '../shared/mailer.js';
import { calendarInvitation } from './calendar.js';
import type { MailingWebinarPorts } from './ports.js';
import { registrantMail } from './registrant-mail.js';

export type RegistrantNotice = 'confirmed' | 'waitlisted' | 'promoted' | 'cancelled' | 'missed';

/** Tells one registrant what happened to their registration, once per event kind. */
export async function notifyRegistrant(
  ports: MailingWebinarPorts,
  kind: RegistrantNotice,
  registrationId: string,
  extra: { position?: number } = {},
): Promise<void> {
  const store = ports.webinars;
  const registration = await store.getRegistration(registrationId);
  const webinar = registration ? await store.getWebinar(registration.webinarId) : undefined;
  if (!registration || !webinar) {
    // Erased (privacy) or never stored: nobody to tell, and retrying will not change that.
    logger.warn('registration or webinar not found; no email', { registrationId, kind });
    return;
  }
  // The state may have moved on since the event: a promotion that was cancelled at once, an absence
  // corrected to presence before this ran. Tell what is still true.
  if (kind === 'promoted' && registration.status !== 'confirmed') return;
  if (kind === 'missed' && registration.attended !== false) return;

  const attachments: Attachment[] = [];
  if (kind === 'confirmed' || kind === 'promoted')
    attachments.push(calendarInvitation(webinar, registration, config.emailFrom()));
  if (kind === 'cancelled' && registration.cancelledFrom === 'confirmed') {
    attachments.push(calendarInvitation(webinar, registration, config.emailFrom(), 'CANCEL'));
  }
  const result = await ports.mailer.sendOnce({
    key: `webinar-${kind}/${registrationId}`,
    kind: `webinar-${kind}`,
    to: registration.email,
    ...registrantMail(kind, webinar, registration, extra),
    ...(attachments.length ? { attachments } : {}),
  });
  logger.info('registrant notified', { registrationId, kind, result });
}
