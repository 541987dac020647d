// POST /engagements/{engagementId}/complete: the programme is done; the municipality gets its summary.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { actorOf, completeEngagement } from '../use-cases.js';

export const handler = httpHandler('POST /engagements/{engagementId}/complete', async ({ path, caller }) => {
  const ports = tutoringPorts();
  return json(200, await completeEngagement(ports, await actorOf(ports, caller), path.engagementId));
});
