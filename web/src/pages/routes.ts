// Every page and the role it needs, in one table.
import type { Role } from '../session.js';
import type { View } from '../router.js';
import { roundAdminPage, roundsAdminPage, tutorsAdminPage, webinarAdminPage } from './coordinator.js';
import { applyPage, cancelRegistrationPage, roundsPage, statusPage, webinarPage } from './public.js';
import { tutorPage } from './tutor.js';

export const pageRoutes: [string, View, Role?][] = [
  ['', roundsPage],
  ['rounds/:roundId/apply', applyPage],
  ['applications/:applicationId', statusPage],
  ['webinars/:webinarId', webinarPage],
  ['registrations/:registrationId', cancelRegistrationPage],
  ['tutor', tutorPage, 'tutor'],
  ['coordinator', roundsAdminPage, 'coordinator'],
  ['coordinator/rounds/:roundId', roundAdminPage, 'coordinator'],
  ['coordinator/tutors', tutorsAdminPage, 'coordinator'],
  ['coordinator/webinars/:webinarId', webinarAdminPage, 'coordinator'],
];
