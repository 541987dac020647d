// POST /rounds/{roundId}/status-link: the contact lost the email with the status link. When the
// address is the one on file, the link is mailed to it again (at most once in 10 minutes); the answer
// is 202 either way, so it tells nobody whether, or with which address, a municipality applied.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { event } from '../../shared/outbox.js';
import { intakeStore } from '../store-instance.js';

/** How often one application's contact may be mailed the link again. */
export const statusLinkIntervalMinutes = 10;

export const handler = httpHandler('POST /rounds/{roundId}/status-link', async ({ path, body }) => {
  const store = intakeStore();
  const application = await store.findApplicationOf(path.roundId, body.municipalityCode);
  if (application && application.contact.email.toLowerCase() === body.email.toLowerCase()) {
    const at = now();
    await store.recordStatusLinkRequest(application, at, statusLinkIntervalMinutes, [
      event('StatusLinkRequested', { applicationId: application.applicationId, roundId: application.roundId, requestedAt: at.toISOString() }),
    ]);
  }
  return json(202, {});
});
