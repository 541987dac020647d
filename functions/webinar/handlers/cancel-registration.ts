// DELETE /registrations/{registrationId}?token=: cancel by the emailed link; a freed seat goes to the waiting list.
import { assertToken } from '../../shared/access.js';
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { requireRegistration } from '../queries.js';
import { cancelRegistration } from '../use-cases.js';

export const handler = httpHandler('DELETE /registrations/{registrationId}', async ({ path, query }) => {
  const registration = await requireRegistration(webinarPorts(), path.registrationId);
  assertToken(query.token, registration.accessToken, 'registration');
  const cancelled = await cancelRegistration(webinarPorts(), registration);
  return json(200, {
    registrationId: cancelled.registrationId,
    webinarId: cancelled.webinarId,
    status: cancelled.status,
    ...(cancelled.cancelledAt ? { cancelledAt: cancelled.cancelledAt } : {}),
  });
});
