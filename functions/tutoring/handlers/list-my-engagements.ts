// GET /me/engagements: the municipalities assigned to the signed-in tutor, with meetings and logs.
import { httpHandler, json } from '../../shared/http.js';
import { actorOf, myEngagements } from '../use-cases.js';

export const handler = httpHandler('GET /me/engagements', async ({ caller }) => {
  return json(200, { engagements: await myEngagements(await actorOf(caller)) });
});
