// The composition root of the webinar handlers: the webinar and invitation-batch stores bound to
// the table, the rounds and applications webinars read, the clock, ids and (for the handlers that
// mail) the mailer. The only module of functions/webinar/ that may import another capability.
import { randomUUID } from 'node:crypto';
// Until the lead rebinds `rounds` to functions/stores/rounds.ts and applications.ts at merge.
import { intakeStore } from '../intake/store-instance.js';
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { sesMailer } from '../shared/mailer.js';
import { DynamoInvitationBatchStore } from '../stores/invitation-batches.js';
import { DynamoWebinarStore } from '../stores/webinars.js';
import type { MailingWebinarPorts, WebinarPorts } from './ports.js';

let ports: WebinarPorts | undefined;

export function webinarPorts(): WebinarPorts {
  ports ??= {
    webinars: new DynamoWebinarStore(config.tableName()),
    batches: new DynamoInvitationBatchStore(config.tableName()),
    rounds: {
      roundExists: async (roundId) => (await intakeStore().getRound(roundId)) !== undefined,
      roundApplications: (roundId) => intakeStore().listRoundApplications(roundId),
    },
    clock: systemClock,
    newId: randomUUID,
  };
  return ports;
}

let mailingPorts: MailingWebinarPorts | undefined;

/** The ports with the mailer, for the handlers that mail (and only those: it brings the SES client). */
export function mailingWebinarPorts(): MailingWebinarPorts {
  mailingPorts ??= { ...webinarPorts(), mailer: sesMailer };
  return mailingPorts;
}
