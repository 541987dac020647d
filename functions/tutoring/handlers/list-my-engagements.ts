// GET /me/engagements: the municipalities assigned to the signed-in tutor, with meetings and logs.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { actorOf, myEngagements } from '../use-cases.js';

export const handler = httpHandler('GET /me/engagements', async ({ caller }) => {
  const ports = tutoringPorts();
  return json(200, { engagements: await myEngagements(ports, await actorOf(ports, caller)) });
});
