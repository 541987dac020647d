// POST /meetings/{meetingId}/log: the tutor logs a held session (a later, different log is a new version).
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toMeetingView } from '../domain.js';
import { actorOf, logSession } from '../use-cases.js';

export const handler = httpHandler('POST /meetings/{meetingId}/log', async ({ path, body, caller }) => {
  const { record, meeting, created } = await logSession(await actorOf(caller), path.meetingId, body, now());
  return json(created ? 201 : 200, toMeetingView(meeting, record.logs));
});
