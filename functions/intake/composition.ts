// The composition root of the intake handlers: the round and application stores bound to the table,
// the system clock, ids, the mailer; and, for the applicant's view, tutoring's coaching part.
import { randomUUID } from 'node:crypto';
import { newAccessToken } from '../shared/access.js';
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { sesMailer } from '../shared/mailer.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoRoundStore } from '../stores/rounds.js';
import { coachingOf } from '../tutoring/application-coaching.js';
import type { ApplicationViewPorts } from './application-view.js';
import type { IntakeMailPorts, IntakePorts } from './use-cases.js';

let ports: IntakePorts | undefined;
let viewPorts: ApplicationViewPorts | undefined;

export function intakePorts(): IntakePorts {
  ports ??= {
    rounds: new DynamoRoundStore(config.tableName()),
    applications: new DynamoApplicationStore(config.tableName()),
    clock: systemClock,
    newId: randomUUID,
    newToken: newAccessToken,
    pagesUrl: config.pagesUrl,
  };
  return ports;
}

/** Intake's ports with the mailer, for the handlers that mail (the others do not bundle SES). */
export function intakeMailPorts(): IntakeMailPorts {
  return { ...intakePorts(), mailer: sesMailer };
}

/** The ports of the applicant's view of an application (also used by selection's handlers that answer with it). */
export function applicationViewPorts(): ApplicationViewPorts {
  const { rounds, applications } = intakePorts();
  viewPorts ??= { rounds, applications, coaching: coachingOf, publicUrl: config.publicUrl };
  return viewPorts;
}
