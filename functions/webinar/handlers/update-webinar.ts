// PATCH /webinars/{webinarId}: a coordinator changes the details or adds the recording link.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toWebinarView } from '../domain.js';
import { updateWebinar } from '../use-cases.js';

export const handler = httpHandler('PATCH /webinars/{webinarId}', async ({ path, body }) => {
  return json(200, toWebinarView(await updateWebinar(path.webinarId, body), now(), 'coordinator'));
});
