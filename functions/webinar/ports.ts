// What the webinar use cases need of the world, as plain interfaces: their two repositories, what
// they read of the rounds and applications (another capability's), the clock, ids, and the mailer
// for those that mail. functions/webinar/composition.ts binds them; unit tests pass fakes.
import type { Application } from '../../schemas/stored/application.js';
import type { Clock } from '../shared/clock.js';
import type { Mailer } from '../shared/mailer.js';
import type { InvitationBatchStore } from '../stores/invitation-batches.js';
import type { WebinarStore } from '../stores/webinars.js';

/** What webinars read of rounds and their applications: a round to hold a webinar, its participants to invite. */
export interface RoundsForWebinars {
  roundExists(roundId: string): Promise<boolean>;
  roundApplications(roundId: string): Promise<readonly Application[]>;
}

export interface WebinarPorts {
  webinars: WebinarStore;
  batches: InvitationBatchStore;
  rounds: RoundsForWebinars;
  clock: Clock;
  newId: () => string;
}

/**
 * The ports of the use cases that mail. Apart from WebinarPorts so that a handler that never mails
 * does not carry the SES client in its bundle (test/infra/bundling.test.ts checks it).
 */
export interface MailingWebinarPorts extends WebinarPorts {
  mailer: Mailer;
}
