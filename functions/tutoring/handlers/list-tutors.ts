// GET /tutors: the roster, with each tutor's current load.
import { httpHandler, json } from '../../shared/http.js';
import { toTutorView } from '../domain.js';
import { tutoringStore } from '../store-instance.js';

export const handler = httpHandler('GET /tutors', async () => {
  const tutors = await tutoringStore().listTutors();
  return json(200, { tutors: tutors.map(toTutorView) });
});
