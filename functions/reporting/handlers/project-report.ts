// Projects the lifecycle's events into the rounds' situational pictures (GET /rounds/{roundId}/report).
import { eventHandlers } from '../../shared/events.js';
import { reportingPorts } from '../composition.js';
import * as project from '../use-cases.js';

const ports = reportingPorts;

export const handler = eventHandlers({
  ApplicationReceived: (d) => project.projectStage(ports(), d, 'received'),
  ApplicationWaitlisted: (d) => project.projectStage(ports(), d, 'waitlisted'),
  PlaceOffered: (d) => project.projectStage(ports(), d, 'offered'),
  ApplicationAccepted: (d) => project.projectStage(ports(), d, 'accepted'),
  // A declined carry-over leaves the application on this round's waiting list: no new stage.
  OfferDeclined: async (d) => (d.kind === 'place' ? project.projectStage(ports(), d, 'declined') : undefined),
  ApplicationWithdrawn: (d) => project.projectStage(ports(), d, 'withdrawn'),
  ApplicationCarriedOver: (d) => project.projectStage(ports(), d, 'carried-over'),
  EngagementCompleted: (d) => project.projectStage(ports(), d, 'completed'),
  TutorAssigned: (d) => project.projectTutorAssigned(ports(), d),
  EngagementLeftUnassigned: (d) => project.projectLeftUnassigned(ports(), d),
  MeetingScheduled: (d) => project.projectMeetingScheduled(ports(), d),
  MeetingCancelled: (d) => project.projectMeetingCancelled(ports(), d),
  SessionLogged: (d) => project.projectSessionLogged(ports(), d),
  WebinarCreated: (d) => project.projectWebinar(ports(), d.webinarId),
  WebinarUpdated: (d) => project.projectWebinar(ports(), d.webinarId),
  RegistrationWaitlisted: (d) => project.projectRegistration(ports(), d, 'waitlisted'),
  RegistrationConfirmed: (d) => project.projectRegistration(ports(), d, 'confirmed'),
  RegistrationPromoted: (d) => project.projectRegistration(ports(), d, 'confirmed'),
  RegistrationCancelled: (d) => project.projectRegistration(ports(), d, 'cancelled'),
  AttendanceMarked: (d, event) => project.projectAttendance(ports(), d, new Date(event.time).toISOString()),
});
