// On meeting events: invitations, updates and cancellations with .ics to both sides, and the 24-hour reminders.
import { eventHandlers } from '../../shared/events.js';
import { tutoringPorts } from '../composition.js';
import { notifyMeeting } from '../meeting-notifications.js';

export const handler = eventHandlers({
  MeetingScheduled: (detail) => notifyMeeting(tutoringPorts(), 'invitation', detail),
  MeetingRescheduled: (detail) => notifyMeeting(tutoringPorts(), 'update', detail),
  MeetingCancelled: (detail) => notifyMeeting(tutoringPorts(), 'cancellation', detail),
  MeetingReminderTriggered: (detail) => notifyMeeting(tutoringPorts(), 'reminder', detail),
});
