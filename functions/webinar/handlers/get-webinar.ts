// GET /webinars/{webinarId}: one webinar as anyone may see it, with the seats left.
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { toWebinarView } from '../domain.js';
import { requireWebinar } from '../queries.js';

export const handler = httpHandler('GET /webinars/{webinarId}', async ({ path }) => {
  const ports = webinarPorts();
  return json(200, toWebinarView(await requireWebinar(ports, path.webinarId), ports.clock.now(), 'public'));
});
