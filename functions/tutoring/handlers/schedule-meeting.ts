// POST /engagements/{engagementId}/meetings: the tutor schedules a kickoff, follow-up or extra meeting.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toMeetingView } from '../domain.js';
import { actorOf, scheduleMeeting } from '../use-cases.js';

export const handler = httpHandler('POST /engagements/{engagementId}/meetings', async ({ path, body, caller }) => {
  const { meeting, created } = await scheduleMeeting(await actorOf(caller), path.engagementId, body, now());
  return json(created ? 201 : 200, toMeetingView(meeting, []), created ? { location: `/meetings/${meeting.meetingId}` } : {});
});
