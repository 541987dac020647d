// POST /meetings/{meetingId}/log: the tutor logs a held session (a later, different log is a new version).
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { toMeetingView } from '../domain.js';
import { actorOf, logSession } from '../use-cases.js';

export const handler = httpHandler('POST /meetings/{meetingId}/log', async ({ path, body, caller }) => {
  const ports = tutoringPorts();
  const { record, meeting, created } = await logSession(ports, await actorOf(ports, caller), path.meetingId, body);
  return json(created ? 201 : 200, toMeetingView(meeting, record.logs));
});
