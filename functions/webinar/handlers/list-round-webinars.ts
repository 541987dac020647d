// GET /rounds/{roundId}/webinars: the webinars of a round, for its coordinators' page.
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { roundWebinars } from '../queries.js';

export const handler = httpHandler('GET /rounds/{roundId}/webinars', async ({ path }) =>
  json(200, { webinars: await roundWebinars(webinarPorts(), path.roundId) }),
);
