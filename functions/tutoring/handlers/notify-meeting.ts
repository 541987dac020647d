// On meeting events: invitations, updates and cancellations with .ics to both sides, and the 24-hour reminders.
import { eventHandlers } from '../../shared/events.js';
import { notifyingPorts } from '../composition.js';
import { notifyMeeting } from '../meeting-notifications.js';

export const handler = eventHandlers({
  MeetingScheduled: (detail) => notifyMeeting(notifyingPorts(), 'invitation', detail),
  MeetingRescheduled: (detail) => notifyMeeting(notifyingPorts(), 'update', detail),
  MeetingCancelled: (detail) => notifyMeeting(notifyingPorts(), 'cancellation', detail),
  MeetingReminderTriggered: (detail) => notifyMeeting(notifyingPorts(), 'reminder', detail),
});
