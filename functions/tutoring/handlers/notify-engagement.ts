// On the engagement's events: the assignment (municipality, tutors or coordinators), the follow-up after a
// session, the overdue-log nudge, extra-meeting requests, the summary and a withdrawal; each email once.
import { eventHandlers } from '../../shared/events.js';
import { notifyingPorts } from '../composition.js';
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
  TutorAssigned: (detail) => notifyTutorAssigned(notifyingPorts(), detail),
  EngagementLeftUnassigned: (detail) => notifyEngagementLeftUnassigned(notifyingPorts(), detail),
  EngagementWithdrawn: (detail) => notifyEngagementWithdrawn(notifyingPorts(), detail),
  SessionLogged: (detail) => notifySessionLogged(notifyingPorts(), detail),
  SessionLogReminderTriggered: (detail) => notifySessionLogOverdue(notifyingPorts(), detail),
  ExtraMeetingsRequested: (detail) => notifyExtraMeetingsRequested(notifyingPorts(), detail),
  EngagementCompleted: (detail) => notifyEngagementCompleted(notifyingPorts(), detail),
});
