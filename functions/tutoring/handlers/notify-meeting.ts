// On meeting events: invitations, updates and cancellations with .ics to both sides, and the 24-hour reminders.
import { eventHandlers } from '../../shared/events.js';
import { notifyMeeting } from '../meeting-notifications.js';

export const handler = eventHandlers({
  MeetingScheduled: (detail) => notifyMeeting('invitation', detail),
  MeetingRescheduled: (detail) => notifyMeeting('update', detail),
  MeetingCancelled: (detail) => notifyMeeting('cancellation', detail),
  MeetingReminderTriggered: (detail) => notifyMeeting('reminder', detail),
});
