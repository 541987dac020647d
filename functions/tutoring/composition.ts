// The composition root of the tutoring handlers: the tutor and engagement stores bound to the table,
// what tutoring needs of rounds and applications (their stores), the system clock, SES and random ids.
import { randomUUID } from 'node:crypto';
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { sesMailer } from '../shared/mailer.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoEngagementStore } from '../stores/engagements.js';
import { DynamoRoundStore } from '../stores/rounds.js';
import { DynamoTutorStore } from '../stores/tutors.js';
import type { NotifyingPorts, RoundsAndApplications, TutoringPorts } from './ports.js';

function roundsAndApplications(table: string): RoundsAndApplications {
  const rounds = new DynamoRoundStore(table);
  const applications = new DynamoApplicationStore(table);
  return {
    getRound: (roundId) => rounds.get(roundId),
    getApplication: (applicationId) => applications.get(applicationId),
    markApplicationCompleted: async (applicationId, at) => void (await applications.markCompleted(applicationId, at)),
  };
}

let ports: TutoringPorts | undefined;
let notifying: NotifyingPorts | undefined;

/** The ports of every tutoring handler. */
export function tutoringPorts(): TutoringPorts {
  ports ??= {
    tutors: new DynamoTutorStore(config.tableName()),
    engagements: new DynamoEngagementStore(config.tableName()),
    intake: roundsAndApplications(config.tableName()),
    clock: systemClock,
    newId: randomUUID,
  };
  return ports;
}

/**
 * The ports of the handlers that mail: the same, with SES. Apart, so that only their bundles carry
 * the SES client (and only their functions may send; test/infra/bundling.test.ts checks it).
 */
export function notifyingPorts(): NotifyingPorts {
  notifying ??= { ...tutoringPorts(), mailer: sesMailer };
  return notifying;
}
