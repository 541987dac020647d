// On RegistrationCancelled / WebinarUpdated: give freed (or added) seats to the waiting list, in order.
import { now } from '../../shared/clock.js';
import { eventHandlers } from '../../shared/events.js';
import { fillFreeSeats } from '../use-cases.js';

export const handler = eventHandlers({
  RegistrationCancelled: async ({ webinarId, previousStatus }) => {
    if (previousStatus === 'confirmed') await fillFreeSeats(webinarId, now());
  },
  WebinarUpdated: async ({ webinarId }) => {
    await fillFreeSeats(webinarId, now());
  },
});
