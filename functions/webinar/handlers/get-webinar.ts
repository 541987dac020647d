// GET /webinars/{webinarId}: one webinar as anyone may see it, with the seats left.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toWebinarView } from '../domain.js';
import { requireWebinar } from '../queries.js';

export const handler = httpHandler('GET /webinars/{webinarId}', async ({ path }) => {
  return json(200, toWebinarView(await requireWebinar(path.webinarId), now(), 'public'));
});
