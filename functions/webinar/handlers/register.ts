// POST /webinars/{webinarId}/registrations: register; a seat while any is left, else the waiting list.
import type { RegisterResponse } from '../../../schemas/api/webinars.js';
import { config } from '../../shared/config.js';
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { cancelUrl } from '../domain.js';
import { register } from '../use-cases.js';

export const handler = httpHandler('POST /webinars/{webinarId}/registrations', async ({ path, body }) => {
  const { created, registration, position } = await register(webinarPorts(), path.webinarId, body);
  const response: RegisterResponse = {
    registrationId: registration.registrationId,
    status: registration.status,
    ...(position !== undefined ? { position } : {}),
    // The cancel link is a secret: only the request that created the registration gets it here;
    // anyone else who types the same email gets the status, and the owner has the link by email.
    ...(created ? { cancelUrl: cancelUrl(config.pagesUrl(), registration) } : {}),
  };
  return json(created ? 201 : 200, response);
});
