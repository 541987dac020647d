// The composition root of the selection handlers: the round and application stores bound to the
// table, the system clock, ids and the mailer. Handlers that answer with the applicant's view take
// its ports from intake's composition root.
import { randomUUID } from 'node:crypto';
import { newAccessToken } from '../shared/access.js';
import { systemClock } from '../shared/clock.js';
import { config } from '../shared/config.js';
import { sesMailer } from '../shared/mailer.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoRoundStore } from '../stores/rounds.js';
import type { SelectionPorts } from './use-cases.js';

export { applicationViewPorts } from '../intake/composition.js';

let ports: SelectionPorts | undefined;

export function selectionPorts(): SelectionPorts {
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
