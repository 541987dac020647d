// GET /engagements/{engagementId}: one engagement, for its own tutor or a coordinator.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { actorOf, readEngagement } from '../use-cases.js';

export const handler = httpHandler('GET /engagements/{engagementId}', async ({ path, caller }) => {
  const ports = tutoringPorts();
  return json(200, await readEngagement(ports, await actorOf(ports, caller), path.engagementId));
});
