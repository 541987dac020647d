// POST /engagements/{engagementId}/tutor: a coordinator assigns or reassigns the tutor.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { assignTutor } from '../use-cases.js';

export const handler = httpHandler('POST /engagements/{engagementId}/tutor', async ({ path, body, caller }) => {
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  return json(200, await assignTutor(path.engagementId, body.tutorId, by, now()));
});
