// On the engagement's events: the assignment (municipality, tutors or coordinators), the follow-up after a
// session, the overdue-log nudge, extra-meeting requests, the summary and a withdrawal; each email once.
import { eventHandlers } from '../../shared/events.js';
import { tutoringPorts } from '../composition.js';
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
  TutorAssigned: (detail) => notifyTutorAssigned(tutoringPorts(), detail),
  EngagementLeftUnassigned: (detail) => notifyEngagementLeftUnassigned(tutoringPorts(), detail),
  EngagementWithdrawn: (detail) => notifyEngagementWithdrawn(tutoringPorts(), detail),
  SessionLogged: (detail) => notifySessionLogged(tutoringPorts(), detail),
  SessionLogReminderTriggered: (detail) => notifySessionLogOverdue(tutoringPorts(), detail),
  ExtraMeetingsRequested: (detail) => notifyExtraMeetingsRequested(tutoringPorts(), detail),
  EngagementCompleted: (detail) => notifyEngagementCompleted(tutoringPorts(), detail),
});
