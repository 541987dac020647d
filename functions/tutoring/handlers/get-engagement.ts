// GET /engagements/{engagementId}: one engagement, for its own tutor or a coordinator.
import { httpHandler, json } from '../../shared/http.js';
import { actorOf, readEngagement } from '../use-cases.js';

export const handler = httpHandler('GET /engagements/{engagementId}', async ({ path, caller }) => {
  return json(200, await readEngagement(await actorOf(caller), path.engagementId));
});
