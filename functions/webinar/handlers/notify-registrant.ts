// On each registration event: tell the registrant by email, once, in their language (with the .ics for a seat).
import { eventHandlers } from '../../shared/events.js';
import { mailingWebinarPorts } from '../composition.js';
import { notifyRegistrant } from '../notices.js';

export const handler = eventHandlers({
  RegistrationConfirmed: ({ registrationId }) => notifyRegistrant(mailingWebinarPorts(), 'confirmed', registrationId),
  RegistrationWaitlisted: ({ registrationId, position }) =>
    notifyRegistrant(mailingWebinarPorts(), 'waitlisted', registrationId, { position }),
  RegistrationPromoted: ({ registrationId }) => notifyRegistrant(mailingWebinarPorts(), 'promoted', registrationId),
  RegistrationCancelled: ({ registrationId }) => notifyRegistrant(mailingWebinarPorts(), 'cancelled', registrationId),
  AttendanceMarked: async ({ registrationId, attended }) => {
    if (!attended) await notifyRegistrant(mailingWebinarPorts(), 'missed', registrationId);
  },
});
