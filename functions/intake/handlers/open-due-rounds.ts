// Every minute: announce each round whose application window has opened (RoundOpened, once).
import { scheduledHandler } from '../../shared/events.js';
import { intakePorts } from '../composition.js';
import { openDueRounds } from '../use-cases.js';

export const handler = scheduledHandler(async () => {
  await openDueRounds(intakePorts());
});
