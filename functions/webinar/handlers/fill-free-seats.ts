// On RegistrationCancelled / WebinarUpdated: give freed (or added) seats to the waiting list, in order.
import { eventHandlers } from '../../shared/events.js';
import { webinarPorts } from '../composition.js';
import { fillFreeSeats } from '../use-cases.js';

export const handler = eventHandlers({
  RegistrationCancelled: async ({ webinarId, previousStatus }) => {
    if (previousStatus === 'confirmed') await fillFreeSeats(webinarPorts(), webinarId);
  },
  WebinarUpdated: async ({ webinarId }) => {
    await fillFreeSeats(webinarPorts(), webinarId);
  },
});
