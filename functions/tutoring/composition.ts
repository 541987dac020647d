// The composition root of the tutoring handlers: the tutor and engagement stores bound to the table,
// what tutoring needs of rounds and applications (today's intake store; the lead rebinds it to the
// rounds and applications stores), the system clock, SES and random ids.
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { intakeStore } from '../intake/store-instance.js';
import { dynamo } from '../shared/aws.js';
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { applicationKey } from '../shared/keys.js';
import { sesMailer } from '../shared/mailer.js';
import { succeeds } from '../shared/transactions.js';
import { DynamoEngagementStore } from '../stores/engagements.js';
import { DynamoTutorStore } from '../stores/tutors.js';
import type { NotifyingPorts, RoundsAndApplications, TutoringPorts } from './ports.js';

/**
 * FOR THE LEAD: this write belongs to the applications store (functions/stores/applications.ts, e.g.
 * `markCompleted`); bind the port to it there and drop this. Until then it is the one place outside
 * intake that writes an application item. Already completed, or no longer accepted: nothing changes.
 */
async function markApplicationCompleted(applicationId: string, at: string): Promise<void> {
  await succeeds(() =>
    dynamo().send(
      new UpdateCommand({
        TableName: config.tableName(),
        Key: applicationKey(applicationId),
        UpdateExpression: 'SET #status = :completed, completedAt = if_not_exists(completedAt, :at)',
        ConditionExpression: '#status = :accepted',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'completed', ':accepted': 'accepted', ':at': at },
      }),
    ),
  );
}

const roundsAndApplications: RoundsAndApplications = {
  getRound: (roundId) => intakeStore().getRound(roundId),
  getApplication: (applicationId) => intakeStore().getApplication(applicationId),
  markApplicationCompleted,
};

let ports: TutoringPorts | undefined;
let notifying: NotifyingPorts | undefined;

/** The ports of every tutoring handler. */
export function tutoringPorts(): TutoringPorts {
  ports ??= {
    tutors: new DynamoTutorStore(config.tableName()),
    engagements: new DynamoEngagementStore(config.tableName()),
    intake: roundsAndApplications,
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
