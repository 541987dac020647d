// Every hour: erase the personal data of rounds whose retention time after completion has passed.
import { scheduledHandler } from '../../shared/events.js';
import { privacyPorts } from '../composition.js';
import { eraseExpiredRounds } from '../use-cases.js';

export const handler = scheduledHandler(async (at) => {
  await eraseExpiredRounds(privacyPorts(), at);
});
