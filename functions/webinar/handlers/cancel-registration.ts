// DELETE /registrations/{registrationId}?token=: cancel by the emailed link; a freed seat goes to the waiting list.
import { assertToken } from '../../shared/access.js';
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { requireRegistration } from '../queries.js';
import { cancelRegistration } from '../use-cases.js';

export const handler = httpHandler('DELETE /registrations/{registrationId}', async ({ path, query }) => {
  const registration = await requireRegistration(path.registrationId);
  assertToken(query.token, registration.accessToken, 'registration');
  const cancelled = await cancelRegistration(registration, now());
  return json(200, {
    registrationId: cancelled.registrationId,
    webinarId: cancelled.webinarId,
    status: cancelled.status,
    ...(cancelled.cancelledAt ? { cancelledAt: cancelled.cancelledAt } : {}),
  });
});
