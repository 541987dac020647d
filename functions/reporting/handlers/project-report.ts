// Projects the lifecycle's events into the rounds' situational pictures (GET /rounds/{roundId}/report).
import { eventHandlers } from '../../shared/events.js';
import {
  projectAttendance,
  projectLeftUnassigned,
  projectMeetingCancelled,
  projectMeetingScheduled,
  projectRegistration,
  projectSessionLogged,
  projectStage,
  projectTutorAssigned,
  projectWebinar,
} from '../projector.js';

export const handler = eventHandlers({
  ApplicationReceived: (d) => projectStage(d, 'received'),
  ApplicationWaitlisted: (d) => projectStage(d, 'waitlisted'),
  PlaceOffered: (d) => projectStage(d, 'offered'),
  ApplicationAccepted: (d) => projectStage(d, 'accepted'),
  // A declined carry-over leaves the application on this round's waiting list: no new stage.
  OfferDeclined: async (d) => (d.kind === 'place' ? projectStage(d, 'declined') : undefined),
  ApplicationWithdrawn: (d) => projectStage(d, 'withdrawn'),
  ApplicationCarriedOver: (d) => projectStage(d, 'carried-over'),
  EngagementCompleted: (d) => projectStage(d, 'completed'),
  TutorAssigned: projectTutorAssigned,
  EngagementLeftUnassigned: projectLeftUnassigned,
  MeetingScheduled: projectMeetingScheduled,
  MeetingCancelled: projectMeetingCancelled,
  SessionLogged: projectSessionLogged,
  WebinarCreated: (d) => projectWebinar(d.webinarId),
  WebinarUpdated: (d) => projectWebinar(d.webinarId),
  RegistrationWaitlisted: (d) => projectRegistration(d, 'waitlisted'),
  RegistrationConfirmed: (d) => projectRegistration(d, 'confirmed'),
  RegistrationPromoted: (d) => projectRegistration(d, 'confirmed'),
  RegistrationCancelled: (d) => projectRegistration(d, 'cancelled'),
  AttendanceMarked: (d, event) => projectAttendance(d, new Date(event.time).toISOString()),
});
