// POST /engagements/{engagementId}/tutor: a coordinator assigns or reassigns the tutor.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { assignTutor } from '../use-cases.js';

export const handler = httpHandler('POST /engagements/{engagementId}/tutor', async ({ path, body, caller }) => {
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  return json(200, await assignTutor(tutoringPorts(), path.engagementId, body.tutorId, by));
});
