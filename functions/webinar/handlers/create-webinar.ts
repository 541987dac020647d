// POST /rounds/{roundId}/webinars: a coordinator creates the round's closing webinar.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toWebinarView } from '../domain.js';
import { createWebinar } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/webinars', async ({ path, body, caller }) => {
  const at = now();
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  const webinar = await createWebinar(path.roundId, body, by, at);
  return json(201, toWebinarView(webinar, at, 'coordinator'));
});
