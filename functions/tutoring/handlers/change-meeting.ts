// PATCH /meetings/{meetingId}: reschedule or cancel a meeting; calendars get an update or a cancellation.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toMeetingView } from '../domain.js';
import { actorOf, changeMeeting } from '../use-cases.js';

export const handler = httpHandler('PATCH /meetings/{meetingId}', async ({ path, body, caller }) => {
  const { record, meeting } = await changeMeeting(await actorOf(caller), path.meetingId, body, now());
  return json(200, toMeetingView(meeting, record.logs));
});
