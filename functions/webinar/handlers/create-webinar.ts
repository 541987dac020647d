// POST /rounds/{roundId}/webinars: a coordinator creates the round's closing webinar.
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { toWebinarView } from '../domain.js';
import { createWebinar } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/webinars', async ({ path, body, caller }) => {
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  const webinar = await createWebinar(webinarPorts(), path.roundId, body, by);
  return json(201, toWebinarView(webinar, webinarPorts().clock.now(), 'coordinator'));
});
