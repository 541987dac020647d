// The composition root of the webinar handlers: the webinar and invitation-batch stores bound to
// the table, the rounds and applications webinars read, the clock, ids and (for the handlers that
// mail) the mailer. The only module of functions/webinar/ that may import another capability.
import { randomUUID } from 'node:crypto';
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { sesMailer } from '../shared/mailer.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoInvitationBatchStore } from '../stores/invitation-batches.js';
import { DynamoRoundStore } from '../stores/rounds.js';
import { DynamoWebinarStore } from '../stores/webinars.js';
import type { MailingWebinarPorts, WebinarPorts } from './ports.js';

let ports: WebinarPorts | undefined;

export function webinarPorts(): WebinarPorts {
  ports ??= bind(config.tableName());
  return ports;
}

function bind(table: string): WebinarPorts {
  const [rounds, applications] = [new DynamoRoundStore(table), new DynamoApplicationStore(table)];
  return {
    webinars: new DynamoWebinarStore(table),
    batches: new DynamoInvitationBatchStore(table),
    rounds: {
      roundExists: async (roundId) => (await rounds.get(roundId)) !== undefined,
      roundApplications: (roundId) => applications.listOfRound(roundId),
    },
    clock: systemClock,
    newId: randomUUID,
  };
}

let mailingPorts: MailingWebinarPorts | undefined;

/** The ports with the mailer, for the handlers that mail (and only those: it brings the SES client). */
export function mailingWebinarPorts(): MailingWebinarPorts {
  mailingPorts ??= { ...webinarPorts(), mailer: sesMailer };
  return mailingPorts;
}
