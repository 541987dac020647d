// POST /tutors: a coordinator adds a tutor to the roster (one entry per email).
import { httpHandler, json } from '../../shared/http.js';
import { staffAccounts } from '../../shared/staff-accounts.js';
import { tutoringPorts } from '../composition.js';
import { toTutorView } from '../domain.js';
import { addTutor } from '../use-cases.js';

export const handler = httpHandler('POST /tutors', async ({ body, caller }) => {
  const { tutor, created } = await addTutor(
    { ...tutoringPorts(), staffAccounts: staffAccounts() },
    body,
    caller.role === 'public' ? 'unknown' : caller.email,
  );
  return json(created ? 201 : 200, toTutorView(tutor), created ? { location: `/tutors/${tutor.tutorId}` } : {});
});
