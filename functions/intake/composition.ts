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
import type { IntakePorts } from './use-cases.js';

let ports: IntakePorts | undefined;
let viewPorts: ApplicationViewPorts | undefined;

export function intakePorts(): IntakePorts {
  ports ??= {
    rounds: new DynamoRoundStore(config.tableName()),
    applications: new DynamoApplicationStore(config.tableName()),
    clock: systemClock,
    newId: randomUUID,
    newToken: newAccessToken,
    mailer: sesMailer,
    pagesUrl: config.pagesUrl,
  };
  return ports;
}

/** The ports of the applicant's view of an application (also used by selection's handlers that answer with it). */
export function applicationViewPorts(): ApplicationViewPorts {
  const { rounds, applications } = intakePorts();
  viewPorts ??= { rounds, applications, coaching: coachingOf, publicUrl: config.publicUrl };
  return viewPorts;
}
