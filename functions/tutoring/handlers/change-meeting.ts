// PATCH /meetings/{meetingId}: reschedule or cancel a meeting; calendars get an update or a cancellation.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { toMeetingView } from '../domain.js';
import { actorOf, changeMeeting } from '../use-cases.js';

export const handler = httpHandler('PATCH /meetings/{meetingId}', async ({ path, body, caller }) => {
  const ports = tutoringPorts();
  const { record, meeting } = await changeMeeting(ports, await actorOf(ports, caller), path.meetingId, body);
  return json(200, toMeetingView(meeting, record.logs));
});
