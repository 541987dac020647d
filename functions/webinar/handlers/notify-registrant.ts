// On each registration event: tell the registrant by email, once, in their language (with the .ics for a seat).
import { eventHandlers } from '../../shared/events.js';
import { notifyRegistrant } from '../notices.js';

export const handler = eventHandlers({
  RegistrationConfirmed: ({ registrationId }) => notifyRegistrant('confirmed', registrationId),
  RegistrationWaitlisted: ({ registrationId, position }) => notifyRegistrant('waitlisted', registrationId, { position }),
  RegistrationPromoted: ({ registrationId }) => notifyRegistrant('promoted', registrationId),
  RegistrationCancelled: ({ registrationId }) => notifyRegistrant('cancelled', registrationId),
  AttendanceMarked: async ({ registrationId, attended }) => {
    if (!attended) await notifyRegistrant('missed', registrationId);
  },
});
