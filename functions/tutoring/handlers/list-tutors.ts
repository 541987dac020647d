// GET /tutors: the roster, with each tutor's current load.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { toTutorView } from '../domain.js';
import { roster } from '../use-cases.js';

export const handler = httpHandler('GET /tutors', async () => {
  return json(200, { tutors: (await roster(tutoringPorts())).map(toTutorView) });
});
