// POST /engagements/{engagementId}/complete: the programme is done; the municipality gets its summary.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { actorOf, completeEngagement } from '../use-cases.js';

export const handler = httpHandler('POST /engagements/{engagementId}/complete', async ({ path, caller }) => {
  return json(200, await completeEngagement(await actorOf(caller), path.engagementId, now()));
});
