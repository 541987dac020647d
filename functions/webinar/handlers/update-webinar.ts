// PATCH /webinars/{webinarId}: a coordinator changes the details or adds the recording link.
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { toWebinarView } from '../domain.js';
import { updateWebinar } from '../use-cases.js';

export const handler = httpHandler('PATCH /webinars/{webinarId}', async ({ path, body }) => {
  const ports = webinarPorts();
  return json(200, toWebinarView(await updateWebinar(ports, path.webinarId, body), ports.clock.now(), 'coordinator'));
});
