// On the engagement's events: the assignment (municipality, tutors or coordinators), the follow-up after a
// session, the overdue-log nudge, extra-meeting requests, the summary and a withdrawal; each email once.
import { eventHandlers } from '../../shared/events.js';
import {
  notifyEngagementCompleted,
  notifyEngagementLeftUnassigned,
  notifyEngagementWithdrawn,
  notifyExtraMeetingsRequested,
  notifySessionLogged,
  notifySessionLogOverdue,
  notifyTutorAssigned,
} from '../notifications.js';

export const handler = eventHandlers({
  TutorAssigned: notifyTutorAssigned,
  EngagementLeftUnassigned: notifyEngagementLeftUnassigned,
  EngagementWithdrawn: notifyEngagementWithdrawn,
  SessionLogged: notifySessionLogged,
  SessionLogReminderTriggered: notifySessionLogOverdue,
  ExtraMeetingsRequested: notifyExtraMeetingsRequested,
  EngagementCompleted: notifyEngagementCompleted,
});
