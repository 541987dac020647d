// Every minute: hand every open invitation batch whose sender is gone (crashed, timed out) to a new sender.
import { scheduledHandler } from '../../shared/events.js';
import { webinarPorts } from '../composition.js';
import { resumeStalledBatches } from '../use-cases.js';

export const handler = scheduledHandler(async () => {
  await resumeStalledBatches(webinarPorts());
});
