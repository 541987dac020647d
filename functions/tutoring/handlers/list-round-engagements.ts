// GET /rounds/{roundId}/engagements: a coordinator's view of a round's coaching.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { roundEngagements } from '../use-cases.js';

export const handler = httpHandler('GET /rounds/{roundId}/engagements', async ({ path }) => {
  return json(200, { engagements: await roundEngagements(tutoringPorts(), path.roundId) });
});
