// POST /engagements/{engagementId}/meetings: the tutor schedules a kickoff, follow-up or extra meeting.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { toMeetingView } from '../domain.js';
import { actorOf, scheduleMeeting } from '../use-cases.js';

export const handler = httpHandler('POST /engagements/{engagementId}/meetings', async ({ path, body, caller }) => {
  const ports = tutoringPorts();
  const { meeting, created } = await scheduleMeeting(ports, await actorOf(ports, caller), path.engagementId, body);
  return json(created ? 201 : 200, toMeetingView(meeting, []), created ? { location: `/meetings/${meeting.meetingId}` } : {});
});
