// What tutoring's use cases work with: its own stores, what it needs of rounds and applications (a
// small port of its own, so that tutoring does not depend on how intake stores them), the clock,
// the mailer (for the notifying handlers) and a source of ids. functions/tutoring/composition.ts
// binds them; unit tests give in-memory ones.
import type { Application } from '../../schemas/stored/application.js';
import type { Round } from '../../schemas/stored/round.js';
import type { Clock } from '../shared/clock.js';
import type { Mailer } from '../shared/mailer.js';
import type { EngagementStore } from '../stores/engagements.js';
import type { TutorStore } from '../stores/tutors.js';

/** What tutoring reads of rounds and applications, and the one application change it makes. */
export interface RoundsAndApplications {
  getRound(roundId: string): Promise<Round | undefined>;
  getApplication(applicationId: string): Promise<Application | undefined>;
  /** The application's own status follows a completed programme (API.md's `completed`): once, and only from accepted. */
  markApplicationCompleted(applicationId: string, at: string): Promise<void>;
}

export interface TutoringPorts {
  tutors: TutorStore;
  engagements: EngagementStore;
  intake: RoundsAndApplications;
  clock: Clock;
  newId: () => string;
}

/** The event handlers that tell people: the same, and the mailer. */
export interface NotifyingPorts extends TutoringPorts {
  mailer: Mailer;
}
