// SHIM FOR THE LEAD TO REMOVE: history (functions/history/composition.ts), reporting
// (functions/reporting/sources.ts) and two integration tests still read tutoring through this.
// Rebind them to DynamoTutorStore / DynamoEngagementStore (functions/stores/) in their own
// composition roots, then delete this file.
import type { EngagementStore } from '../stores/engagements.js';
import type { TutorStore } from '../stores/tutors.js';
import { tutoringPorts } from './composition.js';

export function tutoringStore(): Pick<TutorStore, 'getTutor' | 'tutorByEmail'> &
  Pick<EngagementStore, 'getEngagement' | 'createEngagement'> {
  const { tutors, engagements } = tutoringPorts();
  return {
    getTutor: (tutorId) => tutors.getTutor(tutorId),
    tutorByEmail: (email) => tutors.tutorByEmail(email),
    getEngagement: (engagementId) => engagements.getEngagement(engagementId),
    createEngagement: (engagement) => engagements.createEngagement(engagement),
  };
}
