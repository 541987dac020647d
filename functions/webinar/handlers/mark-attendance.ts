// POST /webinars/{webinarId}/attendance: a coordinator marks who attended (or did not).
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { markAttendance } from '../use-cases.js';

export const handler = httpHandler('POST /webinars/{webinarId}/attendance', async ({ path, body }) => {
  return json(200, await markAttendance(path.webinarId, body, now()));
});
