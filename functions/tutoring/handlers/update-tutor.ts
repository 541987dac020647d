// PATCH /tutors/{tutorId}: a coordinator changes a tutor's details, capacity or availability.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { toTutorView } from '../domain.js';
import { changeTutor } from '../use-cases.js';

export const handler = httpHandler('PATCH /tutors/{tutorId}', async ({ path, body }) => {
  return json(200, toTutorView(await changeTutor(tutoringPorts(), path.tutorId, body)));
});
