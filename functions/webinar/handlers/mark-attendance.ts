// POST /webinars/{webinarId}/attendance: a coordinator marks who attended (or did not).
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { markAttendance } from '../use-cases.js';

export const handler = httpHandler('POST /webinars/{webinarId}/attendance', async ({ path, body }) => {
  return json(200, await markAttendance(webinarPorts(), path.webinarId, body));
});
